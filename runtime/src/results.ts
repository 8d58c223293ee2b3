// Results the worker makes itself, outside Python, and what a result moves
// to the page rather than copies.

import type { Reply } from "./protocol";
import type { RunResult } from "./types";

/** The result of a call interrupted outside its own code. */
export function keyboardInterrupt(message: string): RunResult {
  const text = `KeyboardInterrupt: ${message}\n`;
  return { error: text, exception: { type: "KeyboardInterrupt", message, traceback: text } };
}

/** The reply for a result the structured clone refused (a JavaScript function, say). */
export function uncrossable(id: number, error: unknown): Reply {
  const message = `the result cannot cross to the page: ${(error as Error)?.message ?? error}`;
  const text = `TypeError: ${message}`;
  return { type: "result", id, error: text, exception: { type: "TypeError", message, traceback: text } };
}

/** Buffers in a result to move to the page rather than copy: they were made for it. */
export function transferables(value: unknown, found: Transferable[] = [], depth = 0): Transferable[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && !found.includes(value.buffer)) found.push(value.buffer);
  } else if (value instanceof ArrayBuffer) {
    if (!found.includes(value)) found.push(value);
  } else if (typeof value === "object" && value !== null && depth < 3) {
    const items = Array.isArray(value) ? value : Object.values(value);
    if (items.length <= 1000) for (const item of items) transferables(item, found, depth + 1);
  }
  return found;
}
