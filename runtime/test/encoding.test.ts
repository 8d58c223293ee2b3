// How values cross a channel as bytes (see encoding.ts).

import assert from "node:assert/strict";
import { test } from "node:test";
import { decode, encode } from "../src/shared/encoding";

const roundTrip = (value: unknown) => decode(encode(value));

test("plain values cross as JSON", () => {
  const value = { a: [1, "two", true, null], b: { c: 3.5 } };
  assert.deepEqual(roundTrip(value), value);
});

test("what JSON lacks crosses tagged", () => {
  const value = { u: undefined, big: 2n ** 70n, nan: NaN, inf: -Infinity };
  const back = roundTrip(value) as Record<string, unknown>;
  assert.ok("u" in back === false || back.u === undefined);
  assert.equal(back.big, 2n ** 70n);
  assert.ok(Number.isNaN(back.nan));
  assert.equal(back.inf, -Infinity);
});

test("binary values are copied, with their kind", () => {
  const floats = new Float64Array([1.5, -2, 3e300]);
  const bytes = new Uint8Array([1, 2, 3]).buffer;
  const back = roundTrip({ floats, bytes, part: new Int16Array(new Int16Array([1, 2, 3, 4]).buffer, 2, 2) }) as {
    floats: Float64Array;
    bytes: ArrayBuffer;
    part: Int16Array;
  };
  assert.ok(back.floats instanceof Float64Array);
  assert.deepEqual([...back.floats], [1.5, -2, 3e300]);
  assert.ok(back.bytes instanceof ArrayBuffer);
  assert.deepEqual([...new Uint8Array(back.bytes)], [1, 2, 3]);
  assert.deepEqual([...back.part], [2, 3]);
});

test("a subclass of a typed array crosses as its standard kind", () => {
  class Samples extends Float32Array {}
  const back = roundTrip(Samples.of(1, 2, 3));
  assert.equal((back as object).constructor, Float32Array);
  assert.deepEqual([...(back as Float32Array)], [1, 2, 3]);
});

test("a kind this engine lacks is a clear error", () => {
  // Bytes as an engine with Float16Array encodes one: the tagged JSON, then 2 bytes.
  const json = new TextEncoder().encode(JSON.stringify({ "\u0000pyworker": "Float16Array", at: 0, n: 2 }));
  const bytes = new Uint8Array(5 + json.length + 2);
  bytes[0] = 1;
  new DataView(bytes.buffer).setUint32(1, json.length);
  bytes.set(json, 5);
  if ("Float16Array" in globalThis) return; // this engine can decode it
  assert.throws(() => decode(bytes), /a Float16Array cannot be decoded: this browser has no Float16Array/);
});

test("plainOnly refuses what JSON would lose", () => {
  assert.throws(() => encode(new Map([[1, 2]]), true), /not a plain object/);
  assert.throws(() => encode({ f: () => 1 }), /a function cannot be encoded/);
});
