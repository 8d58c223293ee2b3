// Results the worker makes itself, outside Python, and what a result moves
// to the page or copies before it goes.

import { errorReply } from "../shared/pythoncontract";
import type { WorkerToPage } from "../shared/protocol";
import type { RunResult } from "../shared/types";

/** The result of a call interrupted outside its own code. */
export function keyboardInterrupt(message: string): RunResult {
  return errorReply("KeyboardInterrupt", message);
}

/** The reply for a result the structured clone refused (a JavaScript function, say). */
export function uncrossable(id: number, value: unknown, error: unknown): WorkerToPage {
  const part = uncloneablePart(value);
  // Each engine says it in its own words: name the part in ours, then theirs.
  const why = part === undefined ? String(error) : `it is or holds ${part}, which cannot be copied (${error})`;
  return { type: "result", id, ...errorReply("TypeError", `the result cannot cross to the page: ${why}`) };
}

/** Names the first part of `value` that the structured clone refuses, if it finds one. */
export function uncloneablePart(value: unknown, depth = 0): string | undefined {
  if (typeof value === "function") return `a JavaScript function${value.name ? ` '${value.name}'` : ""}`;
  if (typeof value === "symbol") return `a JavaScript ${String(value)}`;
  if (typeof value !== "object" || value === null || depth > 8) return undefined;
  if (value instanceof WeakMap || value instanceof WeakSet || value instanceof WeakRef || value instanceof Promise) {
    return `a JavaScript ${value.constructor.name}`;
  }
  const items = value instanceof Map ? [...value.keys(), ...value.values()] : value instanceof Set ? [...value] : Object.values(value);
  for (const item of items.slice(0, 10_000)) {
    const part = uncloneablePart(item, depth + 1);
    if (part !== undefined) return part;
  }
  return undefined;
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
