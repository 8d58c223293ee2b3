// What a page's Pyodide workers start from: the memory snapshot the server
// offers for its own Pyodide (see snapshot.ts), and once one worker has
// started, the wasm it compiled and the snapshot it restored, kept by Pyodide
// folder, so that a second worker, a pool's members, restart() and a
// replacement neither fetch nor compile them again.

import type { InitOptions } from "./protocol";
import type { SnapshotSource } from "./snapshot";

// Set by the server when it bundles the runtime (see runtime.go): its snapshot's URL relative to the runtime, or null.
declare const PYWORKER_SNAPSHOT: SnapshotSource | null;

/** By Pyodide folder: the wasm compiled, the snapshot restored, or whether the server's was refused. */
const kept = new Map<string, { wasm: WebAssembly.Module; snapshot?: Uint8Array; refused?: true }>();

/** The start of a new Pyodide worker loading from indexURL; `serverOwn` when that is the server's own Pyodide. */
export function startFrom(indexURL: string, serverOwn: boolean): Pick<InitOptions, "wasm" | "snapshot"> {
  const start: Pick<InitOptions, "wasm" | "snapshot"> = {};
  const page = kept.get(indexURL);
  if (page !== undefined) start.wasm = page.wasm;
  if (page?.snapshot !== undefined) start.snapshot = page.snapshot;
  else if (serverOwn && !page?.refused && PYWORKER_SNAPSHOT !== null) start.snapshot = { ...PYWORKER_SNAPSHOT, url: new URL(PYWORKER_SNAPSHOT.url, import.meta.url).href };
  return start;
}

/** Keeps what a worker started from, for the next ones: the first wasm, the first snapshot, and a refusal (this browser cannot restore the server's). */
export function keep(indexURL: string, reusable: { wasm: WebAssembly.Module; snapshot?: Uint8Array; refused?: true }): void {
  const page = kept.get(indexURL);
  if (page === undefined) kept.set(indexURL, reusable);
  else {
    page.snapshot ??= reusable.snapshot;
    page.refused ??= reusable.refused;
  }
}
