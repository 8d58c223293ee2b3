// The encoding of the synchronous channel's answers (see channel.ts): JSON,
// with what JSON lacks (undefined, BigInt, NaN and the infinities, typed
// arrays and ArrayBuffers) written as tagged objects; the bytes of binary
// values follow the JSON text, so they are copied, not turned into lists of
// numbers. Every channel carries these bytes, so a value crosses the same way
// whichever channel a worker has.
//
// A Float16Array crosses as a Float32Array, which Pyodide knows.
//
// Layout: one byte (PLAIN: the JSON has no tagged objects, so it is parsed
// without a reviver, which is several times faster), the JSON's length as a
// Uint32, the JSON, the binary values' bytes.

const PLAIN = 0;
const TAGGED = 1;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const TAG = "\u0000pyworker";
type Tagged = { [TAG]: string; v?: string; at?: number; n?: number };
type ViewConstructor = new (buffer: ArrayBuffer, offset: number, length: number) => ArrayBufferView;
/** The kinds of binary views, by name: those this browser has (Float16Array is recent). */
const views: Record<string, ViewConstructor> = Object.fromEntries(
  [
    "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
    "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "DataView",
  ].flatMap((name) => {
    const view = (globalThis as Record<string, unknown>)[name];
    return typeof view === "function" ? [[name, view as ViewConstructor]] : [];
  }),
);

/** The name of the kind `view` is (a subclass of Float32Array crosses as a Float32Array). */
function kindOf(view: ArrayBufferView): string {
  for (let proto = Object.getPrototypeOf(view); proto !== null; proto = Object.getPrototypeOf(proto)) {
    const name: string = proto.constructor?.name;
    if (views[name] === proto.constructor) return name;
  }
  throw new TypeError(`a ${view.constructor.name} is not a binary view this encoding knows`);
}

/**
 * The bytes of `value`. `plainOnly` refuses (throws for) objects other than
 * plain ones, arrays and binary ones, which JSON would lose (a Map becomes
 * {}), so that the caller can send the value another way.
 */
export function encode(value: unknown, plainOnly = false): Uint8Array {
  const blobs: Uint8Array[] = [];
  let at = 0;
  const isPlain = plain(value, 0);
  const text = isPlain ? JSON.stringify(value) : JSON.stringify(value, function (key, v) {
    const raw = (this as Record<string, unknown>)[key]; // before toJSON
    if (raw === undefined) return { [TAG]: "undefined" };
    if (typeof raw === "bigint") return { [TAG]: "bigint", v: raw.toString() };
    if (typeof raw === "number" && !Number.isFinite(raw)) return { [TAG]: "number", v: String(raw) };
    if (ArrayBuffer.isView(raw) || raw instanceof ArrayBuffer) {
      let kind = raw instanceof ArrayBuffer ? "ArrayBuffer" : kindOf(raw);
      let binary = raw;
      if (kind === "Float16Array") {
        // Pyodide has no Float16Array: every float16 is exactly a float32.
        binary = Float32Array.from(raw as unknown as ArrayLike<number>);
        kind = "Float32Array";
      }
      const bytes = binary instanceof ArrayBuffer ? new Uint8Array(binary) : new Uint8Array(binary.buffer, binary.byteOffset, binary.byteLength);
      blobs.push(bytes);
      const tagged: Tagged = { [TAG]: kind, at, n: bytes.length };
      at += bytes.length;
      return tagged;
    }
    if (typeof raw === "function" || typeof raw === "symbol") throw new TypeError(`a ${typeof raw} cannot be encoded`);
    if (plainOnly && typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
      const prototype = Object.getPrototypeOf(raw);
      if (prototype !== Object.prototype && prototype !== null) throw new TypeError("not a plain object");
    }
    return v;
  });
  const json = encoder.encode(text ?? "null");
  const out = new Uint8Array(5 + json.length + at);
  out[0] = isPlain ? PLAIN : TAGGED;
  new DataView(out.buffer).setUint32(1, json.length);
  out.set(json, 5);
  let offset = 5 + json.length;
  for (const blob of blobs) {
    out.set(blob, offset);
    offset += blob.length;
  }
  return out;
}

/** Whether JSON carries `value` as it is: strings, finite numbers, booleans, null, in plain objects and arrays. */
function plain(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object": {
      if (value === null) return true;
      if (depth > 16) return false;
      if (Array.isArray(value)) {
        for (const item of value) if (!plain(item, depth + 1)) return false; // a hole is undefined: not plain
        return true;
      }
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      for (const key in value) if (!plain((value as Record<string, unknown>)[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

export function decode(bytes: Uint8Array): unknown {
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(1);
  const blobs = 5 + length;
  const text = decoder.decode(bytes.subarray(5, blobs));
  if (bytes[0] === PLAIN) return JSON.parse(text);
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
    if (View === undefined) throw new TypeError(`a ${t[TAG]} cannot be decoded: this browser has no ${t[TAG]}`);
    const size = (View as unknown as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
    return new View(copy, 0, t.n! / size);
  });
}
