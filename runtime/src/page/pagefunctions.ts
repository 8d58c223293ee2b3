// What answers the worker's questions on the page: the page's sync
// functions (Python's `sync.NAME(...)`) and the stdin option (`input()`).

import { noStdin } from "../shared/stdin";
import type { PageFunction, WorkerOptions } from "../shared/types";

/** Python's `input(prompt)`: the prompt goes to stdout, then the `stdin` option gives the line (null: end of input). */
export function readLine(options: WorkerOptions, prompt: string): unknown {
  if (prompt !== "") (options.stdout ?? console.log)(prompt);
  const stdin = options.stdin;
  if (stdin === undefined) throw noStdin();
  const line = (value: string | null | undefined) => (value === null || value === undefined ? null : String(value).replace(/\r?\n$/, ""));
  const value = stdin(prompt);
  return value instanceof Promise ? value.then(line) : line(value);
}

/** Python's `sync.NAME(...)`. */
export function callPageFunction(functions: Map<string, PageFunction>, name: string, args: unknown[]): unknown {
  const fn = functions.get(name);
  if (fn !== undefined) return fn(...args);
  const names = [...functions.keys()].join(", ") || "none";
  const error = new Error(`the page has no sync function '${name}' (it has: ${names})`);
  error.name = "AttributeError";
  throw error;
}
