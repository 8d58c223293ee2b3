// What a page's Pyodide workers start from: the memory snapshot the server
// offers for its own Pyodide (see snapshot.ts), and once one worker has
// started, the wasm it compiled and the snapshot it restored, kept by Pyodide
// folder, so that a second worker, a pool's members, restart() and a
// replacement neither fetch nor compile them again. A spare Web Worker waits
// too, its scripts loaded, for the next one to take; on a page that starts
// workers again and again, with Pyodide started in it already.

import type { InitOptions, PageToWorker, Reusable, SnapshotSource } from "../shared/protocol";
import type { InterpreterRecord } from "../shared/interpreters";

// Set by the server when it bundles the runtime (see runtime.go): its snapshot's URL relative to the runtime, or null.
declare const PYWORKER_SNAPSHOT: SnapshotSource | null;
declare const PYWORKER_ASSET_SIZES: Record<string, number>;

/** What a spare worker has done ahead: loaded Pyodide's scripts, or (warm) started Pyodide from `start`. */
interface Spare {
  worker: Worker;
  warm?: Start;
}
/** Where a worker starts from: the compiled wasm and the memory snapshot it is sent, if any. */
export type Start = Pick<InitOptions, "wasm" | "snapshot">;

/** By Pyodide folder. */
const kept = new Map<string, Reusable>();
const spares = new Map<string, Spare>();
/** How many Pyodide workers of each folder the page has made, and how many of them are starting. */
const made = new Map<string, number>();
const startsUnderWay = new Map<string, number>();

/**
 * A Web Worker for a new interpreter, and what a Pyodide one starts from: the
 * spare one for its Pyodide folder if there is one (a warm one started from
 * what a new worker would start from: nothing else has been kept since).
 */
export function newWorker(interpreter: InterpreterRecord, indexURL: string, serverOwn: boolean): { worker: Worker; start: Start } {
  if (!interpreter.keepsItsStart) return { worker: spawn(), start: {} };
  made.set(indexURL, (made.get(indexURL) ?? 0) + 1);
  startsUnderWay.set(indexURL, (startsUnderWay.get(indexURL) ?? 0) + 1);
  const start = startFrom(indexURL, serverOwn);
  const spare = spares.get(indexURL);
  if (spare === undefined || (spare.warm !== undefined && (spare.warm.wasm !== start.wasm || spare.warm.snapshot !== start.snapshot))) return { worker: spawn(), start };
  spares.delete(indexURL);
  return { worker: spare.worker, start };
}

function spawn(): Worker {
  return new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "pyworker" });
}

/** The start of a new Pyodide worker loading from indexURL; `serverOwn` when that is the server's own Pyodide. */
function startFrom(indexURL: string, serverOwn: boolean): Start {
  const start: Start = {};
  const page = kept.get(indexURL);
  if (page !== undefined) start.wasm = page.wasm;
  if (page?.snapshot !== undefined) start.snapshot = page.snapshot;
  else if (serverOwn && !page?.refused && PYWORKER_SNAPSHOT !== null) start.snapshot = { ...PYWORKER_SNAPSHOT, url: new URL(PYWORKER_SNAPSHOT.url, import.meta.url).href };
  return start;
}

/**
 * Keeps what a worker started from, for the next ones: the first wasm, the
 * first snapshot (the worker put it in shared memory where the page has
 * some), and a refusal.
 */
export function keep(indexURL: string, reusable: Reusable): void {
  const page = kept.get(indexURL);
  if (page === undefined) kept.set(indexURL, reusable);
  else {
    page.snapshot ??= reusable.snapshot;
    page.refused ??= reusable.refused;
  }
}

/**
 * A worker of this Pyodide folder from newWorker has started, or failed to.
 * Once none is starting (a spare would take their processor time) and one
 * has started, the page makes a spare worker for the folder, if it has none,
 * after the replies at hand, which go first. Once the page has made a second
 * worker of the folder (a restart, a pool, a replacement), the spare starts
 * Pyodide too, from what the page kept, so that the next one is ready at
 * once: an interpreter's memory spent on the pages that start them again
 * and again.
 */
export function startEnded(indexURL: string, serverOwn: boolean): void {
  startsUnderWay.set(indexURL, (startsUnderWay.get(indexURL) ?? 1) - 1);
  setTimeout(() => {
    if (spares.has(indexURL) || startsUnderWay.get(indexURL) !== 0 || !kept.has(indexURL)) return;
    const worker = spawn();
    const start = startFrom(indexURL, serverOwn);
    // The server's snapshot to fetch is a new object each time: a warm spare starts from what the page keeps.
    const warm = (made.get(indexURL) ?? 0) > 1 && (start.snapshot === undefined || start.snapshot instanceof Uint8Array);
    if (warm) worker.postMessage([{ type: "preload", indexURL, start: { ...start, assetSizes: PYWORKER_ASSET_SIZES } }] satisfies PageToWorker[]);
    else worker.postMessage([{ type: "preload", indexURL }] satisfies PageToWorker[]);
    spares.set(indexURL, warm ? { worker, warm: start } : { worker });
  });
}
