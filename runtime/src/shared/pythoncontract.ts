// What crosses between the worker's JavaScript and pyworker's Python module,
// on both interpreters: the reply of a call, a page operation's fields, the
// hooks the worker gives Python (Pyodide's module gets them from `connect`,
// MicroPython's imports them from `hooksModule`), the answers it gets
// through them, and the entry points the module must have. Python declares the same names in
// python/pyworker/_contract.py; python/tests/test_contract.py reads CONTRACT
// below (it must stay JSON between its markers) and fails when the two differ.
//
// The shapes are the same on both interpreters; only the encoding differs.
// Pyodide passes a page operation as positional arguments (its proxies
// convert each argument as it crosses, and a dict would cost a conversion of
// its own on every `window.x` read), MicroPython as a JSON array in the same
// order (its own conversion cuts integers to 32 bits). The page's roots are
// the objects Python holds from the start, each by its index as reference.

import type { PageOp, Wire } from "./pageobjects";
import type { PageHooks, PythonModule } from "./adapter";
import type { PythonException, RunResult } from "./types";

// contract:begin
export const CONTRACT = {
  "reply": ["results", "error", "exception"],
  "exception": ["type", "message", "traceback", "line"],
  "pageOp": ["op", "ref", "key", "args", "path"],
  "pageRoots": ["window", "document", "jsModules"],
  "hooks": ["callPage", "readLine", "sleep", "pageOp"],
  "answer": ["value", "error"],
  "answerError": ["name", "message"],
  "entryPoints": ["_run", "_call_export", "_call_callback", "_forget_callbacks", "_unpack_archive"],
  "connect": "_connect",
  "hooksModule": "_pyworker_js",
  "userFile": "<exec>"
} as const;
// contract:end

/** A page operation's fields in the contract's order, as Python passes them (undefined where it has none). */
export type PageOpFields = [op: PageOp["op"], ref: number, key: PageOp["key"], args: Wire[] | undefined, path: PageOp["path"]];

/** The page operation of fields in the contract's order, without the fields Python left out. */
export function pageOpOf(...[op, ref, key, args, path]: PageOpFields): PageOp {
  const pageOp: PageOp = { op, ref };
  if (key !== undefined && key !== null) pageOp.key = key;
  if (args !== undefined && args !== null) pageOp.args = args;
  if (path !== undefined && path !== null) pageOp.path = path;
  return pageOp;
}

/** A reply for an error the worker meets outside Python, shaped as Python's (its traceback one line). */
export function errorReply(type: string, message: string): RunResult {
  const traceback = `${type}: ${message}\n`;
  return { error: traceback, exception: { type, message, traceback } };
}

/** The answer a MicroPython hook returns (JSON): `{value}`, or `{error: {name, message}}` for what it threw. */
export type Answer = { value: unknown } | { error: { name: string; message: string } };

// The declarations the types use must have the contract's keys: a change to one side fails `tsc` here.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type KeysOf<T> = T extends unknown ? keyof T : never;
const keysMatch: [
  Same<keyof RunResult, (typeof CONTRACT.reply)[number]>,
  Same<keyof PythonException, (typeof CONTRACT.exception)[number]>,
  Same<keyof PageOp, (typeof CONTRACT.pageOp)[number]>,
  Same<keyof PageHooks, (typeof CONTRACT.hooks)[number]>,
  Same<keyof PythonModule, (typeof CONTRACT.entryPoints)[number]>,
  Same<KeysOf<Answer>, (typeof CONTRACT.answer)[number]>,
  Same<keyof Extract<Answer, { error: unknown }>["error"], (typeof CONTRACT.answerError)[number]>,
] = [true, true, true, true, true, true, true];
void keysMatch;
