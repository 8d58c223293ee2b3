// Where each interpreter's files are: Pyodide's where the server says
// (self-hosted, or a CDN), MicroPython's always beside the runtime.

import type { Interpreter } from "./types";

// Set by the server when it bundles the runtime (see runtime.go).
declare const PYWORKER_INDEX_URL: string;

/** The absolute URL of the interpreter's folder (ending in "/"): `indexURL` if given, relative to the runtime. */
export function interpreterURL(interpreter: Interpreter, indexURL?: string): string {
  return new URL(indexURL ?? (interpreter === "micropython" ? "micropython/" : PYWORKER_INDEX_URL), import.meta.url).href;
}
