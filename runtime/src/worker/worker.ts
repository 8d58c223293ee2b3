// The worker side of pyworker: starts the interpreter through its adapter
// (pyodide.ts, micropython.ts: see adapter.ts), then runs the page's requests
// one at a time through the Python module `pyworker` (python/pyworker),
// answering Python's questions to the page over the channel.

/// <reference lib="webworker" />

import type { Controls, PageHooks, PythonModule } from "../shared/adapter";
import { CallQueue, settle, type Instruction } from "./calls";
import { createAsker, noChannelHelp, type Answer, type Asker } from "../shared/channel";
import { download, failureOf } from "./downloads";
import { sleep } from "../shared/interrupt";
import { LoadWatch } from "./loading";
import { noStdin } from "../shared/stdin";
import { Outbox, type InitOptions, type PageToWorker, type WorkerQuestion, type WorkerToPage } from "../shared/protocol";
import { startMicroPython } from "../shared/micropython";
import { writeFiles } from "../shared/python";
import { makeSnapshot, preloadPyodide, startPyodide, startAhead, type StartedAhead } from "./pyodide";
import { uncrossable } from "./results";
import { sendByLane } from "../shared/lane";
import { decodeSharedViews, writeEveryPage } from "../shared/share";
import { Timings } from "../shared/timings";
import type { Interpreter } from "../shared/types";

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
  if (replyLane !== undefined && transfer.length === 0 && sendByLane(replyLane, replies, posted)) return; // the page polls for them
  self.postMessage(replies, transfer);
  posted++;
}

/** The reply lane (see lane.ts), when the page has shared memory. */
let replyLane: SharedArrayBuffer | undefined;

const calls = new CallQueue(outbox, instruct, (text) => print("stderr", text));
/** The interpreter this worker runs. */
let interpreter: Interpreter = "pyodide";
/** Asks the page through the channel; undefined when the page gave none. */
let asker: Asker | undefined;
/** Where jspi answers go: the asker waiting for one sets `receive`. */
const answers: { receive?: (bytes: Uint8Array) => void } = {};
/** Pyodide started ahead, when this is a warm spare worker (see startfrom.ts), until its init adopts it. */
let ahead: StartedAhead | undefined;
/** The bridge's step timings, when the page asked for them (see timings.ts). */
let timings: Timings | undefined;
/** The interpreter's controls (interrupts, output polling), once it has started. */
let controls: Controls = { checkInterrupt: () => {}, raiseKeyboardInterrupt: () => {}, pollWhileOutputWaits: () => {} };

self.onmessage = (event: MessageEvent<PageToWorker[]>) => calls.receive(event.data);

/** Acts on the page's requests that are not calls. */
function instruct(request: Instruction): void {
  if (request.type === "init") start(request.options);
  else if (request.type === "jspi-answer") answers.receive?.(request.bytes);
  else if (request.type === "make-snapshot") snapshot(request.indexURL);
  else if (request.type === "preload") {
    if (request.start === undefined) preloadPyodide(request.indexURL);
    else ahead = startAhead(request.indexURL, request.start);
  }
  else setTimeout(() => writeEveryPage(request.buffer, request.done)); // "warm": after what is queued now
}

/** Makes a snapshot for the page (internal/snapshot drives this), and is done. */
async function snapshot(indexURL: string): Promise<void> {
  try {
    const bytes = await makeSnapshot(indexURL);
    outbox.send({ type: "snapshot", bytes }, [bytes.buffer]);
  } catch (error) {
    outbox.send({ type: "failed", message: `making a memory snapshot: ${(error as Error)?.message ?? error}` });
  }
}

async function start(options: InitOptions): Promise<void> {
  const send = (reply: WorkerToPage) => outbox.send(reply);
  const started = options.interpreter === "pyodide" ? ahead : undefined;
  ahead = undefined;
  const loading = started?.loading.adopt(options, send) ?? new LoadWatch(options, send);
  try {
    // The code is fetched while the interpreter loads; a failed fetch ends the start at once.
    const archive = options.archive && download(options.archive.url);
    const source = options.src === undefined ? undefined : download(options.src);
    const files = options.files.map(({ url }) => download(url));
    const jsModules = importModules(options.jsModules);
    interpreter = options.interpreter;
    const { channel } = options;
    if (options.timings !== undefined) timings = calls.timings = new Timings(options.timings);
    if (channel.kind !== "none") asker = createAsker(channel, (message) => postToPage([message as WorkerToPage]), () => posted, answers, timings);
    calls.lane = options.lane;
    replyLane = options.replyLane;
    if (options.interrupt !== undefined) calls.interrupt = new Int32Array(options.interrupt);
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
    calls.jspi = options.channel.kind === "jspi" && interpreter === "pyodide";
    const starting = interpreter === "micropython" ? startMicroPython(options, hooks) : startPyodide(options, loading, hooks, started?.restored);
    starting.catch(() => {}); // a failed download may end the start first
    const { python: module, fs, registerJsModule, reusable, snapshotToKeep, afterReady, ...interpreterControls } = await Promise.race([failureOf([archive, source, ...files]), starting]);
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
    // Calls wait until src has run: they may use what it defines.
    if (source !== undefined) await runSource(module, options.src!, await source);
    if (loading.phase === "failed") return; // the page has given up on this worker
    loading.reach("ready");
    outbox.send({ type: "ready" });
    if (reusable !== undefined) outbox.send({ type: "reusable", ...reusable });
    outbox.flush();
    calls.open(module);
    // Once the calls that waited for the start have run: their answers go first.
    setTimeout(() => {
      afterReady?.();
      const snapshot = snapshotToKeep?.();
      const transfer = snapshot?.buffer instanceof ArrayBuffer ? [snapshot.buffer] : [];
      if (snapshot !== undefined && reusable !== undefined) outbox.send({ type: "reusable", wasm: reusable.wasm, snapshot }, transfer);
    });
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
  const { error } = await settle(calls.enter(python._run, source, undefined, filename));
  if (error !== undefined) throw new Error(`${filename} raised an exception:\n${error}`);
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
  if (calls.interrupt !== undefined) {
    sleep(calls.interrupt, ms);
    controls.checkInterrupt();
    return true;
  }
  if (asker === undefined) return false;
  const slept = ask({ type: "sleep", ms }, "time.sleep()");
  return slept instanceof Promise ? slept : true;
}

/**
 * Asks the page (a `sync.NAME(...)` call, or a use of `window` or `document`)
 * and blocks until it answers through the channel; `what` names it in errors.
 * With jspi it returns a promise, which Python waits for with run_sync.
 */
function ask(question: WorkerQuestion, what: string): unknown {
  if (asker === undefined) throw new Error(`${what} needs a synchronous channel to the page, and this worker has none: ${noChannelHelp(interpreter)}`);
  timings?.sync("asked");
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
  calls.drop(answer.cancelled ?? []);
  timings?.sync("back in Python");
  if (!("error" in answer)) return answer.value; // an undefined value decodes as a missing key
  // No shared memory: the answer is the interrupt. On jspi, Python is suspended, not running: it raises it when it resumes (_wait).
  if (answer.error.name === "KeyboardInterrupt" && !calls.jspi) controls.raiseKeyboardInterrupt();
  const error = new Error(answer.error.message);
  error.name = answer.error.name;
  throw error;
}
