// The page side of pyworker, the module pages import as /pyworker/pyworker.js:
// createWorker, createPool, workers[name], the seed's asyncRun, and the
// workers declared by <script type="py-worker"> tags.

import { named } from "./named";
import { Pool } from "./pool";
import { PythonWorker } from "./pythonworker";
import type { AsyncRun, CreatePool, CreateWorker, PoolOptions, PyWorker, WorkerOptions } from "./types";

export type * from "./types";
export { workers } from "./named";

export const createWorker: CreateWorker = (options: WorkerOptions = {}) => {
  const worker = new PythonWorker(options);
  if (options.name !== undefined) named(options.name).resolve(worker.ready.then(() => worker));
  return worker;
};

export const createPool: CreatePool = (options: PoolOptions = {}) => new Pool(options);

/** Starts a worker for each `<script type="py-worker" src="…" name="…" packages="a, b">` in the page. */
function startScriptWorkers(): void {
  for (const script of document.querySelectorAll<HTMLScriptElement>('script[type="py-worker"]:not([data-started])')) {
    script.dataset.started = "";
    const packages = script.getAttribute("packages")?.split(",").map((p) => p.trim()).filter(Boolean);
    const src = script.getAttribute("src") ?? "data:text/x-python;charset=utf-8," + encodeURIComponent(script.textContent ?? "");
    createWorker({ src, name: script.getAttribute("name") ?? undefined, packages });
  }
}

if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startScriptWorkers);
  else startScriptWorkers();
}

let defaultWorker: PyWorker | undefined;

/** The seed's call: runs `script` on a shared worker with `context` importable from `js`. */
export const asyncRun: AsyncRun = (script, context, options) =>
  (defaultWorker ??= createWorker()).run(script, { ...options, context });
