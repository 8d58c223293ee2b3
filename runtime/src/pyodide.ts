// What pyworker knows of Pyodide's API (in a worker, and on the page) and of
// the Python module `pyworker` (python/pyworker) the worker calls.

import type { Wire } from "./pageobjects";
import type { Request } from "./protocol";
import type { FileSystem } from "./python";
import type { RunResult } from "./types";

/** An interpreter started in a worker: pyworker's module, its file system, and how JavaScript modules are given to Python. */
export interface Started {
  python: PythonModule;
  fs: FileSystem;
  registerJsModule(name: string, module: object): void;
}

/** The parts of Pyodide's API pyworker uses. */
export interface Pyodide {
  FS: FileSystem;
  pyimport(name: string): PythonModule;
  /** Runs source, top-level await allowed (Python on the page: see pagepython.ts). */
  runPythonAsync(source: string, options: { filename: string }): Promise<unknown>;
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
export interface LoadOptions {
  indexURL: string;
  fsInit(fs: FileSystem, info: { sitePackages: string }): Promise<void>;
}
export type CallRequest = Exclude<Request, { type: "init" } | { type: "answer" } | { type: "forget" } | { type: "cancel" } | { type: "warm" }>;
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
