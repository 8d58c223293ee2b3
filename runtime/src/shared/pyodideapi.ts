// Pyodide: what pyworker knows of its API, in a worker (pyodide.ts) and on
// the page (pagepython.ts).

import type { PythonModule } from "./adapter";
import type { FileSystem } from "./python";

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
  /** Private in Pyodide (see snapshot.ts): start by copying in this heap. */
  _loadSnapshot?: Promise<Uint8Array>;
  /** Private in Pyodide: allow makeMemorySnapshot(). */
  _makeSnapshot?: boolean;
}
