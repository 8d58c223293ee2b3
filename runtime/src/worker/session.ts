// A worker's session, made at its init: it starts the interpreter through
// its adapter (pyodide.ts, micropython.ts: see adapter.ts), then runs the
// page's requests one at a time through the Python module `pyworker`
// (python/pyworker), answering Python's questions to the page over the
// channel. It owns the worker's outbox, asker, call queue and the
// interpreter's controls; what the init says is fixed for its life.

/// <reference lib="webworker" />

import type { Controls, PageHooks, PythonModule, WorkerHooks } from "../shared/adapter";
import { CallQueue, type Instruction } from "./calls";
import { createAsker, noChannelHelp, type Answer, type Asker } from "../shared/channel";
import { download, failureOf } from "./downloads";
import { sleep } from "../shared/interrupt";
import { interpreterNamed, type InterpreterRecord } from "../shared/interpreters";
import { LoadWatch } from "./loading";
import { noStdin } from "../shared/stdin";
import { Outbox, type InitOptions, type PageToWorker, type PyScriptContext, type WorkerQuestion, type WorkerToPage } from "../shared/protocol";
import { startMicroPython } from "../shared/micropython";
import { writeFiles } from "../shared/python";
import { startPyodide, type StartedAhead } from "./pyodide";
import { uncrossable } from "./results";
import { sendByLane } from "../shared/lane";
import { writeEveryPage } from "../shared/share";
import { Timings } from "../shared/timings";
import type { Interpreter } from "../shared/types";
import { crossingArgs } from "../shared/pageobjects";
import { storageModule } from "../shared/storage";

declare const self: DedicatedWorkerGlobalScope;

/** How often output reaches the page while Python runs: about once a frame. */
const OUTPUT_INTERVAL_MS = 15;

/** How each interpreter starts in a worker; a spare's start made ahead is Pyodide's. */
const starts: Record<Interpreter, (options: InitOptions, loading: LoadWatch, hooks: WorkerHooks, ahead?: StartedAhead) => ReturnType<typeof startPyodide>> = {
  pyodide: (options, loading, hooks, ahead) => startPyodide(options, loading, hooks, ahead?.restored),
  micropython: (options, _loading, hooks) => startMicroPython(options, hooks),
};

export class WorkerSession {
  private readonly interpreter: InterpreterRecord;
  private readonly outbox: Outbox<WorkerToPage>;
  /** How many messages the worker has posted to the page (see arrivals.ts: what goes through shared memory keeps its place after them). */
  private posted = 0;
  private readonly calls: CallQueue;
  /** Asks the page through the channel; undefined when the page gave none. */
  private readonly asker: Asker | undefined;
  /** Where jspi answers go: the asker waiting for one sets `receive`. */
  private readonly answers: { receive?: (bytes: Uint8Array) => void } = {};
  /** The bridge's step timings, when the page asked for them (see timings.ts). */
  private readonly timings: Timings | undefined;
  /** The interpreter's controls (interrupts, output polling), once it has started. */
  private controls: Controls = { checkInterrupt: () => {}, raiseKeyboardInterrupt: () => {}, pollWhileOutputWaits: () => {} };

  /** Starts the interpreter `options` name, or adopts the start a spare worker made ahead (startfrom.ts). */
  constructor(
    private readonly options: InitOptions,
    ahead: StartedAhead | undefined,
  ) {
    this.interpreter = interpreterNamed(options.interpreter);
    this.outbox = new Outbox<WorkerToPage>(
      (replies, transfer) => this.post(replies, transfer),
      (reply, error) => {
        if (reply.type === "result") this.outbox.send(uncrossable(reply.id, reply.results, error));
      },
    );
    this.timings = options.timings === undefined ? undefined : new Timings(options.timings);
    const { channel } = options;
    this.asker =
      channel.kind === "none"
        ? undefined
        : createAsker(channel, (message) => this.post([message as WorkerToPage]), () => this.posted, this.answers, this.timings);
    this.calls = new CallQueue(this.outbox, (request) => this.instruct(request), (text) => this.print("stderr", text), {
      interrupt: options.interrupt === undefined ? undefined : new Int32Array(options.interrupt),
      lane: options.lane,
      jspi: channel.kind === "jspi" && this.interpreter.suspends,
      timings: this.timings,
    });
    this.start(this.interpreter.keepsItsStart ? ahead : undefined);
  }

  /** One message from the page. */
  receive(batch: PageToWorker[]): void {
    this.calls.receive(batch);
  }

  /** Sends replies to the page: on the reply lane if the page polls it and they are plain, else as a message. */
  private post(replies: WorkerToPage[], transfer: Transferable[] = []): void {
    if (this.options.replyLane !== undefined && transfer.length === 0 && sendByLane(this.options.replyLane, replies, this.posted)) return;
    self.postMessage(replies, transfer);
    this.posted++;
  }

  /** Acts on the page's requests that are not calls; those that come before init are worker.ts's. */
  private instruct(request: Instruction): void {
    if (request.type === "jspi-answer") this.answers.receive?.(request.bytes);
    else if (request.type === "warm") setTimeout(() => writeEveryPage(request.buffer, request.done)); // after what is queued now
  }

  private async start(ahead: StartedAhead | undefined): Promise<void> {
    const { options, outbox } = this;
    const loading = ahead?.loading.adopt(options, (reply) => outbox.send(reply)) ?? new LoadWatch(options, (reply) => outbox.send(reply));
    try {
      // The code is fetched while the interpreter loads; a failed fetch ends the start at once.
      const archive = options.archive && download(options.archive.url);
      const source = options.src === undefined ? undefined : download(options.src);
      const files = options.files.map(({ url }) => download(url));
      const jsModules = importModules(options.jsModules);
      const page: PageHooks = {
        callPage: (name, ...args) => this.ask({ type: "call", name, args }, `sync.${name}()`),
        readLine: (prompt) => {
          // With a channel the page prints the prompt; without one the worker does, before the error.
          if (this.asker === undefined && prompt !== "") this.print("stdout", prompt);
          // Without a stdin function there is nothing to ask for: the end of input, with a channel or without.
          if (this.asker === undefined && !options.stdin) throw noStdin();
          return this.ask({ type: "input", prompt }, "input()");
        },
        sleep: (seconds) => this.pause(seconds),
        pageOp: (op, released, what) => {
          // Without undefined fields, the question is plain JSON (see encoding.ts).
          if (op.args !== undefined) op.args = crossingArgs(op.args);
          const question: WorkerQuestion & { type: "page" } = { type: "page", op };
          if (released !== undefined) question.released = released;
          return this.ask(question, what);
        },
      };
      const hooks: WorkerHooks = { ...page, print: (stream, line) => this.print(stream, line), postWaitingOutput: () => this.postWaitingOutput() };
      const starting = starts[this.interpreter.name](options, loading, hooks, ahead);
      starting.catch(() => {}); // a failed download may end the start first
      const { python: module, fs, registerJsModule, reusable, snapshotToKeep, afterReady, ...controls } = await Promise.race([failureOf([archive, source, ...files]), starting]);
      this.controls = controls;
      loading.loaded();
      registerJsModule("_pyworker_js_modules", await jsModules);
      registerJsModule("_pyworker_context", pyscriptContext(options));
      registerJsModule("_pyworker_storage", storageModule);
      for (const [i, { path }] of options.files.entries()) writeFiles(fs, path.startsWith("/") ? "" : fs.cwd() + "/", { [path]: await files[i]! });
      if (archive !== undefined) {
        const { url, format, extractDir } = options.archive!;
        const name = url.startsWith("data:") ? "the archive (a data: URL)" : `the archive ${url}`;
        const wrong = module._unpack_archive(await archive, name, format!, extractDir);
        if (wrong !== undefined) throw new Error(wrong);
      }
      // Calls wait until src has run: they may use what it defines.
      if (source !== undefined) await this.runSource(module, options.src!, await source);
      if (loading.phase === "failed") return; // the page has given up on this worker
      loading.reach("ready");
      outbox.send({ type: "ready" });
      if (reusable !== undefined) outbox.send({ type: "reusable", ...reusable });
      outbox.flush();
      this.calls.open(module);
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

  /** Runs the worker's `src` file, fetched from url; its failure is the worker's. */
  private async runSource(python: PythonModule, url: string, bytes: Uint8Array): Promise<void> {
    const source = new TextDecoder().decode(bytes);
    const filename = url.startsWith("data:") ? "<script>" : new URL(url).pathname.split("/").pop() || url;
    const { error } = await this.calls.runSource(python, source, filename);
    if (error !== undefined) throw new Error(`${filename} raised an exception:\n${error}`);
  }

  /**
   * Queues a printed line, in the same message as the lines before it. Python
   * busy in a loop keeps the outbox from posting at the end of the task, so the
   * lines are posted every OUTPUT_INTERVAL_MS: they stream, in order, a few
   * thousand to a message rather than one message each.
   */
  private print(stream: "stdout" | "stderr", line: string): void {
    const last = this.outbox.last();
    if (last?.type === "output" && last.stream === stream) last.lines.push(line);
    else this.outbox.send({ type: "output", stream, lines: [line] });
    if (!this.postWaitingOutput()) this.controls.pollWhileOutputWaits(true);
  }

  /** Posts what waits in the outbox if the last post was OUTPUT_INTERVAL_MS ago or more; says whether nothing waits now. */
  private postWaitingOutput(): boolean {
    if (this.outbox.last() === undefined) return true;
    return performance.now() - this.outbox.postedAt > OUTPUT_INTERVAL_MS && this.outbox.flush();
  }

  /**
   * Python's `time.sleep(seconds)`, which interrupt() ends: with shared memory
   * the worker waits on the interrupt buffer; without, it asks the page, which
   * answers when the time is up (a promise on jspi, for run_sync); with no
   * channel it returns false, and Python sleeps its own way (spinning).
   */
  private pause(seconds: number): boolean | Promise<unknown> {
    this.outbox.flush(); // what was printed before shows while the worker sleeps
    const ms = seconds * 1000;
    const { interrupt } = this.calls;
    if (interrupt !== undefined) {
      sleep(interrupt, ms);
      this.controls.checkInterrupt();
      return true;
    }
    if (this.asker === undefined) return false;
    const slept = this.ask({ type: "sleep", ms }, "time.sleep()");
    return slept instanceof Promise ? slept : true;
  }

  /**
   * Asks the page (a `sync.NAME(...)` call, or a use of `window` or `document`)
   * and blocks until it answers through the channel; `what` names it in errors.
   * With jspi it returns a promise, which Python waits for with run_sync.
   */
  private ask(question: WorkerQuestion, what: string): unknown {
    if (this.asker === undefined) throw new Error(`${what} needs a synchronous channel to the page, and this worker has none: ${noChannelHelp(this.interpreter)}`);
    this.timings?.sync("asked");
    this.outbox.flush(); // what was printed before the call reaches the page before it
    const cannotCross = (error: unknown): never => {
      if ((error as Error)?.name !== "DataCloneError") throw error;
      throw new TypeError(`the arguments of ${what} cannot cross to the page: ${(error as Error).message}`);
    };
    let answer: Answer | Promise<Answer>;
    try {
      answer = this.asker(question);
    } catch (error) {
      return cannotCross(error);
    }
    return answer instanceof Promise ? answer.then((answer) => this.valueOf(answer), cannotCross) : this.valueOf(answer);
  }

  /** The page's value, or its error thrown. */
  private valueOf(answer: Answer): unknown {
    this.controls.checkInterrupt(); // the page may have ended the wait to interrupt
    this.calls.drop(answer.cancelled ?? []);
    this.timings?.sync("back in Python");
    if (!("error" in answer)) return answer.value; // an undefined value decodes as a missing key
    // No shared memory: the answer is the interrupt. On jspi, Python is suspended, not running: it raises it when it resumes (_wait).
    if (answer.error.name === "KeyboardInterrupt" && !this.calls.jspi) this.controls.raiseKeyboardInterrupt();
    const error = new Error(answer.error.message);
    error.name = answer.error.name;
    throw error;
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

/** What PyScript's module reads in a worker (`_pyworker_context`, see python/pyscript/context.py). */
function pyscriptContext({ pyscript, src }: InitOptions): PyScriptContext & { jsImport(...urls: string[]): Promise<unknown[]> } {
  // A worker has no page URL: modules are found from the worker's code (src), as its files are.
  const base = src ?? location.href;
  return { ...pyscript, jsImport: (...urls) => Promise.all(urls.map((url) => import(new URL(url, base).href))) };
}
