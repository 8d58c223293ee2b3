// The synchronous channel: how a worker blocked in a Python call gets the
// page's answer. The worker posts its request as an ordinary message and
// waits with Atomics.wait on a SharedArrayBuffer; the page writes the answer
// into that buffer and wakes it. A blocked worker cannot receive messages,
// so the answer must travel through shared memory, encoded by encode().
//
// Buffer layout: Int32 state, Int32 byte length, then the encoded answer.
// The buffer has a fixed size (a growable one makes every call 100 µs
// slower in Chromium 156): an answer that does not fit is announced with
// TOO_BIG and its length, the worker sends a buffer big enough, and the
// page writes the answer there (see Connection and worker.ts's ask).

const STATE = 0;
const LENGTH = 1;
const HEADER = 8;
const WAITING = 0;
const ANSWERED = 1;
const TOO_BIG = 2;

export function createChannelBuffer(answerBytes = 64 << 10): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER + answerBytes);
}

/** An answer: the function's value, or the error it threw. */
export type Answer = { value: unknown } | { error: { name: string; message: string } };

/** Worker side: marks the buffer as waiting; call before posting the request. */
export function expectAnswer(buffer: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(buffer, 0, 2), STATE, WAITING);
}

/**
 * Worker side: blocks until the page answers; `{needs}` when the answer
 * needs a bigger buffer. `stillWaiting` runs every `sliceMs` while nothing
 * has come, so a caller can give up.
 */
export function awaitAnswer(buffer: SharedArrayBuffer, sliceMs = 100, stillWaiting?: () => void): Answer | { needs: number } {
  const control = new Int32Array(buffer, 0, 2);
  while (Atomics.wait(control, STATE, WAITING, sliceMs) === "timed-out") stillWaiting?.();
  const length = Atomics.load(control, LENGTH);
  if (Atomics.load(control, STATE) === TOO_BIG) return { needs: length };
  return decode(new Uint8Array(buffer, HEADER, length).slice()) as Answer;
}

/** Page side: the answer's bytes (an answer that cannot be encoded becomes an error). */
export function encodeAnswer(answer: Answer): Uint8Array {
  try {
    return encode(answer);
  } catch (error) {
    return encode({ error: { name: "TypeError", message: `the answer cannot cross to the worker: ${(error as Error).message}` } });
  }
}

/**
 * Page side: writes the answer and wakes the worker. When it does not fit,
 * says how big it is instead and returns false: the caller keeps the bytes
 * for the bigger buffer the worker will send.
 */
export function writeAnswer(buffer: SharedArrayBuffer, bytes: Uint8Array): boolean {
  const control = new Int32Array(buffer, 0, 2);
  const fits = HEADER + bytes.length <= buffer.byteLength;
  if (fits) new Uint8Array(buffer, HEADER, bytes.length).set(bytes);
  Atomics.store(control, LENGTH, bytes.length);
  Atomics.store(control, STATE, fits ? ANSWERED : TOO_BIG);
  Atomics.notify(control, STATE);
  return fits;
}

// The encoding: JSON, with what JSON lacks (undefined, BigInt, NaN and the
// infinities, typed arrays and ArrayBuffers) written as tagged objects; the
// bytes of binary values follow the JSON text, so they are copied, not
// turned into lists of numbers.

const TAG = "\u0000pyworker";
type Tagged = { [TAG]: string; v?: string; at?: number; n?: number };
const views: Record<string, new (buffer: ArrayBuffer, offset: number, length: number) => ArrayBufferView> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView,
} as never;

export function encode(value: unknown): Uint8Array {
  const blobs: Uint8Array[] = [];
  let at = 0;
  const text = JSON.stringify(value, function (key, v) {
    const raw = (this as Record<string, unknown>)[key]; // before toJSON
    if (raw === undefined) return { [TAG]: "undefined" };
    if (typeof raw === "bigint") return { [TAG]: "bigint", v: raw.toString() };
    if (typeof raw === "number" && !Number.isFinite(raw)) return { [TAG]: "number", v: String(raw) };
    if (ArrayBuffer.isView(raw) || raw instanceof ArrayBuffer) {
      const bytes = raw instanceof ArrayBuffer ? new Uint8Array(raw) : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
      blobs.push(bytes);
      const tagged: Tagged = { [TAG]: raw instanceof ArrayBuffer ? "ArrayBuffer" : raw.constructor.name, at, n: bytes.length };
      at += bytes.length;
      return tagged;
    }
    if (typeof raw === "function" || typeof raw === "symbol") throw new TypeError(`a ${typeof raw} cannot be encoded`);
    return v;
  });
  const json = new TextEncoder().encode(text ?? "null");
  const out = new Uint8Array(4 + json.length + at);
  new DataView(out.buffer).setUint32(0, json.length);
  out.set(json, 4);
  let offset = 4 + json.length;
  for (const blob of blobs) {
    out.set(blob, offset);
    offset += blob.length;
  }
  return out;
}

export function decode(bytes: Uint8Array): unknown {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(0);
  const blobs = 4 + length;
  const text = new TextDecoder().decode(bytes.subarray(4, blobs));
  return JSON.parse(text, (_, v: unknown) => {
    if (typeof v !== "object" || v === null || !(TAG in v)) return v;
    const t = v as Tagged;
    switch (t[TAG]) {
      case "undefined":
        return undefined;
      case "bigint":
        return BigInt(t.v!);
      case "number":
        return Number(t.v);
    }
    const copy = bytes.slice(blobs + t.at!, blobs + t.at! + t.n!).buffer;
    if (t[TAG] === "ArrayBuffer") return copy;
    const View = views[t[TAG]];
    const size = (View as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
    return new View(copy, 0, t.n! / size);
  });
}
