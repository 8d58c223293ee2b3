// Which values a call sends through shared memory, and how (see share.ts).

import assert from "node:assert/strict";
import { mock, test } from "node:test";

import { shareBigArrays, writeEveryPage, type Warm } from "../src/shared/share";

// Node is no page: it says here that it is a cross-origin isolated one, which has shared memory.
(globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated = true;

const BIG = (1 << 20) / 8 + 1; // Float64 elements: just over 1 MiB

test("a big typed array becomes a view of the same type over a shared copy", () => {
  const big = Float64Array.from({ length: BIG }, (_, i) => i / 2);
  const context = { big, n: 1 };
  const sent = shareBigArrays(context);
  assert.ok(sent !== context, "the caller's context is not changed");
  assert.equal(context.big, big);
  assert.ok(sent.big instanceof Float64Array);
  assert.ok(sent.big.buffer instanceof SharedArrayBuffer);
  assert.deepEqual([sent.big.length, sent.big[5], sent.big[BIG - 1], sent.n], [BIG, 2.5, (BIG - 1) / 2, 1]);
});

test("an export call's arguments stay an array", () => {
  const big = new Int32Array(BIG * 2).fill(7);
  const args = shareBigArrays([1, big]);
  assert.ok(Array.isArray(args));
  assert.equal(args[0], 1);
  assert.ok((args[1] as Int32Array).buffer instanceof SharedArrayBuffer);
  assert.equal((args[1] as Int32Array)[BIG], 7);
});

test("a view into part of a buffer copies that part; a subclass its base type", () => {
  const whole = Float64Array.from({ length: BIG + 2 }, (_, i) => i);
  const part = shareBigArrays({ part: new Float64Array(whole.buffer, 8, BIG) }).part;
  assert.deepEqual([part.length, part[0], part[BIG - 1], part.buffer.byteLength], [BIG, 1, BIG, BIG * 8]);
  class Samples extends Float64Array {}
  assert.equal(shareBigArrays({ s: new Samples(BIG) }).s.constructor, Float64Array);
});

test("what is small, transferred, not a typed array or shared already is sent as it is", () => {
  const moved = new Float64Array(BIG);
  const context = {
    small: new Float64Array(1 << 10),
    moved,
    view: new DataView(new ArrayBuffer(BIG * 8)),
    buffer: new ArrayBuffer(BIG * 8),
    shared: new Float64Array(new SharedArrayBuffer(BIG * 8)),
  };
  assert.equal(shareBigArrays(context, [moved.buffer]), context);
  assert.equal(shareBigArrays(undefined), undefined);
});

test("after a big copy, the next of its size goes to a spare the worker has written, once", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const spares: SharedArrayBuffer[] = [];
    const worker: Warm = (buffer, done) => {
      spares.push(buffer);
      writeEveryPage(buffer, done);
    };
    const idle: Warm = (buffer) => spares.push(buffer); // a worker that has not got to it yet
    const send = (fill: number, warm: Warm, length = BIG) => shareBigArrays({ a: new Float64Array(length).fill(fill) }, [], warm).a;

    const first = send(1, worker);
    const second = send(2, worker);
    assert.equal(second.buffer, spares[0], "the second copy went to the spare made after the first");
    assert.deepEqual([second[0], second[BIG - 1]], [2, 2]);
    assert.notEqual(first.buffer, second.buffer);
    const third = send(3, idle);
    assert.equal(third.buffer, spares[1]);
    assert.notEqual(send(4, worker).buffer, spares[2], "a spare whose pages are not written yet is not taken");
    assert.notEqual(send(5, worker, BIG + 1).buffer, spares[3], "nor one of another size");
    const before = spares.length;
    shareBigArrays({ a: new Float64Array(BIG), b: new Float64Array(BIG + 2) }, [], worker);
    assert.equal(spares.length, before + 1, "a call with two big arrays prepares one spare, for the last");
    assert.equal(spares.at(-1)!.byteLength, (BIG + 2) * 8);
    const kept = spares.at(-1);
    mock.timers.tick(10_000);
    assert.notEqual(send(6, worker, BIG + 2).buffer, kept, "nor one kept 10 s unused");
  } finally {
    mock.timers.reset();
  }
});
