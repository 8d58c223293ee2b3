// The worker's call queue, which needs no interpreter: the order calls run
// and answer in, a call that waits holding the ones after it (but for
// callbacks, which run meanwhile), cancelled and
// dropped calls, callbacks, and a fatal error. The Python module here is a
// small stand-in that records what it was asked; the e2e tests run the real one.

import assert from "node:assert/strict";
import { test } from "node:test";
import type { PythonFunction, PythonFuture, PythonModule, PythonReply } from "../src/shared/adapter";
import { CallQueue, type Instruction } from "../src/worker/calls";
import { Outbox, type PageToWorker, type WorkerToPage } from "../src/shared/protocol";

/** A PythonFunction that is never entered through JSPI here. */
function fn<F extends (...args: never[]) => PythonReply>(f: F): PythonFunction<F> {
  return Object.assign(f, { callPromising: () => Promise.reject(new Error("not on jspi")) }) as PythonFunction<F>;
}

/**
 * A stand-in for the Python module: `_run("wait")` returns a future that
 * `finish` settles; `_run("raise")` throws as a fatal interpreter error
 * does; any other code is its own result.
 */
function standIn() {
  const ran: string[] = [];
  const forgotten: [number, number][] = [];
  let finish: (value: PythonReply) => void = () => {};
  const python: PythonModule = {
    _run: fn((code: string) => {
      ran.push(code);
      if (code === "raise") throw Object.assign(new Error("the interpreter died"), { pyodide_fatal_error: true });
      if (code !== "wait") return { results: code };
      const settled = new Promise<PythonReply>((resolve) => (finish = resolve));
      const future: PythonFuture = { then: (ok, err) => void settled.then(ok, err), destroy: () => {} };
      return future;
    }),
    _call_export: fn((name: string, ...args: unknown[]) => {
      ran.push(`${name}(${args.join(", ")})`);
      return { results: args.length };
    }),
    _call_callback: fn((id: number) => {
      ran.push(`callback ${id}`);
      return { error: `Traceback: callback ${id} failed` };
    }),
    _forget_callbacks: (pairs) => void forgotten.push(...pairs),
    _unpack_archive: () => "no archives here",
  };
  return { python, ran, forgotten, finish: (value: PythonReply) => finish(value) };
}

/** A queue whose answers, instructions and printed errors are recorded. */
function queue() {
  const posted: WorkerToPage[] = [];
  const instructions: Instruction["type"][] = [];
  const printed: string[] = [];
  const outbox = new Outbox<WorkerToPage>((messages) => posted.push(...messages), () => {});
  const calls = new CallQueue(outbox, (request) => instructions.push(request.type), (text) => printed.push(text));
  const results = () => {
    outbox.flush();
    return posted.map((m) => (m.type === "result" ? `${m.id}: ${m.results ?? m.error}` : m.type));
  };
  return { calls, instructions, printed, results };
}

const run = (id: number, code: string): PageToWorker => ({ type: "run", id, code });
const tick = () => new Promise((resolve) => setTimeout(resolve));

test("calls wait for open, then run in order; the rest act at once", () => {
  const { calls, instructions, results } = queue();
  const { python, ran } = standIn();
  calls.receive([{ type: "init", options: {} as never }, run(1, "a"), { type: "export", id: 2, name: "f", args: [1, 2] }]);
  assert.deepEqual(instructions, ["init"]);
  assert.deepEqual(ran, []);
  calls.open(python);
  assert.deepEqual(ran, ["a", "f(1, 2)"]);
  assert.deepEqual(results(), ["1: a", "2: 2"]);
});

test("a call that waits holds the calls after it until it is done", async () => {
  const { calls, results } = queue();
  const { python, ran, finish } = standIn();
  calls.open(python);
  calls.receive([run(1, "wait"), run(2, "b")]);
  assert.deepEqual(ran, ["wait"]);
  finish({ results: "waited" });
  await tick();
  assert.deepEqual(ran, ["wait", "b"]);
  assert.deepEqual(results(), ["1: waited", "2: b"]);
});

test("while a call awaits, callbacks run at once; the calls after it still wait", async () => {
  const { calls, printed, results } = queue();
  const { python, ran, finish } = standIn();
  calls.open(python);
  calls.receive([run(1, "wait"), run(2, "b"), { type: "callback", id: 7, args: [] }]);
  assert.deepEqual(ran, ["wait", "callback 7"]);
  calls.receive([{ type: "callback", id: 8, args: [] }]);
  assert.deepEqual(ran, ["wait", "callback 7", "callback 8"]);
  assert.deepEqual(printed, ["Traceback: callback 7 failed", "Traceback: callback 8 failed"]);
  assert.deepEqual(results(), []);
  finish({ results: "waited" });
  await tick();
  assert.deepEqual(ran, ["wait", "callback 7", "callback 8", "b"]);
  assert.deepEqual(results(), ["1: waited", "2: b"]);
});

test("while the worker's src awaits, callbacks run; calls wait until the worker is open", async () => {
  const { calls, results } = queue();
  const { python, ran, finish } = standIn();
  calls.receive([run(1, "a")]);
  const source = calls.runSource(python, "wait", "main.py");
  calls.receive([{ type: "callback", id: 7, args: [] }]);
  assert.deepEqual(ran, ["wait", "callback 7"]);
  finish({ results: "ran" });
  assert.deepEqual(await source, { results: "ran" });
  await tick();
  assert.deepEqual(ran, ["wait", "callback 7"]);
  calls.open(python);
  assert.deepEqual(ran, ["wait", "callback 7", "a"]);
  assert.deepEqual(results(), ["1: a"]);
});

test("a cancelled call and a dropped one never run", () => {
  const { calls, results } = queue();
  const { python, ran } = standIn();
  calls.receive([run(1, "a"), run(2, "b"), { type: "cancel", id: 1 }]);
  calls.drop([3]); // the page dropped it before its request came
  calls.receive([run(3, "c")]);
  calls.open(python);
  assert.deepEqual(ran, ["b"]);
  assert.deepEqual(results(), ["2: b"]);
});

test("a callback's error is printed, not answered; forgotten callbacks reach Python before the next call", () => {
  const { calls, printed, results } = queue();
  const { python, ran, forgotten } = standIn();
  calls.open(python);
  calls.receive([{ type: "forget", id: 7, times: 2 }, { type: "callback", id: 7, args: [] }]);
  assert.deepEqual(forgotten, [[7, 2]]);
  assert.deepEqual(ran, ["callback 7"]);
  assert.deepEqual(printed, ["Traceback: callback 7 failed"]);
  assert.deepEqual(results(), []);
});

test("a fatal error ends the worker: it is reported, and nothing runs after it", () => {
  const { calls, results } = queue();
  const { python, ran } = standIn();
  calls.open(python);
  calls.receive([run(1, "raise"), run(2, "b")]);
  calls.receive([run(3, "c")]);
  assert.deepEqual(ran, ["raise"]);
  assert.deepEqual(results(), ["fatal"]);
});
