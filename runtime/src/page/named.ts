// Named workers (PyScript's `workers[name]`): one promise per name, made by
// whichever comes first, the worker or someone waiting for it.

import type { PyWorker, Workers } from "../shared/types";

const namedWorkers = new Map<string, { promise: Promise<PyWorker>; resolve(worker: Promise<PyWorker>): void }>();

export function named(name: string) {
  let entry = namedWorkers.get(name);
  if (entry === undefined) {
    let resolve!: (worker: Promise<PyWorker>) => void;
    const promise = new Promise<PyWorker>((r) => (resolve = r));
    entry = { promise, resolve };
    namedWorkers.set(name, entry);
  }
  return entry;
}

/** `await workers[name]`: the named worker, once ready. */
export const workers: Workers = new Proxy({} as Workers, {
  get: (_, name) => (typeof name === "string" && name !== "then" ? named(name).promise : undefined),
});
