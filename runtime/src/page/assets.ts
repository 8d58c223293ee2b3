// Where each interpreter's files are: Pyodide's where the server says
// (self-hosted, or a CDN), MicroPython's always beside the runtime.

import type { Interpreter } from "../shared/types";

// Set by the server when it bundles the runtime (see runtime.go): folders relative to the runtime (or a CDN's URL).
declare const PYWORKER_INDEX_URL: string;
declare const PYWORKER_MICROPYTHON_URL: string;
declare const PYWORKER_TOML_URL: string;
declare const PYWORKER_XTERM_URL: string;

/** Each interpreter's folder, as the server bundled it. */
const folders: Record<Interpreter, string> = { pyodide: PYWORKER_INDEX_URL, micropython: PYWORKER_MICROPYTHON_URL };

/** The absolute URL of the interpreter's folder (ending in "/"): `indexURL` if given, relative to the runtime. */
export function interpreterURL(interpreter: Interpreter, indexURL?: string): string {
  return new URL(indexURL ?? folders[interpreter], import.meta.url).href;
}

/** The absolute URL of the TOML parser's module. */
export function tomlParserURL(): string {
  return new URL(PYWORKER_TOML_URL + "dist/index.js", import.meta.url).href;
}

/** The absolute URL of a file of the terminal (xterm.js): "lib/xterm.mjs", "css/xterm.css". */
export function xtermURL(file: string): string {
  return new URL(PYWORKER_XTERM_URL + file, import.meta.url).href;
}
