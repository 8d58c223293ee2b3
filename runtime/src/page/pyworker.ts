// The page side of pyworker, the module pages import as /pyworker/pyworker.js:
// createWorker, createPool, workers[name], the seed's asyncRun, and
// PyScript's tags (see tags.ts), started once the page is parsed.

import { Pool } from "./pool";
import { createWorker } from "./pythonworker";
import { startTags } from "./tags";
import type { AsyncRun, CreatePool, PoolOptions, PyWorker } from "../shared/types";

export type * from "../shared/types";
export { workers } from "./named";
export { createWorker };

export const createPool: CreatePool = (options: PoolOptions = {}) => new Pool(options);

if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startTags);
  else startTags();
}

let defaultWorker: PyWorker | undefined;

/** The seed's call: runs `script` on a shared worker with `context` importable from `js`. */
export const asyncRun: AsyncRun = (script, context, options) =>
  (defaultWorker ??= createWorker()).run(script, { ...options, context });
