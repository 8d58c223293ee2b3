// The worker side of pyworker: loads Pyodide, then runs the page's requests
// one at a time through the Python module `pyworker` (python/pyworker).

/// <reference lib="webworker" />

import pythonModule from "../python/pyworker/__init__.py";
import pyscriptModule from "../python/pyscript/__init__.py";
import { createAsker, NO_CHANNEL_HELP, type Answer, type Asker } from "./channel";
import { finished, pollingSignal, sleep, starting } from "./interrupt";
import { takeFromLane } from "./lane";
import type { PageOp, Wire } from "./pageobjects";
import { Outbox, type InitOptions, type Reply, type Request } from "./protocol";
import { decodeSharedViews } from "./share";
import type { Phase, Progress, RunResult } from "./types";

declare const self: DedicatedWorkerGlobalScope;

decodeSharedViews(); // big arrays may come in shared memory (see share.ts)

/** The parts of Pyodide's API this file uses. */
interface Pyodide {
  pyimport(name: string): PythonModule;
  registerJsModule(name: string, module: object): void;
  setStdout(options: { batched(line: string): void }): void;
  setStderr(options: { batched(line: string): void }): void;
  setStdin(options: { error: true }): void;
  /** Pyodide only indexes the buffer: `[0]` is read and set back to 0; undefined stops its polling. */
  setInterruptBuffer(buffer: ArrayLike<number> | undefined): void;
  /** Raises KeyboardInterrupt in Python now if the interrupt buffer says so. */
  checkInterrupt(): void;
  loadPackage(
    names: string[],
    options: { messageCallback(message: string): void; errorCallback(message: string): void },
  ): Promise<unknown>;
}
interface LoadOptions {
  indexURL: string;
  fsInit(fs: FileSystem, info: { sitePackages: string }): Promise<void>;
}
interface FileSystem {
  mkdirTree(path: string): void;
  writeFile(path: string, data: string): void;
}
type CallRequest = Exclude<Request, { type: "init" } | { type: "answer" } | { type: "forget" } | { type: "cancel" }>;
/** What `_run` and `_call_export` return: the reply, a bare scalar result, or a thenable of the reply when the code must wait. */
type PythonReply = RunResult | PythonFuture | string | number | bigint | boolean | undefined;
/** `pyworker._run` (undefined becomes None; null would be jsnull). */
type PythonRun = (code: string, context: Record<string, unknown> | undefined, filename?: string) => PythonReply;
/** The entry points of the Python module `pyworker`. */
interface PythonModule {
  _run: PythonFunction<PythonRun>;
  /** Calls an exported function. */
  _call_export: PythonFunction<(name: string, ...args: unknown[]) => PythonReply>;
  /** Runs a Python callback the page called. */
  _call_callback: PythonFunction<(id: number, args: Wire[]) => PythonReply>;
  /** Unpacks an archive of Python code and puts it on sys.path. */
  _unpack_archive(data: Uint8Array, name: string, format: string, extractDir: string | undefined): string | undefined;
  /** Lets go of the Python callbacks the page dropped: [id, times sent] pairs. */
  _forget_callbacks(pairs: [number, number][]): void;
}
/** A Python function; `callPromising` enters Python so that it may suspend (JSPI). */
type PythonFunction<F extends (...args: never[]) => PythonReply> = F & {
  callPromising(...args: Parameters<F>): Promise<PythonReply>;
};
interface PythonFuture {
  then(resolve: (reply: PythonReply) => void, reject: (error: unknown) => void): void;
  destroy(): void;
}

const outbox = new Outbox<Reply>(
  (replies, transfer) => postToPage(replies, transfer),
  (reply, error) => {
    if (reply.type === "result") outbox.send(uncrossable(reply.id, error));
  },
);
/** How many messages the worker has posted to the page (see channel.ts: questions keep their place after them). */
let posted = 0;

function postToPage(replies: Reply[], transfer: Transferable[] = []): void {
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
/** Asks the page through the channel; undefined when the page gave none. */
let asker: Asker | undefined;
/** Where jspi answers go: the asker waiting for one sets `receive`. */
const answers: { receive?: (bytes: Uint8Array) => void } = {};
/** The interrupt buffer (see interrupt.ts). */
let interrupt: Int32Array | undefined;
/** Raises the KeyboardInterrupt the page asked for, if it did. */
let checkInterrupt = () => {};
/** Raises KeyboardInterrupt in Python now. */
let raiseKeyboardInterrupt = () => {};
/** Has Pyodide poll for output to post while Python runs, or stop (see pollingSignal). */
let pollWhileOutputWaits: (on: boolean) => void = () => {};
/** The request lane (see lane.ts), when the page has shared memory. */
let lane: SharedArrayBuffer | undefined;
/** How many messages came from the page; a lane batch that came before some it follows, until they do. */
let received = 0;
let early: { batch: Request[]; posted: number } | undefined;
/** Python is entered through callPromising, so that run_sync can suspend it. */
let jspi = false;

self.onmessage = (event: MessageEvent<Request[]>) => {
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
function take(requests: Request[]): void {
  for (const request of requests) {
    if (request.type === "init") start(request.options);
    else if (request.type === "answer") answers.receive?.(request.answer);
    else if (request.type === "forget") forgotten.push([request.id, request.times]);
    else if (request.type === "cancel") {
      const queued = queue.findIndex((r) => r.type !== "callback" && r.id === request.id);
      if (queued >= 0) queue.splice(queued, 1);
    }
    else queue.push(request);
  }
}

async function start(options: InitOptions): Promise<void> {
  try {
    const stopWatchingUncaught = watchLoading(options);
    const archive = options.archive && download(options.archive.url);
    const { loadPyodide } = (await import(options.indexURL + "pyodide.mjs")) as {
      loadPyodide(options: LoadOptions): Promise<Pyodide>;
    };
    const { channel } = options;
    if (channel.kind !== "none") asker = createAsker(channel, (message) => postToPage([message as Reply]), () => posted, answers);
    jspi = channel.kind === "jspi";
    lane = options.lane;
    const pyodide = await loadPyodide({
      indexURL: options.indexURL,
      async fsInit(fs, { sitePackages }) {
        for (const [name, source] of [["pyworker", pythonModule], ["pyscript", pyscriptModule]]) {
          fs.mkdirTree(`${sitePackages}/${name}`);
          fs.writeFile(`${sitePackages}/${name}/__init__.py`, source);
        }
      },
    });
    stopWatchingUncaught();
    pyodide.registerJsModule("_pyworker_js", {
      channel: channel.kind,
      callPage: (name: string, ...args: unknown[]) => ask({ type: "call", name, args }, `sync.${name}()`),
      readLine: (prompt: string) => {
        // With a channel the page prints the prompt; without one the worker does, before the error.
        if (asker === undefined && prompt !== "") print("stdout", prompt);
        return ask({ type: "input", prompt }, "input()");
      },
      sleep: pause,
      pageOp: (op: PageOp["op"], ref: number, key: PageOp["key"], args: PageOp["args"], released: number[] | undefined, what: string) => {
        // Without undefined fields, the question is plain JSON (see encoding.ts).
        const question: Reply & { type: "page" } = { type: "page", op: { op, ref } };
        if (key !== undefined) question.op.key = key;
        if (args !== undefined) question.op.args = args;
        if (released !== undefined) question.released = released;
        return ask(question, what);
      },
    });
    pyodide.setStdout({ batched: (line) => print("stdout", line) });
    pyodide.setStderr({ batched: (line) => print("stderr", line) });
    // input() and sys.stdin are pyworker's (they ask the page); a read of file descriptor 0
    // that bypasses them fails plainly, rather than calling prompt(), which workers lack.
    pyodide.setStdin({ error: true });
    if (options.interrupt !== undefined) {
      interrupt = new Int32Array(options.interrupt);
      checkInterrupt = () => pyodide.checkInterrupt();
    }
    const pollingBuffer = pollingSignal(interrupt, () => {
      if (postWaitingOutput()) pollWhileOutputWaits(false);
    });
    let polling = false;
    const setSignalBuffer = () => pyodide.setInterruptBuffer(polling ? pollingBuffer : interrupt);
    pollWhileOutputWaits = (on) => {
      if (on === polling) return; // print() asks on every line
      polling = on;
      setSignalBuffer();
    };
    setSignalBuffer();
    raiseKeyboardInterrupt = () => {
      pyodide.setInterruptBuffer([2]); // SIGINT, read by the check below
      try {
        pyodide.checkInterrupt();
      } finally {
        setSignalBuffer();
      }
    };
    if (options.packages.length > 0) {
      reach("packages");
      const errors: string[] = [];
      await pyodide.loadPackage(options.packages, { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
      if (errors.length > 0) throw new Error(`loading packages ${options.packages.join(", ")}: ${errors.join("; ")}`);
    }
    const module = pyodide.pyimport("pyworker");
    if (archive !== undefined) {
      const { url, format, extractDir } = options.archive!;
      const name = url.startsWith("data:") ? "the archive (a data: URL)" : `the archive ${url}`;
      const wrong = module._unpack_archive(await archive, name, format!, extractDir);
      if (wrong !== undefined) throw new Error(wrong);
    }
    // Requests wait (python stays null) until src has run: they may use what it defines.
    if (options.src !== undefined) await runSource(module, options.src);
    if (phase === "failed") return; // the page has given up on this worker
    python = module;
    reach("ready");
    outbox.send({ type: "ready" });
    drain();
  } catch (error) {
    failStart(String((error as Error)?.message ?? error));
  }
}

/** Fails the start, once: the page rejects `ready` and every call with `reason`, and ends this worker. */
function failStart(reason: string): void {
  if (phase === "ready" || phase === "failed") return;
  phase = "failed";
  progress?.(reason);
  outbox.send({ type: "failed", message: reason });
}

/** The bytes at `url`; a failure is the worker's, reported when they are needed. */
function download(url: string): Promise<Uint8Array> {
  const bytes = fetch(url).then(async (response) => {
    if (!response.ok) throw new Error(`fetching ${url}: ${response.status} ${response.statusText}`);
    return new Uint8Array(await response.arrayBuffer());
  });
  bytes.catch(() => {}); // awaited later: not an unhandled rejection meanwhile
  return bytes;
}

/** Runs the worker's `src` file; its failure is the worker's. */
async function runSource(python: PythonModule, url: string): Promise<void> {
  const source = new TextDecoder().decode(await download(url));
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
    early = { batch: next.batch as Request[], posted: next.posted }; // after the messages it follows
    return false;
  }
  take(next.batch as Request[]);
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
  outbox.send({ type: "result", id: request.id, ...result }, transferables(result.results));
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
  if (!postWaitingOutput()) pollWhileOutputWaits(true);
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
    checkInterrupt();
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
    outbox.send({ type: "fatal", message });
    return;
  }
  busy = false;
  const text = `Error: ${message}`;
  // An interrupt that landed in the runtime's own Python, around the user's code, is still the call's.
  if ((error as { type?: string })?.type === "KeyboardInterrupt") answer(request, keyboardInterrupt("the call was interrupted"));
  else answer(request, { error: text, exception: { type: "Error", message, traceback: text } });
  drain();
}

/** The result of a call interrupted outside its own code. */
function keyboardInterrupt(message: string): RunResult {
  const text = `KeyboardInterrupt: ${message}\n`;
  return { error: text, exception: { type: "KeyboardInterrupt", message, traceback: text } };
}

/**
 * Asks the page (a `sync.NAME(...)` call, or a use of `window` or `document`)
 * and blocks until it answers through the channel; `what` names it in errors.
 * With jspi it returns a promise, which Python waits for with run_sync.
 */
function ask(question: Reply, what: string): unknown {
  if (asker === undefined) throw new Error(`${what} needs a synchronous channel to the page, and this worker has none: ${NO_CHANNEL_HELP}`);
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
  checkInterrupt(); // the page may have ended the wait to interrupt
  for (const id of answer.cancelled ?? []) dropped.add(id);
  if (!("error" in answer)) return answer.value; // an undefined value decodes as a missing key
  // No shared memory: the answer is the interrupt. On jspi, Python is suspended, not running: it raises it when it resumes (_wait).
  if (answer.error.name === "KeyboardInterrupt" && !jspi) raiseKeyboardInterrupt();
  const error = new Error(answer.error.message);
  error.name = answer.error.name;
  throw error;
}

/** The reply for a result the structured clone refused (a JavaScript function, say). */
function uncrossable(id: number, error: unknown): Reply {
  const message = `the result cannot cross to the page: ${(error as Error)?.message ?? error}`;
  const text = `TypeError: ${message}`;
  return { type: "result", id, error: text, exception: { type: "TypeError", message, traceback: text } };
}

/** Buffers in a result to move to the page rather than copy: they were made for it. */
function transferables(value: unknown, found: Transferable[] = [], depth = 0): Transferable[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && !found.includes(value.buffer)) found.push(value.buffer);
  } else if (value instanceof ArrayBuffer) {
    if (!found.includes(value)) found.push(value);
  } else if (typeof value === "object" && value !== null && depth < 3) {
    const items = Array.isArray(value) ? value : Object.values(value);
    if (items.length <= 1000) for (const item of items) transferables(item, found, depth + 1);
  }
  return found;
}

// Loading: the phase reached, and its report to the page when the page wants progress.
let phase: Phase = "download";
let progress: ((failure?: string) => void) | undefined;

/** Moves to phase `next` and reports it; a failed start stays failed. */
function reach(next: Phase): void {
  if (phase === "failed") return;
  phase = next;
  progress?.();
}

/**
 * Watches Pyodide load. The first asset that cannot be fetched or
 * instantiated fails the start: Pyodide only logs a failed instantiation of
 * its wasm, and loadPyodide never settles. Marks the compile and start
 * phases, and counts the assets' bytes when the page wants progress.
 * Returns what stops the watch for uncaught errors, once Pyodide has loaded.
 */
function watchLoading(options: InitOptions): () => void {
  const total = Object.values(options.assetSizes).reduce((a, b) => a + b, 0);
  let loaded = 0;
  let last = 0;
  if (options.progress) {
    progress = (failure) => {
      const report: Progress = { phase, loaded: phase === "ready" ? total : Math.min(loaded, total), total };
      if (failure !== undefined) report.message = failure;
      outbox.send({ type: "progress", progress: report });
    };
    progress();
  }
  /** The URLs of the responses remade to watch their bodies, which have none of their own. */
  const remade = new WeakMap<Response, string>();
  const fetch = self.fetch;
  self.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const name = url.startsWith(options.indexURL) ? url.slice(options.indexURL.length) : "";
    if (!(name in options.assetSizes)) return fetch(input, init);
    const response = await fetch(input, init).catch((error: unknown) => {
      failStart(`fetching ${url}: ${error}`);
      throw error;
    });
    if (!response.ok) failStart(`fetching ${url}: ${response.status} ${response.statusText}`.trimEnd());
    // The other assets are remade so that a failed read names them. A remade wasm loses its code
    // cache: without progress it goes as it came, and a failed read fails instantiateStreaming.
    if (response.body === null || (!options.progress && name.endsWith(".wasm"))) return response;
    const reader = response.body.getReader();
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const chunk = await reader.read().catch((error: unknown) => {
          failStart(`fetching ${url}: ${error}`);
          throw error;
        });
        if (chunk.done) return controller.close();
        loaded += chunk.value.byteLength;
        if (loaded - last > total / 100) {
          last = loaded;
          progress?.();
        }
        controller.enqueue(chunk.value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    const { status, statusText, headers } = response;
    const watched = new Response(body, { status, statusText, headers });
    remade.set(watched, url);
    return watched;
  };
  const instantiate = WebAssembly.instantiateStreaming;
  WebAssembly.instantiateStreaming = async (source, imports) => {
    reach("compile");
    let result: WebAssembly.WebAssemblyInstantiatedSource;
    try {
      result = await instantiate(source, imports);
    } catch (error) {
      const response = await source;
      failStart(`loading ${remade.get(response) ?? response.url}: ${error}`);
      throw error;
    }
    reach("start");
    return result;
  };
  // What goes uncaught while Pyodide loads fails the start. Once it has loaded, user code
  // (src) may run: what it leaves uncaught is not the interpreter's failure.
  const uncaught = (event: ErrorEvent | PromiseRejectionEvent) => {
    if (phase === "failed") return;
    event.preventDefault();
    failStart(String("reason" in event ? event.reason : (event.error ?? event.message)));
  };
  self.addEventListener("error", uncaught);
  self.addEventListener("unhandledrejection", uncaught);
  return () => {
    self.removeEventListener("error", uncaught);
    self.removeEventListener("unhandledrejection", uncaught);
  };
}
