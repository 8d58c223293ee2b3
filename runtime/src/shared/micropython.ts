// MicroPython: loaded with Python files on its path (in a worker, or on the
// page: see pagepython.ts), and in a worker pyworker's module with its entry
// points as the worker calls Pyodide's (see pyodide.ts): runs, exports, sync
// calls, page objects, input(), time.sleep, output.

import { takeSignal } from "./interrupt";
import { CONTRACT, pageOpOf, type Answer, type PageOpFields } from "./pythoncontract";
import type { InitOptions } from "./protocol";
import type { PythonFuture, PythonModule, Started, WorkerHooks } from "./adapter";
import { micropythonFiles, writeFiles, type FileSystem } from "./python";
import type { RunResult } from "./types";

/** The parts of MicroPython's API (micropython.mjs) pyworker uses. */
export interface MicroPython {
  FS: FileSystem;
  pyimport(name: string): Record<string, (...args: string[]) => string>;
  registerJsModule(name: string, module: object): void;
  /** Runs source, top-level await allowed: at once, or a promise when it awaits; an error is a PythonError. */
  runPythonAsync(source: string): unknown;
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

/**
 * Loads MicroPython from its folder (indexURL), with `module` importable by
 * Python under `name` and files (see python.ts) on its path; printed lines go to print.
 */
export async function loadMicroPython(
  indexURL: string,
  print: (stream: "stdout" | "stderr", line: string) => void,
  files: Record<string, string>,
  name: string,
  module: object,
): Promise<MicroPython> {
  const { loadMicroPython: load } = (await import(indexURL + "micropython.mjs")) as { loadMicroPython: LoadMicroPython };
  const mp = await load({
    url: indexURL + "micropython.wasm",
    heapsize: HEAP_BYTES,
    linebuffer: true,
    stdout: (line) => print("stdout", line),
    stderr: (line) => print("stderr", line),
  });
  mp.registerJsModule(name, module);
  writeFiles(mp.FS, LIB, files);
  return mp;
}

export async function startMicroPython(options: InitOptions, worker: WorkerHooks): Promise<Started> {
  // Arguments and answers cross as JSON, as replies do (see pythoncontract.ts).
  const answered = (ask: () => unknown): string => {
    let answer: Answer;
    try {
      answer = { value: ask() ?? null };
    } catch (error) {
      const { name = "Error", message = String(error) } = error as Error;
      answer = { error: { name, message } };
    }
    return JSON.stringify(answer);
  };
  const mp = await loadMicroPython(options.indexURL, worker.print, micropythonFiles, CONTRACT.hooksModule, {
    callPage: (name: string, args: string) => answered(() => worker.callPage(name, ...(JSON.parse(args) as unknown[]))),
    readLine: (prompt: string) => answered(() => worker.readLine(prompt)),
    sleep: (seconds: number) => answered(() => worker.sleep(seconds)),
    // The worker's own JavaScript values among the arguments come beside the JSON, each in its place as {js: index}.
    pageOp: (fields: string, what: string, ...values: unknown[]) =>
      answered(() => {
        const op = pageOpOf(...(JSON.parse(fields) as PageOpFields));
        if (values.length > 0) op.args = op.args?.map((wire) => ("js" in wire ? { value: values[wire.js as number] } : wire));
        return worker.pageOp(op, undefined, what);
      }),
  });
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
  // Code that awaits at top level compiles only in MicroPython's own async runner (see _micropython._awaiting).
  const adapter = mp.pyimport("pyworker._micropython");
  const runAwaiting = async (code: string, filename: string): Promise<RunResult> => {
    try {
      await mp.runPythonAsync(adapter._awaiting!(code));
    } catch (error) {
      return reply(adapter._awaited_error!(String((error as Error)?.message ?? error), filename));
    }
    return reply(adapter._awaited!());
  };
  const run = (code: string, filename: string): RunResult | PythonFuture => {
    const replied = reply(module._run(code, filename));
    const refused = replied.exception;
    if (refused?.type !== "SyntaxError" || refused.message !== "'await' outside function") return replied;
    // A future, as Pyodide's: the call awaits with the event loop free, and callbacks run meanwhile (see calls.ts).
    const awaited = runAwaiting(code, filename);
    return { then: (resolve, reject) => void awaited.then(resolve, reject), destroy: () => {} };
  };
  const python = {
    _run: (code: string, context: Record<string, unknown> | undefined, filename: string = CONTRACT.userFile) =>
      context === undefined ? run(code, filename) : missing("a run's context")(),
    _call_export: (name: string, ...args: unknown[]) => reply(module._call_export(name, JSON.stringify(args))),
    _call_callback: (id: number, args: unknown[]) => reply(module._call_callback(id as unknown as string, JSON.stringify(args))),
    _forget_callbacks: (pairs: [number, number][]) => void module._forget_callbacks(JSON.stringify(pairs)),
    _unpack_archive: missing("the archive option"),
  } as unknown as PythonModule;
  // MicroPython never reads the interrupt buffer: the worker does where Python waits (sleep, the page's answers).
  const signals = options.interrupt && new Int32Array(options.interrupt);
  return {
    python,
    fs: mp.FS,
    registerJsModule: (name, module) => mp.registerJsModule(name, module),
    checkInterrupt: () => {
      if (signals !== undefined && takeSignal(signals)) throw Object.assign(new Error("the call was interrupted"), { name: "KeyboardInterrupt" });
    },
    raiseKeyboardInterrupt: () => {}, // the page's answer raises it in Python (see _micropython._answer)
    pollWhileOutputWaits: () => {}, // MicroPython cannot poll: its output goes at the next call to the page, or at the end
  };
}
