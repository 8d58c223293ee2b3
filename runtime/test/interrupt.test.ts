// The interrupt buffer's rules, with both sides played in one thread.

import assert from "node:assert/strict";
import { test } from "node:test";
import { cancel, createInterruptBuffer, finished, interruptCall, runningCall, starting } from "../src/shared/interrupt";

const signal = (buffer: Int32Array) => buffer[0];

test("an interrupt for the running call raises the signal", () => {
  const buffer = createInterruptBuffer();
  assert.equal(starting(buffer, 1), "started");
  assert.equal(runningCall(buffer), 1);
  interruptCall(buffer, 1);
  assert.equal(signal(buffer), 2);
});

test("a call interrupted before its turn ends when its turn comes", () => {
  const buffer = createInterruptBuffer();
  interruptCall(buffer, 1);
  assert.equal(signal(buffer), 0);
  assert.equal(starting(buffer, 1), "interrupted");
  assert.equal(runningCall(buffer), 0);
  assert.equal(starting(buffer, 2), "started");
  assert.equal(signal(buffer), 0, "the next call is not interrupted");
});

test("an interrupt for a call that has ended reaches no other", () => {
  const buffer = createInterruptBuffer();
  starting(buffer, 1);
  finished(buffer);
  interruptCall(buffer, 1);
  assert.equal(signal(buffer), 0);
  starting(buffer, 2);
  assert.equal(signal(buffer), 0);
});

test("the end of a call drops the signal raised for it", () => {
  const buffer = createInterruptBuffer();
  starting(buffer, 1);
  interruptCall(buffer, 1);
  finished(buffer);
  assert.equal(signal(buffer), 0);
  assert.equal(runningCall(buffer), 0);
});

test("a callback (id 0) is never the target of a call's interrupt", () => {
  const buffer = createInterruptBuffer();
  interruptCall(buffer, 3);
  assert.equal(starting(buffer, 0), "started");
  assert.equal(signal(buffer), 0);
  finished(buffer);
  assert.equal(starting(buffer, 3), "interrupted");
});

test("a cancelled call does not start", () => {
  const buffer = createInterruptBuffer();
  cancel(buffer, 7);
  assert.equal(starting(buffer, 7), "cancelled");
  assert.equal(starting(buffer, 8), "started");
  for (let id = 100; id < 200; id++) cancel(buffer, id);
  assert.equal(starting(buffer, 199), "cancelled", "the last 64 cancelled are remembered");
});
