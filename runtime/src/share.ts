// Big typed arrays sent without `transfer` (a run's context, an export
// call's arguments), through shared memory: this file's one job. The
// structured clone copies an array into the message and again out of it
// (about 160 ms for 80 MB); on a page with shared memory (cross-origin
// isolated) the page copies it once into a SharedArrayBuffer instead, and
// the worker reads it in place.
//
// The page keeps no reference to a copy: it lives in the call's request and
// then as long as the worker wants it (Python may keep the array). So a copy
// is never reused for another call; a request sent again to a replacement
// worker carries the same copy.

import { hasSharedMemory } from "./channel";

/** Typed arrays of more bytes than this are shared; smaller ones cost the structured clone little. */
const SHARE_BYTES = 1 << 20;

/** What this file uses of a typed array, of any of its types. */
interface TypedArray extends ArrayBufferView {
  readonly [Symbol.toStringTag]: string;
  set(array: TypedArray): void;
}
type TypedArrayConstructor = new (buffer: SharedArrayBuffer) => TypedArray;

/**
 * `values` (a run's context, an export call's arguments) with each big typed
 * array replaced by a view of the same type over a shared copy; `values`
 * itself when none is. What is in `transfer` is moved, not copied; a DataView
 * or an ArrayBuffer stays as it is, and so does a view already shared.
 */
export function shareBigArrays<T extends Record<string, unknown> | unknown[] | undefined>(values: T, transfer: Transferable[] = []): T {
  if (!hasSharedMemory() || values === undefined) return values;
  let copy: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(values)) {
    if (!worthSharing(value, transfer)) continue;
    copy ??= (Array.isArray(values) ? [...values] : { ...values }) as Record<string, unknown>;
    copy[key] = sharedCopy(value);
  }
  return (copy ?? values) as T;
}

function worthSharing(value: unknown, transfer: Transferable[]): value is TypedArray {
  return (
    ArrayBuffer.isView(value) &&
    !(value instanceof DataView) &&
    value.byteLength > SHARE_BYTES &&
    value.buffer instanceof ArrayBuffer &&
    !transfer.includes(value.buffer)
  );
}

/** A view of the same type as `array` (its base type, for a subclass) over a new SharedArrayBuffer holding its elements. */
function sharedCopy(array: TypedArray): TypedArray {
  const Type = (globalThis as unknown as Record<string, TypedArrayConstructor>)[array[Symbol.toStringTag]];
  const copy = new Type(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

/**
 * Worker side: TextDecoder refuses views of shared memory, and Pyodide's
 * `to_string()` decodes with it; this has it decode a copy of such a view
 * instead, so that a shared array reads as text as any other does.
 */
export function decodeSharedViews(): void {
  if (typeof SharedArrayBuffer !== "function") return;
  const decode = TextDecoder.prototype.decode;
  TextDecoder.prototype.decode = function (input, options) {
    const bytes = input instanceof SharedArrayBuffer ? new Uint8Array(input)
      : ArrayBuffer.isView(input) && input.buffer instanceof SharedArrayBuffer ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
      : undefined;
    return decode.call(this, bytes === undefined ? input : bytes.slice(), options);
  };
}
