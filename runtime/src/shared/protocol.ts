// The messages between the page (connection.ts) and the worker (worker.ts, session.ts),
// one type per direction: PageToWorker, WorkerToPage (reports, and the
// WorkerQuestions Python asks the page, answered on the channel).
//
// Each postMessage carries an array of messages: both sides queue what they
// send during one task and post it at the end (see Outbox), so a hundred calls
// made together cost one message each way, not a hundred.

import type { ChannelSetup } from "./channel";
import type { PageOp, Wire } from "./pageobjects";
import type { Archive, Interpreter, Progress, PythonException } from "./types";

/** Page → worker. */
export type PageToWorker =
  /** First message: load the interpreter. */
  | { type: "init"; options: InitOptions }
  /** Run Python source; `context` values are importable with `from js import NAME`. */
  | { type: "run"; id: number; code: string; context?: Record<string, unknown> }
  /** Call the Python function the worker exported as `name`. */
  | { type: "export"; id: number; name: string; args: unknown[] }
  /** Call Python function `id`, given to the page as a callback (an event listener, say); no answer. */
  | { type: "callback"; id: number; args: Wire[] }
  /** Call `id` was stopped before it started: drop it if it is still queued. */
  | { type: "cancel"; id: number }
  /** Write every page of this fresh buffer once, when idle, then set `done[0]` (see share.ts). */
  | { type: "warm"; buffer: SharedArrayBuffer; done: Int32Array }
  /** The page dropped Python function `id`, which it was sent `times` times. */
  | { type: "forget"; id: number; times: number }
  /** The answer to the worker's question, encoded, on the jspi channel (the others answer in place: see channel.ts). */
  | { type: "jspi-answer"; bytes: Uint8Array }
  /**
   * Before init, to a spare worker: load Pyodide's scripts from indexURL now, so that its start
   * is shorter; with `start`, start Pyodide too, as an init with those options would.
   */
  | { type: "preload"; indexURL: string; start?: SpareStart }
  /** Instead of init: make a memory snapshot of a new Pyodide from indexURL, answered by "snapshot" (see internal/snapshot). */
  | { type: "make-snapshot"; indexURL: string };

/**
 * What the `pyscript` module reads from the side it runs on (`_pyworker_page` on
 * the page, `_pyworker_context` in a worker; see python/pyscript/context.py).
 */
export interface PyScriptContext {
  /** The config of the script, as its author wrote it, in JSON. */
  config: string;
  /** The id of the element display() writes to by default (see WorkerOptions.target); "" for none. */
  target: string;
}

/** What a warm spare worker starts Pyodide from, before its init. */
export type SpareStart = Pick<InitOptions, "wasm" | "snapshot" | "assetSizes">;

export interface InitOptions {
  interpreter: Interpreter;
  /** Folder of the interpreter's assets (pyodide.mjs, pyodide.asm.wasm, … or micropython.mjs, micropython.wasm), absolute URL. */
  indexURL: string;
  /** Packages loaded before `ready`. */
  packages: string[];
  /** Uncompressed sizes of the assets a start downloads, by file name, for progress. */
  assetSizes: Record<string, number>;
  /** Whether the page wants progress (counting bytes costs the wasm its code cache). */
  progress: boolean;
  /** Whether the page gave a stdin function: without one, input() is at its end at once, channel or not. */
  stdin: boolean;
  /** Files fetched into the interpreter's file system before `src` runs (the config's `files`): absolute URLs. */
  files: { url: string; path: string }[];
  /** JavaScript modules Python imports from `pyscript.js_modules`, by name: absolute URLs (the config's js_modules.worker). */
  jsModules: Record<string, string>;
  /** What PyScript's module tells the worker's Python (`pyscript.config`, `current_target()`): see PyScriptContext. */
  pyscript: PyScriptContext;
  /** A Pyodide memory snapshot to start from: the bytes a worker of this page started from, or the server's to fetch. */
  snapshot?: Uint8Array | SnapshotSource;
  /** Pyodide's wasm, compiled by a worker of this page before: instantiated rather than fetched and compiled again. */
  wasm?: WebAssembly.Module;
  /** A Python file to run before `ready`, absolute URL. */
  src?: string;
  /** Code to unpack before `src` runs; its URL absolute. */
  archive?: Archive;
  /** How the worker's questions get their answers (see channel.ts). */
  channel: ChannelSetup;
  /** The interrupt buffer (see interrupt.ts), when the page has shared memory. */
  interrupt?: SharedArrayBuffer;
  /** The request lane (see lane.ts), when the page has shared memory. */
  lane?: SharedArrayBuffer;
  /** The reply lane (see lane.ts), when the page has shared memory. */
  replyLane?: SharedArrayBuffer;
  /** Where both sides stamp the bridge's steps (see timings.ts), with the `timings` option. */
  timings?: SharedArrayBuffer;
}

/** A snapshot the server offers (`pyworker fetch` makes it: see internal/snapshot). */
export interface SnapshotSource {
  /** Absolute URL. */
  url: string;
  /** Its SHA-256, hex. */
  sha256: string;
  /** The Pyodide build it was made by (pyodide.mjs's BUILD_ID). */
  buildId: string;
}

/** What a started worker passes on (see the "reusable" message). */
export interface Reusable {
  wasm: WebAssembly.Module;
  snapshot?: Uint8Array;
  /** The server's snapshot would not do in this browser. */
  refused?: true;
}

/** Worker → page. */
export type WorkerToPage =
  | { type: "progress"; progress: Progress }
  | { type: "ready" }
  /** The interpreter could not start; the worker is useless. */
  | { type: "failed"; message: string }
  /** The outcome of run or export call `id`: `{results}` or `{error, exception}`. */
  | { type: "result"; id: number; results?: unknown; error?: string; exception?: PythonException }
  /** Lines printed, in order; a busy worker posts them every few milliseconds rather than at the end. */
  | { type: "output"; stream: "stdout" | "stderr"; lines: string[] }
  /** The answer did not fit the channel: write it to this bigger buffer, the channel from now on. */
  | { type: "resend"; buffer: SharedArrayBuffer }
  /** The interpreter hit a fatal error and cannot run anything more. */
  | { type: "fatal"; message: string }
  /**
   * After "ready": what this worker started from, for the page's next Pyodide workers: the
   * snapshot if it was not the page's; `refused` if the snapshot it was given would not do.
   */
  | ({ type: "reusable" } & Reusable)
  /** The snapshot "make-snapshot" asked for. */
  | { type: "snapshot"; bytes: Uint8Array }
  | WorkerQuestion;

/** What Python asks of the page; the worker waits for the answer on the channel (see channel.ts). */
export type WorkerQuestion =
  /** Python called the page's sync function `name`. */
  | { type: "call"; name: string; args: unknown[] }
  /** Python reads a line of stdin (`input(prompt)`, `sys.stdin.readline()`). */
  | { type: "input"; prompt: string }
  /** Python sleeps, without shared memory: the page answers `ms` later, or at once to interrupt it. */
  | { type: "sleep"; ms: number }
  /**
   * Python used `window` or `document`: the answer is a primitive, or a reference `{ref, callable}`.
   * `released` are the page objects Python dropped since the last op: the page may forget them.
   */
  | { type: "page"; op: PageOp; released?: number[] };

/**
 * Queues messages and posts them as one array at the end of the current task.
 * A message that cannot be posted (a value the structured clone refuses) is
 * handed to `refused` instead of taking the rest of the batch down with it.
 */
export class Outbox<T> {
  private queue: { message: T; transfer: Transferable[] }[] = [];
  /** While set, messages wait (the worker does not exist yet); `resume` posts them. */
  private paused = false;

  constructor(
    private readonly post: (messages: T[], transfer: Transferable[]) => void,
    private readonly refused: (message: T, error: unknown) => void,
  ) {}

  /** When the queue was last posted (performance.now()). */
  postedAt = 0;

  send(message: T, transfer: Transferable[] = []): void {
    if (this.queue.length === 0) queueMicrotask(() => this.flush());
    this.queue.push({ message, transfer });
  }

  /** The message queued last, not posted yet: a sender may add to it rather than queue another. */
  last(): T | undefined {
    return this.queue.at(-1)?.message;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.flush();
  }

  /** Posts what is queued now (normally called by the microtask `send` schedules); says whether there was any. */
  flush(): boolean {
    const queue = this.queue;
    if (queue.length === 0 || this.paused) return false;
    this.queue = [];
    this.postedAt = performance.now();
    try {
      this.post(
        queue.map((q) => q.message),
        queue.flatMap((q) => q.transfer),
      );
    } catch {
      // Rare: find the culprit by posting one at a time.
      for (const { message, transfer } of queue) {
        try {
          this.post([message], transfer);
        } catch (error) {
          this.refused(message, error);
        }
      }
    }
    return true;
  }
}
