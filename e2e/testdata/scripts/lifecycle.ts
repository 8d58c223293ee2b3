// The page side of lifecycle_test.go: one worker, kept here between calls,
// that loads, crashes and is terminated; workers that must stop.
import { createWorker, type Interpreter, type Progress, type PyWorker } from "/pyworker/pyworker.js";
import { terminateDuring } from "./lib/terminate";

export { readyOf } from "./lib/ready";

let w: PyWorker;

/** Starts the worker; its progress events until ready. */
export async function start(): Promise<Progress[]> {
  const events: Progress[] = [];
  w = createWorker({ onProgress: (p) => events.push(p) });
  await w.ready;
  return events;
}

/**
 * A wild memory read in C, with a call queued behind it: how both ended,
 * the next call's results (as JSON) and how the new interpreter's ready ended.
 */
export async function crash(): Promise<string[]> {
  await w.run("ready = True");
  const crash = w.run("import ctypes\nctypes.string_at(0xfffffff0, 64)");
  const queued = w.run("1 + 1");
  const outcome = (p: Promise<unknown>) =>
    p.then(
      (r) => "resolved " + JSON.stringify(r),
      (e: Error) => "rejected " + e.message,
    );
  const [a, b] = [await outcome(crash), await outcome(queued)];
  const after = await w.run("'ready' in globals(), 6 * 7");
  const ready = await w.ready.then(
    () => "ready",
    (e: Error) => "still rejected: " + e.message,
  ); // the new interpreter's
  return [a, b, JSON.stringify(after.results), ready];
}

/** terminate() in the middle of an endless loop: [how the call ended, the next call's results]. */
export async function terminateLoop(): Promise<[string, string]> {
  return terminateDuring(w, "while True:\n    pass", "1 + 1");
}

/** A worker in an endless loop, terminated, and 300 ms given it to stop. */
export async function terminateSpinning(interpreter: Interpreter): Promise<void> {
  const w = createWorker({ interpreter });
  await w.ready;
  w.run("while True:\n    pass").catch(() => {});
  await new Promise((r) => setTimeout(r, 300));
  w.terminate();
  await new Promise((r) => setTimeout(r, 300));
}
