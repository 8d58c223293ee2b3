// Python on the page's main thread, as PyScript runs it: one MicroPython and
// one Pyodide per page, each loaded when a script first needs it, with the
// page's side of the `pyscript` module (python/pyscript/_main.py): PyWorker,
// workers, create_named_worker, window, document, js_modules. print() goes to
// the console.

import { interpreterURL } from "./assets";
import { fetched } from "./fetched";
import { importMainModules, mainModules } from "./jsmodules";
import { loadMicroPython } from "../shared/micropython";
import { named } from "./named";
import type { LoadOptions, Pyodide } from "../shared/pyodideapi";
import type { Config } from "./config";
import { pageFiles, writeFiles, type FileSystem } from "../shared/python";
import { startPyScriptWorker } from "./pyscript";
import { storageModule } from "../shared/storage";
import type { PyScriptContext } from "../shared/protocol";
import type { Output } from "./terminal";
import type { Interpreter, PyWorker } from "../shared/types";

/** An interpreter on the page. */
export interface PageInterpreter {
  /** Applies a script's config: its packages loaded, its files written, its js_modules.main imported. */
  configure(config: Config): Promise<void>;
  /**
   * Runs a script's source, top-level await allowed, as `script` (what pyscript's module reads of
   * it: see PyScriptContext), its output to `output` (its terminal) if given, else the console;
   * rejects with an Error whose message is the traceback.
   */
  run(source: string, filename: string, script: PyScriptContext, output?: Output): Promise<unknown>;
}

const started = new Map<Interpreter, Promise<PageInterpreter>>();
/** How each interpreter starts on the page (below). */
const starts: Record<Interpreter, () => Promise<PageInterpreter>> = { pyodide: () => startPyodide(), micropython: () => startMicroPython() };

/** The page's interpreter, loaded on first use. */
export function pageInterpreter(interpreter: Interpreter): Promise<PageInterpreter> {
  let run = started.get(interpreter);
  if (run === undefined) {
    run = starts[interpreter]();
    started.set(interpreter, run);
  }
  return run;
}

/** The config's files and js_modules.main, into an interpreter's file system and mainModules. */
async function configure(config: Config, fs: FileSystem): Promise<void> {
  const [files] = await Promise.all([
    Promise.all(config.files.map(async ({ url }) => new Uint8Array(await (await fetched(url, `the config's file ${url}`)).arrayBuffer()))),
    importMainModules(config.jsModules.main),
  ]);
  for (const [i, { path }] of config.files.entries()) writeFiles(fs, path.startsWith("/") ? "" : fs.cwd() + "/", { [path]: files[i]! });
}

/** The script that runs now, or ran last (see PageInterpreter.run). */
let running: PyScriptContext = { config: "{}", target: "" };

/**
 * What the page's Python imports as `_pyworker_page` (see _main.py, context.py). Values cross
 * as JSON, as PyScript's must be serializable.
 */
const pageModule = {
  get config(): string {
    return running.config;
  },
  get target(): string {
    return running.target;
  },
  jsImport: (...urls: string[]): Promise<unknown[]> => Promise.all(urls.map((url) => import(new URL(url, document.baseURI).href))),
  startWorker: (src: string, type: string, name: string, config: string): PyWorker =>
    startPyScriptWorker({ src: new URL(src, document.baseURI).href, type, name: name || undefined, config: config || undefined }),
  namedWorker: (name: string): Promise<PyWorker> => named(name).promise,
  /** `worker.sync.NAME = f`: call(argsJSON) is f's value as JSON, or (f is async) a thenable of it. */
  setSync(worker: PyWorker, name: string, call: (args: string) => unknown): void {
    worker.sync[name] = (...args: unknown[]) => {
      const answer = call(JSON.stringify(args));
      return typeof answer === "string" ? JSON.parse(answer) : Promise.resolve(answer).then((json) => JSON.parse(json as string));
    };
  },
  /** `await worker.NAME(...)`: the export's value, as JSON. */
  callExport: async (worker: PyWorker, name: string, args: string): Promise<string> =>
    JSON.stringify((await worker.exports[name]!(...(JSON.parse(args) as unknown[]))) ?? null),
};

/** Where the page's Python prints: the console, or the terminal of the script that runs now (or ran last). */
const toConsole: Output = (stream, line) => (stream === "stdout" ? console.log(line) : console.error(line));
let printing = toConsole;
const print: Output = (stream, line) => printing(stream, line);

async function startMicroPython(): Promise<PageInterpreter> {
  const mp = await loadMicroPython(interpreterURL("micropython"), print, pageFiles, "_pyworker_page", pageModule);
  mp.registerJsModule("_pyworker_js_modules", mainModules);
  mp.registerJsModule("_pyworker_storage", storageModule);
  return {
    async configure(config) {
      if (config.packages.length > 0) throw new Error("the config's packages need Pyodide: MicroPython on the page takes none yet");
      await configure(config, mp.FS);
    },
    async run(source, filename, script, output) {
      running = script;
      printing = output ?? toConsole;
      try {
        return await mp.runPythonAsync(source);
      } catch (error) {
        // MicroPython names a script's file <stdin>.
        throw new Error(tracebackOf(error).replaceAll('File "<stdin>"', `File "${filename}"`));
      }
    },
  };
}

async function startPyodide(): Promise<PageInterpreter> {
  const indexURL = interpreterURL("pyodide");
  const { loadPyodide } = (await import(indexURL + "pyodide.mjs")) as { loadPyodide(options: LoadOptions): Promise<Pyodide> };
  const pyodide = await loadPyodide({
    indexURL,
    async fsInit(fs, { sitePackages }) {
      writeFiles(fs, sitePackages + "/", pageFiles);
    },
  });
  pyodide.setStdout({ batched: (line) => print("stdout", line) });
  pyodide.setStderr({ batched: (line) => print("stderr", line) });
  pyodide.registerJsModule("_pyworker_page", pageModule);
  pyodide.registerJsModule("_pyworker_js_modules", mainModules);
  pyodide.registerJsModule("_pyworker_storage", storageModule);
  return {
    async configure(config) {
      if (config.packages.length > 0) {
        const errors: string[] = [];
        await pyodide.loadPackage(config.packages, { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
        if (errors.length > 0) throw new Error(`loading packages ${config.packages.join(", ")}: ${errors.join("; ")}`);
      }
      await configure(config, pyodide.FS);
    },
    async run(source, filename, script, output) {
      running = script;
      printing = output ?? toConsole;
      try {
        return await pyodide.runPythonAsync(source, { filename });
      } catch (error) {
        throw new Error(tracebackOf(error));
      }
    },
  };
}

/** A Python error's traceback without the frames of the interpreter's own files (under /lib/). */
function tracebackOf(error: unknown): string {
  const { name, message } = error as Error;
  if (name !== "PythonError") return String(message ?? error);
  const kept: string[] = [];
  let own = false;
  for (const line of message.split("\n")) {
    if (line.startsWith('  File "')) own = line.startsWith('  File "/lib/');
    else if (!line.startsWith("    ")) own = false;
    if (!own) kept.push(line);
  }
  return kept.join("\n").trimEnd();
}
