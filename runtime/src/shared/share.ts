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
//
// Most of a copy's cost is not the copy: it is the first write to each page
// of new memory (70 ms of 80 for 80 MB here). So after a big copy the page
// keeps one spare buffer of that size for the next, fresh (no call has had
// it), whose pages a worker has written once while idle; it is dropped
// after SPARE_MS unused.

import { hasSharedMemory } from "./channel";

/** Typed arrays of more bytes than this are shared; smaller ones cost the structured clone little. */
const SHARE_BYTES = 1 << 20;
/** How long a spare buffer is kept for the next big array. */
const SPARE_MS = 10_000;
/** The size of a memory page: writing one byte of each brings the whole buffer in. */
const PAGE_BYTES = 4096;
/** How much of a spare the worker writes at a time: about 7 ms here. */
const WARM_PART_BYTES = 8 << 20;

/** Has a worker write every page of `buffer` once, then set `done[0]` to 1. */
export type Warm = (buffer: SharedArrayBuffer, done: Int32Array) => void;

/** The spare buffer, once made; usable when `done[0]` is 1. */
let spare: { buffer: SharedArrayBuffer; done: Int32Array; timer: ReturnType<typeof setTimeout> } | undefined;

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
export function shareBigArrays<T extends Record<string, unknown> | unknown[] | undefined>(
  values: T,
  transfer: Transferable[] = [],
  warm?: Warm,
): T {
  if (!hasSharedMemory() || values === undefined) return values;
  let copy: Record<string, unknown> | undefined;
  let last = 0;
  for (const [key, value] of Object.entries(values)) {
    if (!worthSharing(value, transfer)) continue;
    copy ??= (Array.isArray(values) ? [...values] : { ...values }) as Record<string, unknown>;
    copy[key] = sharedCopy(value);
    last = value.byteLength;
  }
  if (last > 0 && warm !== undefined) prepareSpare(last, warm); // one spare: for the call's last big array
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
  const copy = new Type(newBuffer(array.byteLength));
  copy.set(array);
  return copy;
}

/** A new shared buffer of `bytes`: the spare if it has that size and its pages are written. */
function newBuffer(bytes: number): SharedArrayBuffer {
  if (spare === undefined || spare.buffer.byteLength !== bytes || Atomics.load(spare.done, 0) !== 1) return new SharedArrayBuffer(bytes);
  const { buffer, timer } = spare;
  clearTimeout(timer);
  spare = undefined;
  return buffer;
}

/** Makes a new spare of `bytes`, in place of the one there was, and has a worker write its pages. */
function prepareSpare(bytes: number, warm: Warm): void {
  if (spare !== undefined) clearTimeout(spare.timer);
  const buffer = new SharedArrayBuffer(bytes);
  const done = new Int32Array(new SharedArrayBuffer(4));
  spare = { buffer, done, timer: setTimeout(() => (spare = undefined), SPARE_MS) };
  warm(buffer, done);
}

/**
 * Worker side: writes one byte of every page of `buffer` (fresh: all zeros),
 * which brings its memory in, then says so in `done`. It writes a few
 * milliseconds' worth at a time, so that a call coming meanwhile waits for
 * one part, not for the whole buffer.
 */
export function writeEveryPage(buffer: SharedArrayBuffer, done: Int32Array, from = 0): void {
  const bytes = new Uint8Array(buffer);
  const end = Math.min(bytes.length, from + WARM_PART_BYTES);
  for (let i = from; i < end; i += PAGE_BYTES) bytes[i] = 0;
  if (end < bytes.length) setTimeout(() => writeEveryPage(buffer, done, end));
  else Atomics.store(done, 0, 1);
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
