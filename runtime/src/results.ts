// Results the worker makes itself, outside Python, and what a result moves
// to the page or copies before it goes.

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

/**
 * Readies a result for the page, which gets its own copy of any result: a
 * view of shared memory (a big array of the call's context, returned) is
 * copied, and buffers are listed in `transfer` to move rather than copy:
 * they were made for it.
 */
export function forThePage(value: unknown, transfer: Transferable[], depth = 0): unknown {
  if (ArrayBuffer.isView(value)) {
    const own = value.buffer instanceof ArrayBuffer ? value : ownCopy(value);
    if (!transfer.includes(own.buffer)) transfer.push(own.buffer);
    return own;
  }
  if (value instanceof ArrayBuffer) {
    if (!transfer.includes(value)) transfer.push(value);
  } else if (typeof value === "object" && value !== null && depth < 3) {
    const entries = Array.isArray(value) ? [...value.entries()] : Object.entries(value);
    if (entries.length <= 1000) {
      for (const [key, item] of entries) {
        const ready = forThePage(item, transfer, depth + 1);
        if (ready !== item) (value as Record<string | number, unknown>)[key] = ready;
      }
    }
  }
  return value;
}

/** A view of the same kind over a copy of its bytes in a buffer of its own. */
function ownCopy(view: ArrayBufferView): ArrayBufferView {
  const bytes = new Uint8Array(view.byteLength);
  bytes.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  return new (view.constructor as new (buffer: ArrayBuffer) => ArrayBufferView)(bytes.buffer);
}
