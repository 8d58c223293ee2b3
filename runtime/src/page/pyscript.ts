// PyScript's ways to start a worker, as a tag's attributes (`<script type="py"
// worker src name config service-worker>`) or PyWorker's arguments give them:
// its names for the interpreters, its service-worker attribute.

import { hasSharedMemory } from "../shared/channel";
import { createWorker } from "./pythonworker";
import { activated, registerServiceWorker } from "./serviceworker";
import type { Output } from "./terminal";
import type { Channel, Interpreter, PyScriptConfig, PyWorker } from "../shared/types";

/** PyScript's names of the interpreters: a tag's type, PyWorker's `type`. */
const INTERPRETERS: Record<string, Interpreter> = { py: "pyodide", pyodide: "pyodide", mpy: "micropython", micropython: "micropython" };

export function interpreterOf(type: string): Interpreter {
  const interpreter = INTERPRETERS[type];
  if (interpreter === undefined) throw new TypeError(`pyworker: the type ${JSON.stringify(type)} is unknown; want "pyodide" or "micropython" ("py" or "mpy")`);
  return interpreter;
}

/** A worker as PyScript describes it. */
export interface PyScriptWorker {
  /** The code's URL (relative to the page), or a data: URL of inline code. */
  src: string;
  /** "py", "mpy", "pyodide" or "micropython". */
  type: string;
  name?: string;
  /** PyScript's config: an object, its JSON text, or a file's URL (see config.ts). */
  config?: string | PyScriptConfig;
  channel?: Channel;
  /** The id of its output element, or of the tag that started it (see WorkerOptions.target). */
  target?: string;
  /** Its terminal's, when it has one (the `terminal` attribute): where its output goes, where input() reads. */
  output?: Output;
  readLine?: (prompt: string) => Promise<string>;
}

export function startPyScriptWorker({ src, type, name, config, channel, target, output, readLine }: PyScriptWorker): PyWorker {
  const printing = output && { stdout: (line: string) => output("stdout", line), stderr: (line: string) => output("stderr", line) };
  return createWorker({ src, interpreter: interpreterOf(type), name, channel, config, target, ...printing, stdin: readLine });
}

const RELOADED = "pyworker-service-worker-reloaded";

/**
 * The `service-worker` attribute: the service worker that gives a page
 * without the isolation headers its sync calls. pyworker's own sw.js is the
 * "service-worker" channel. Any other (a mini-coi-style worker, which adds
 * the headers) is registered, and the page reloaded once, as isolate.js
 * does, so that it serves the page isolated: then workers have shared
 * memory. pyworker's sw.js is registered for the runtime's folder as well,
 * since the worker's own files may lie outside the other's scope, and an
 * isolated page's worker needs the headers on them too. Where all this still
 * leaves the page without shared memory, workers get the service-worker
 * channel. Resolves to the channel the page's workers get (undefined: the
 * fastest); never, when the page reloads.
 */
export async function serviceWorkerChannel(url: string): Promise<Channel | undefined> {
  if (hasSharedMemory() && !navigator.serviceWorker?.controller) return undefined; // isolated by its server
  if (!("serviceWorker" in navigator)) throw new Error(`pyworker: the service worker ${url} cannot be registered: this page has no service workers (is it served over HTTPS or from localhost?)`);
  const script = new URL(url, document.baseURI).href;
  if (script !== new URL("./sw.js", import.meta.url).href) {
    await activated(navigator.serviceWorker.register(script), `pyworker: the service worker ${url}`);
    if (!globalThis.crossOriginIsolated && sessionStorage.getItem(RELOADED) === null) {
      sessionStorage.setItem(RELOADED, script);
      location.reload();
      return new Promise<never>(() => {});
    }
  }
  await registerServiceWorker();
  return hasSharedMemory() ? undefined : "service-worker";
}
