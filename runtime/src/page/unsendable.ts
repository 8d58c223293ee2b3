// Why the structured clone refused a call: which of its values cannot be
// sent to the worker, and what it is, rather than the engine's bare
// "could not be cloned".

import type { PageToWorker } from "../shared/protocol";

/** The error a run or export call rejects with when `error` refused its request. */
export function unsendable(request: Extract<PageToWorker, { type: "run" | "export" }>, error: unknown): TypeError {
  const values = request.type === "run" ? Object.entries(request.context ?? {}) : request.args.map((v, i) => [`argument ${i + 1}`, v]);
  const bad = values.find(([, value]) => !cloneable(value));
  const what = bad ? (request.type === "run" ? `context value '${bad[0]}'` : bad[0]) + ` (${describe(bad[1])})` : "a value";
  return new TypeError(`pyworker: ${what} cannot be sent to the worker: ${(error as Error).message ?? error}`);
}

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  return `a ${Object.prototype.toString.call(value).slice(8, -1)}`;
}
