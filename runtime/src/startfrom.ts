// What a page's Pyodide workers start from: the memory snapshot the server
// offers for its own Pyodide (see snapshot.ts), and once one worker has
// started, the wasm it compiled and the snapshot it restored, kept by Pyodide
// folder, so that a second worker, a pool's members, restart() and a
// replacement neither fetch nor compile them again. A spare Web Worker waits
// too, its scripts loaded, for the next one to take.

import type { InitOptions, PageToWorker } from "./protocol";
import type { SnapshotSource } from "./snapshot";
import type { Interpreter } from "./types";

// Set by the server when it bundles the runtime (see runtime.go): its snapshot's URL relative to the runtime, or null.
declare const PYWORKER_SNAPSHOT: SnapshotSource | null;

/** What a started worker passes on (see the "reusable" message). */
export interface Reusable {
  wasm: WebAssembly.Module;
  snapshot?: Uint8Array;
  /** The server's snapshot would not do in this browser. */
  refused?: true;
}

/** By Pyodide folder. */
const kept = new Map<string, Reusable>();
const spares = new Map<string, Worker>();

/** A Web Worker for a new interpreter: the spare one for this Pyodide folder if there is one. */
export function newWorker(interpreter: Interpreter, indexURL: string): Worker {
  const spare = interpreter === "pyodide" ? spares.get(indexURL) : undefined;
  spares.delete(indexURL);
  return spare ?? spawn();
}

function spawn(): Worker {
  return new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "pyworker" });
}

/** The start of a new Pyodide worker loading from indexURL; `serverOwn` when that is the server's own Pyodide. */
export function startFrom(indexURL: string, serverOwn: boolean): Pick<InitOptions, "wasm" | "snapshot"> {
  const start: Pick<InitOptions, "wasm" | "snapshot"> = {};
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
 * Makes a spare worker for this Pyodide folder, if it has none, now that a
 * worker of it has started: after the replies at hand, which go first.
 */
export function spareFor(indexURL: string): void {
  setTimeout(() => {
    if (spares.has(indexURL)) return;
    const spare = spawn();
    spare.postMessage([{ type: "preload", indexURL }] satisfies PageToWorker[]);
    spares.set(indexURL, spare);
  });
}
