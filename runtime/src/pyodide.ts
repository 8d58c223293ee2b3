// Pyodide: what pyworker knows of its API (in a worker, and on the page), and
// its start in a worker, wired to the page through the worker's hooks: the
// worker's Pyodide adapter, as micropython.ts is its MicroPython one (see adapter.ts).

import type { PythonModule, Started, WorkerHooks } from "./adapter";
import { pollingSignal } from "./interrupt";
import type { LoadWatch } from "./loading";
import type { PageOp } from "./pageobjects";
import type { InitOptions } from "./protocol";
import { pyodideFiles, writeFiles, type FileSystem } from "./python";

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

/**
 * Loads Pyodide with pyworker's Python module and wires the module to the
 * page: output, input, sleep, sync calls and page objects through the
 * channel, interrupts, packages.
 */
export async function startPyodide(options: InitOptions, loading: LoadWatch, worker: WorkerHooks): Promise<Started> {
  const { loadPyodide } = (await import(options.indexURL + "pyodide.mjs")) as {
    loadPyodide(options: LoadOptions): Promise<Pyodide>;
  };
  const { channel } = options;
  const { print, postWaitingOutput, ...page } = worker;
  const pyodide = await loadPyodide({
    indexURL: options.indexURL,
    async fsInit(fs, { sitePackages }) {
      writeFiles(fs, sitePackages + "/", pyodideFiles);
    },
  });
  pyodide.registerJsModule("_pyworker_js", {
    channel: channel.kind,
    ...page,
    pageOp: (op: PageOp["op"], ref: number, key: PageOp["key"], args: PageOp["args"], released: number[] | undefined, what: string) => {
      const pageOp: PageOp = { op, ref };
      if (key !== undefined) pageOp.key = key;
      if (args !== undefined) pageOp.args = args;
      return page.pageOp(pageOp, released, what);
    },
  });
  pyodide.setStdout({ batched: (line) => print("stdout", line) });
  pyodide.setStderr({ batched: (line) => print("stderr", line) });
  // input() and sys.stdin are pyworker's (they ask the page); a read of file descriptor 0
  // that bypasses them fails plainly, rather than calling prompt(), which workers lack.
  pyodide.setStdin({ error: true });
  const interrupt = options.interrupt && new Int32Array(options.interrupt);
  const pollingBuffer = pollingSignal(interrupt, () => {
    if (postWaitingOutput()) pollWhileOutputWaits(false);
  });
  let polling = false;
  // Without shared memory nothing signals through a buffer, but Python still checks one now and
  // then, calling into JavaScript: only there does WebKit stop a terminated worker (a loop that
  // stays in WebAssembly would run on, a core busy, until the page closes).
  const signals = interrupt ?? new Int32Array(1);
  const setSignalBuffer = () => pyodide.setInterruptBuffer(polling ? pollingBuffer : signals);
  const pollWhileOutputWaits = (on: boolean) => {
    if (on === polling) return; // print() asks on every line
    polling = on;
    setSignalBuffer();
  };
  setSignalBuffer();
  const raiseKeyboardInterrupt = () => {
    pyodide.setInterruptBuffer([2]); // SIGINT, read by the check below
    try {
      pyodide.checkInterrupt();
    } finally {
      setSignalBuffer();
    }
  };
  if (options.packages.length > 0) {
    loading.reach("packages");
    const errors: string[] = [];
    await pyodide.loadPackage(options.packages, { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
    if (errors.length > 0) throw new Error(`loading packages ${options.packages.join(", ")}: ${errors.join("; ")}`);
  }
  return {
    python: pyodide.pyimport("pyworker"),
    fs: pyodide.FS,
    registerJsModule: (name, module) => pyodide.registerJsModule(name, module),
    checkInterrupt: () => interrupt !== undefined && pyodide.checkInterrupt(),
    raiseKeyboardInterrupt,
    pollWhileOutputWaits,
  };
}
