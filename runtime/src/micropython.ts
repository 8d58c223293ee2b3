// The worker's MicroPython: the interpreter loaded, pyworker's Python module
// written into its file system, and the module's entry points as the worker
// calls Pyodide's (see pyodide.ts). So far: runs, exports, sync calls, input(), time.sleep, output.

import type { InitOptions } from "./protocol";
import type { PythonModule } from "./pyodide";
import { micropythonFiles } from "./python";
import type { RunResult } from "./types";

/** The parts of MicroPython's API (micropython.mjs) the worker uses. */
interface MicroPython {
  FS: { mkdirTree(path: string): void; writeFile(path: string, data: string): void };
  pyimport(name: string): Record<string, (...args: string[]) => string>;
  registerJsModule(name: string, module: object): void;
}
type LoadMicroPython = (options: {
  url: string;
  heapsize: number;
  linebuffer: boolean;
  stdout(line: string): void;
  stderr(line: string): void;
}) => Promise<MicroPython>;

/** A folder on MicroPython's sys.path. */
const LIB = "/lib/";
/** MicroPython's heap is fixed at start: 16 MiB holds what a page's script does, and starts at once. */
const HEAP_BYTES = 16 << 20;

/** What Python asks of the page through the worker (both interpreters): it blocks for the answer (or, on jspi, gets a promise of it). */
export interface PageHooks {
  /** `sync.NAME(...)`: the page function's value, or its error thrown. */
  callPage(name: string, ...args: unknown[]): unknown;
  /** input(): the page's next line, or null at the end of input. */
  readLine(prompt: string): unknown;
  /** time.sleep(): true once slept (an interrupt throws), false when Python must sleep its own way. */
  sleep(seconds: number): unknown;
}

/** What the worker does for MicroPython's Python. */
export interface WorkerHooks extends PageHooks {
  print(stream: "stdout" | "stderr", line: string): void;
}

export async function startMicroPython(options: InitOptions, worker: WorkerHooks): Promise<PythonModule> {
  const { loadMicroPython } = (await import(options.indexURL + "micropython.mjs")) as { loadMicroPython: LoadMicroPython };
  const mp = await loadMicroPython({
    url: options.indexURL + "micropython.wasm",
    heapsize: HEAP_BYTES,
    linebuffer: true,
    stdout: (line) => worker.print("stdout", line),
    stderr: (line) => worker.print("stderr", line),
  });
  // Arguments and answers cross as JSON, as replies do: {value} or {error: {name, message}}.
  const answered = (ask: () => unknown): string => {
    try {
      return JSON.stringify({ value: ask() ?? null });
    } catch (error) {
      const { name = "Error", message = String(error) } = error as Error;
      return JSON.stringify({ error: { name, message } });
    }
  };
  mp.registerJsModule("_pyworker_js", {
    callPage: (name: string, args: string) => answered(() => worker.callPage(name, ...(JSON.parse(args) as unknown[]))),
    readLine: (prompt: string) => answered(() => worker.readLine(prompt)),
    sleep: (seconds: number) => answered(() => worker.sleep(seconds)),
  });
  for (const [path, source] of Object.entries(micropythonFiles)) {
    mp.FS.mkdirTree(LIB + path.slice(0, path.lastIndexOf("/")));
    mp.FS.writeFile(LIB + path, source);
  }
  const module = mp.pyimport("pyworker");
  // Replies and arguments cross as JSON (see _micropython.py); None, there null, is undefined here as on Pyodide.
  const reply = (json: string): RunResult => {
    const parsed = JSON.parse(json) as RunResult;
    if (parsed.results === null) delete parsed.results;
    return parsed;
  };
  const missing = (what: string) => () => {
    throw new Error(`${what} needs a Pyodide worker: MicroPython's has none yet`);
  };
  return {
    _run: (code: string, context: Record<string, unknown> | undefined, filename = "<exec>") =>
      context === undefined ? reply(module._run(code, filename)) : missing("a run's context")(),
    _call_export: (name: string, ...args: unknown[]) => reply(module._call_export(name, JSON.stringify(args))),
    _call_callback: missing("a Python callback"),
    _forget_callbacks: missing("a Python callback"),
    _unpack_archive: missing("the archive option"),
  } as unknown as PythonModule;
}
