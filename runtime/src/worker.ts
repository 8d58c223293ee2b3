// The worker side of pyworker: starts the interpreter through its adapter
// (pyodide.ts, micropython.ts: see adapter.ts), then runs the page's requests
// one at a time through the Python module `pyworker` (python/pyworker),
// answering Python's questions to the page over the channel.

/// <reference lib="webworker" />

import type { CallRequest, Controls, PageHooks, PythonFunction, PythonFuture, PythonModule, PythonReply } from "./adapter";
import { createAsker, noChannelHelp, type Answer, type Asker } from "./channel";
import { download, failureOf } from "./downloads";
import { finished, sleep, starting } from "./interrupt";
import { takeFromLane } from "./lane";
import { LoadWatch } from "./loading";
import { noStdin } from "./pagefunctions";
import { Outbox, type InitOptions, type PageToWorker, type WorkerQuestion, type WorkerToPage } from "./protocol";
import { startMicroPython } from "./micropython";
import { writeFiles } from "./python";
import { startPyodide } from "./pyodide";
import { forThePage, keyboardInterrupt, uncrossable } from "./results";
import { decodeSharedViews, writeEveryPage } from "./share";
import type { Interpreter, RunResult } from "./types";

declare const self: DedicatedWorkerGlobalScope;

decodeSharedViews(); // big arrays may come in shared memory (see share.ts)

const outbox = new Outbox<WorkerToPage>(
  (replies, transfer) => postToPage(replies, transfer),
  (reply, error) => {
    if (reply.type === "result") outbox.send(uncrossable(reply.id, reply.results, error));
  },
);
/** How many messages the worker has posted to the page (see channel.ts: questions keep their place after them). */
let posted = 0;

function postToPage(replies: WorkerToPage[], transfer: Transferable[] = []): void {
  self.postMessage(replies, transfer);
  posted++;
}

const queue: CallRequest[] = [];
/** Calls the page dropped, named in an answer (see deadlock.ts): skipped even if their request comes later. */
const dropped = new Set<number>();
/** Callbacks the page dropped, to tell Python when it is not running. */
const forgotten: [number, number][] = [];
let python: PythonModule | null = null;
let busy = false;
/** The interpreter this worker runs. */
let interpreter: Interpreter = "pyodide";
/** Asks the page through the channel; undefined when the page gave none. */
let asker: Asker | undefined;
/** Where jspi answers go: the asker waiting for one sets `receive`. */
const answers: { receive?: (bytes: Uint8Array) => void } = {};
/** The interrupt buffer (see interrupt.ts). */
let interrupt: Int32Array | undefined;
/** The interpreter's controls (interrupts, output polling), once it has started. */
let controls: Controls = { checkInterrupt: () => {}, raiseKeyboardInterrupt: () => {}, pollWhileOutputWaits: () => {} };
/** The request lane (see lane.ts), when the page has shared memory. */
let lane: SharedArrayBuffer | undefined;
/** How many messages came from the page; a lane batch that came before some it follows, until they do. */
let received = 0;
let early: { batch: PageToWorker[]; posted: number } | undefined;
/** Python is entered through callPromising, so that run_sync can suspend it. */
let jspi = false;

self.onmessage = (event: MessageEvent<PageToWorker[]>) => {
  received++;
  take(event.data);
  if (early !== undefined && received >= early.posted) {
    const { batch } = early;
    early = undefined;
    take(batch);
  }
  drain();
};

/** Takes the page's requests: calls join the queue, the rest act at once. */
function take(requests: PageToWorker[]): void {
  for (const request of requests) {
    if (request.type === "init") start(request.options);
    else if (request.type === "jspi-answer") answers.receive?.(request.bytes);
    else if (request.type === "forget") forgotten.push([request.id, request.times]);
    else if (request.type === "warm") setTimeout(() => writeEveryPage(request.buffer, request.done)); // after what is queued now
    else if (request.type === "cancel") {
      const queued = queue.findIndex((r) => r.type !== "callback" && r.id === request.id);
      if (queued >= 0) queue.splice(queued, 1);
    }
    else queue.push(request);
  }
}

async function start(options: InitOptions): Promise<void> {
  const loading = new LoadWatch(options, (reply) => outbox.send(reply));
  try {
    // The code is fetched while the interpreter loads; a failed fetch ends the start at once.
    const archive = options.archive && download(options.archive.url);
    const source = options.src === undefined ? undefined : download(options.src);
    const files = options.files.map(({ url }) => download(url));
    const jsModules = importModules(options.jsModules);
    interpreter = options.interpreter;
    const { channel } = options;
    if (channel.kind !== "none") asker = createAsker(channel, (message) => postToPage([message as WorkerToPage]), () => posted, answers);
    lane = options.lane;
    if (options.interrupt !== undefined) interrupt = new Int32Array(options.interrupt);
    const page: PageHooks = {
      callPage: (name, ...args) => ask({ type: "call", name, args }, `sync.${name}()`),
      readLine: (prompt) => {
        // With a channel the page prints the prompt; without one the worker does, before the error.
        if (asker === undefined && prompt !== "") print("stdout", prompt);
        // Without a stdin function there is nothing to ask for: the end of input, with a channel or without.
        if (asker === undefined && !options.stdin) throw noStdin();
        return ask({ type: "input", prompt }, "input()");
      },
      sleep: pause,
      pageOp: (op, released, what) => {
        // Without undefined fields, the question is plain JSON (see encoding.ts).
        const question: WorkerQuestion & { type: "page" } = { type: "page", op };
        if (released !== undefined) question.released = released;
        return ask(question, what);
      },
    };
    const hooks = { ...page, print, postWaitingOutput };
    jspi = options.channel.kind === "jspi" && interpreter === "pyodide";
    const started = interpreter === "micropython" ? startMicroPython(options, hooks) : startPyodide(options, loading, hooks);
    started.catch(() => {}); // a failed download may end the start first
    const { python: module, fs, registerJsModule, ...interpreterControls } = await Promise.race([failureOf([archive, source, ...files]), started]);
    controls = interpreterControls;
    loading.loaded();
    registerJsModule("_pyworker_js_modules", await jsModules);
    for (const [i, { path }] of options.files.entries()) writeFiles(fs, path.startsWith("/") ? "" : fs.cwd() + "/", { [path]: await files[i]! });
    if (archive !== undefined) {
      const { url, format, extractDir } = options.archive!;
      const name = url.startsWith("data:") ? "the archive (a data: URL)" : `the archive ${url}`;
      const wrong = module._unpack_archive(await archive, name, format!, extractDir);
      if (wrong !== undefined) throw new Error(wrong);
    }
    // Requests wait (python stays null) until src has run: they may use what it defines.
    if (source !== undefined) await runSource(module, options.src!, await source);
    if (loading.phase === "failed") return; // the page has given up on this worker
    python = module;
    loading.reach("ready");
    outbox.send({ type: "ready" });
    drain();
  } catch (error) {
    loading.fail(String((error as Error)?.message ?? error));
  }
}

/** The config's JavaScript modules for Python (`pyscript.js_modules`), imported while the interpreter loads: name → module. */
async function importModules(urls: Record<string, string>): Promise<Record<string, unknown>> {
  const imported = Object.entries(urls).map(async ([url, name]) => {
    try {
      return [name, await import(url)] as const;
    } catch (error) {
      throw new Error(`the JavaScript module ${url} (js_modules.worker) could not be imported: ${(error as Error)?.message ?? error}`);
    }
  });
  return Object.fromEntries(await Promise.all(imported));
}

/** Runs the worker's `src` file, fetched from url; its failure is the worker's. */
async function runSource(python: PythonModule, url: string, bytes: Uint8Array): Promise<void> {
  const source = new TextDecoder().decode(bytes);
  const filename = url.startsWith("data:") ? "<script>" : new URL(url).pathname.split("/").pop() || url;
  const { error } = await settle(enter(python._run, source, undefined, filename));
  if (error !== undefined) throw new Error(`${filename} raised an exception:\n${error}`);
}

/** Runs queued requests, and the next ones from the lane while they come. */
function drain(): void {
  do runQueued();
  while (python !== null && !busy && queue.length === 0 && nextByLane());
}

/** Runs queued requests in order; one that must wait holds the rest until it is done. */
function runQueued(): void {
  if (python !== null && !busy && forgotten.length > 0) python._forget_callbacks(forgotten.splice(0));
  while (python !== null && !busy && queue.length > 0) {
    const request = queue.shift()!;
    if (request.type !== "callback" && dropped.delete(request.id)) continue;
    const turn = interrupt === undefined ? "started" : starting(interrupt, request.type === "callback" ? 0 : request.id);
    if (turn === "cancelled") continue;
    if (turn === "interrupted") {
      answer(request, keyboardInterrupt("the call was interrupted before it started"));
      continue;
    }
    let result: RunResult | Promise<RunResult>;
    try {
      result = settle(
        request.type === "run"
          ? enter(python._run, request.code, request.context && Object.keys(request.context).length > 0 ? request.context : undefined)
          : request.type === "export"
            ? enter(python._call_export, request.name, ...request.args) // spread: each converts as it crosses
            : enter(python._call_callback, request.id, request.args),
      );
    } catch (error) {
      return fail(request, error);
    }
    if (!(result instanceof Promise)) {
      answer(request, result);
      continue;
    }
    busy = true;
    result.then(
      (result) => {
        busy = false;
        answer(request, result);
        drain();
      },
      (error: unknown) => fail(request, error),
    );
  }
}

/**
 * With the answers posted, spins a moment on the lane for the page's next
 * request (see lane.ts); says whether one came that can run now.
 */
function nextByLane(): boolean {
  if (lane === undefined || early !== undefined) return false; // one batch waits at most: the next ones come as messages
  outbox.flush();
  const next = takeFromLane(lane);
  if (next === undefined) return false;
  if (next.posted > received) {
    early = { batch: next.batch as PageToWorker[], posted: next.posted }; // after the messages it follows
    return false;
  }
  take(next.batch as PageToWorker[]);
  return true;
}

/** Calls Python: directly, or (jspi) so that it may suspend, which makes the reply a promise. */
function enter<F extends (...args: never[]) => PythonReply>(fn: PythonFunction<F>, ...args: Parameters<F>): PythonReply | Promise<PythonReply> {
  return jspi ? fn.callPromising(...args) : fn(...args);
}

/** A Python reply as a result: at once, or a promise of it when Python must wait. */
function settle(reply: PythonReply | Promise<PythonReply>): RunResult | Promise<RunResult> {
  if (reply instanceof Promise) return reply.then(settle);
  if (typeof reply !== "object" || reply === null) return { results: reply }; // a scalar, returned bare (see _result_reply)
  if (typeof (reply as PythonFuture).then !== "function") return reply as RunResult;
  const future = reply as PythonFuture;
  return new Promise<PythonReply>((resolve, reject) => future.then(resolve, reject))
    .finally(() => future.destroy())
    .then((value) => settle(value) as RunResult); // the future's value is never a future
}

/** Ends a call: sends a run's or an export call's result; a callback has nobody waiting, so its error goes to stderr. */
function answer(request: CallRequest, result: RunResult): void {
  if (interrupt !== undefined) finished(interrupt);
  if (request.type === "callback") {
    if (result.error !== undefined) print("stderr", result.error);
    return;
  }
  const transfer: Transferable[] = [];
  if ("results" in result) result.results = forThePage(result.results, transfer);
  outbox.send({ type: "result", id: request.id, ...result }, transfer);
}

/** How often output reaches the page while Python runs: about once a frame. */
const OUTPUT_INTERVAL_MS = 15;

/**
 * Queues a printed line, in the same message as the lines before it. Python
 * busy in a loop keeps the outbox from posting at the end of the task, so the
 * lines are posted every OUTPUT_INTERVAL_MS: they stream, in order, a few
 * thousand to a message rather than one message each.
 */
function print(stream: "stdout" | "stderr", line: string): void {
  const last = outbox.last();
  if (last?.type === "output" && last.stream === stream) last.lines.push(line);
  else outbox.send({ type: "output", stream, lines: [line] });
  if (!postWaitingOutput()) controls.pollWhileOutputWaits(true);
}

/** Posts what waits in the outbox if the last post was OUTPUT_INTERVAL_MS ago or more; says whether nothing waits now. */
function postWaitingOutput(): boolean {
  if (outbox.last() === undefined) return true;
  return performance.now() - outbox.postedAt > OUTPUT_INTERVAL_MS && outbox.flush();
}

/**
 * Python's `time.sleep(seconds)`, which interrupt() ends: with shared memory
 * the worker waits on the interrupt buffer; without, it asks the page, which
 * answers when the time is up (a promise on jspi, for run_sync); with no
 * channel it returns false, and Python sleeps its own way (spinning).
 */
function pause(seconds: number): boolean | Promise<unknown> {
  outbox.flush(); // what was printed before shows while the worker sleeps
  const ms = seconds * 1000;
  if (interrupt !== undefined) {
    sleep(interrupt, ms);
    controls.checkInterrupt();
    return true;
  }
  if (asker === undefined) return false;
  const slept = ask({ type: "sleep", ms }, "time.sleep()");
  return slept instanceof Promise ? slept : true;
}

/** A JavaScript error out of the interpreter: fatal ones end the worker, others fail the call. */
function fail(request: CallRequest, error: unknown): void {
  const message = String((error as Error)?.message ?? error);
  if ((error as { pyodide_fatal_error?: boolean })?.pyodide_fatal_error) {
    python = null;
    // A trap's message is the engine's own ("memory access out of bounds", "index out of bounds"...).
    const fatal = error instanceof WebAssembly.RuntimeError ? `its WebAssembly trapped: ${error}` : message;
    outbox.send({ type: "fatal", message: fatal });
    return;
  }
  busy = false;
  const text = `Error: ${message}`;
  // An interrupt that landed in the runtime's own Python, around the user's code, is still the call's.
  if ((error as { type?: string })?.type === "KeyboardInterrupt") answer(request, keyboardInterrupt("the call was interrupted"));
  else answer(request, { error: text, exception: { type: "Error", message, traceback: text } });
  drain();
}

/**
 * Asks the page (a `sync.NAME(...)` call, or a use of `window` or `document`)
 * and blocks until it answers through the channel; `what` names it in errors.
 * With jspi it returns a promise, which Python waits for with run_sync.
 */
function ask(question: WorkerQuestion, what: string): unknown {
  if (asker === undefined) throw new Error(`${what} needs a synchronous channel to the page, and this worker has none: ${noChannelHelp(interpreter)}`);
  outbox.flush(); // what was printed before the call reaches the page before it
  const cannotCross = (error: unknown): never => {
    if ((error as Error)?.name !== "DataCloneError") throw error;
    throw new TypeError(`the arguments of ${what} cannot cross to the page: ${(error as Error).message}`);
  };
  let answer: Answer | Promise<Answer>;
  try {
    answer = asker(question);
  } catch (error) {
    return cannotCross(error);
  }
  return answer instanceof Promise ? answer.then(valueOf, cannotCross) : valueOf(answer);
}

/** The page's value, or its error thrown. */
function valueOf(answer: Answer): unknown {
  controls.checkInterrupt(); // the page may have ended the wait to interrupt
  for (const id of answer.cancelled ?? []) dropped.add(id);
  if (!("error" in answer)) return answer.value; // an undefined value decodes as a missing key
  // No shared memory: the answer is the interrupt. On jspi, Python is suspended, not running: it raises it when it resumes (_wait).
  if (answer.error.name === "KeyboardInterrupt" && !jspi) controls.raiseKeyboardInterrupt();
  const error = new Error(answer.error.message);
  error.name = answer.error.name;
  throw error;
}
