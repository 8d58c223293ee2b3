// The contract between the worker (session.ts) and an interpreter's adapter
// (pyodide.ts, micropython.ts): what the worker offers Python (the hooks
// through which it asks the page), and what a started interpreter gives the
// worker (pyworker's entry points, its file system, its controls). The worker
// itself knows no interpreter.

import type { PageOp, Wire } from "./pageobjects";
import type { PageToWorker, Reusable } from "./protocol";
import type { FileSystem } from "./python";
import type { RunResult } from "./types";

/** What Python asks of the page through the worker (both interpreters): it blocks for the answer (or, on jspi, gets a promise of it). */
export interface PageHooks {
  /** `sync.NAME(...)`: the page function's value, or its error thrown. */
  callPage(name: string, ...args: unknown[]): unknown;
  /** input(): the page's next line, or null at the end of input. */
  readLine(prompt: string): unknown;
  /** time.sleep(): true once slept (an interrupt throws), false when Python must sleep its own way. */
  sleep(seconds: number): unknown;
  /** An operation on a page object (see pageobjects.ts), with the references Python dropped; `what` names it in errors. */
  pageOp(op: PageOp, released: number[] | undefined, what: string): unknown;
}

/** What the worker does for an interpreter's Python (both interpreters). */
export interface WorkerHooks extends PageHooks {
  print(stream: "stdout" | "stderr", line: string): void;
  /** Posts the output waiting in the outbox if it is time; says whether nothing waits now. */
  postWaitingOutput(): boolean;
}

/** How the worker reaches into a running interpreter. */
export interface Controls {
  /** Raises the KeyboardInterrupt the page asked for, if it did. */
  checkInterrupt(): void;
  /** Raises KeyboardInterrupt in Python now (without shared memory, the page's answer was the interrupt). */
  raiseKeyboardInterrupt(): void;
  /** Has Python poll for output to post while it runs, or stop (see pollingSignal). */
  pollWhileOutputWaits(on: boolean): void;
}

/** An interpreter started in a worker: pyworker's module, its file system, how JavaScript modules are given to Python, its controls. */
export interface Started extends Controls {
  python: PythonModule;
  fs: FileSystem;
  registerJsModule(name: string, module: object): void;
  /**
   * What the page's next workers of this interpreter may start from (see the
   * "reusable" message): sent with `ready`, since a snapshot refused must be
   * known before the page starts its next worker.
   */
  reusable?: Reusable;
  /**
   * The snapshot for the page to keep too, if it has none: asked for once the
   * calls that waited for the start have run, since it may copy it.
   */
  snapshotToKeep?(): Uint8Array;
  /** Work that may wait until the calls that waited for the start have run; before `snapshotToKeep`. */
  afterReady?(): void;
}

/** A request that calls into Python: queued, and run one at a time. */
export type CallRequest = Extract<PageToWorker, { type: "run" | "export" | "callback" }>;
/** What `_run` and `_call_export` return: the reply, a bare scalar result, or a thenable of the reply when the code must wait. */
export type PythonReply = RunResult | PythonFuture | string | number | bigint | boolean | undefined;
/** `pyworker._run` (undefined becomes None; null would be jsnull). */
type PythonRun = (code: string, context: Record<string, unknown> | undefined, filename?: string) => PythonReply;
/** The entry points of the Python module `pyworker`. */
export interface PythonModule {
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
export type PythonFunction<F extends (...args: never[]) => PythonReply> = F & {
  callPromising(...args: Parameters<F>): Promise<PythonReply>;
};
export interface PythonFuture {
  then(resolve: (reply: PythonReply) => void, reject: (error: unknown) => void): void;
  destroy(): void;
}
