// Unit tests of Arrivals: what came through shared memory waits for the
// messages its sender posted before it, and goes in the sender's order.
import assert from "node:assert/strict";
import { test } from "node:test";
import { Arrivals } from "../src/shared/arrivals";

test("what follows messages that came goes at once", async () => {
  const arrivals = new Arrivals();
  const went: string[] = [];
  arrivals.after(0, () => went.push("first"));
  assert.deepEqual(went, ["first"]);
  assert.equal(arrivals.until(0), undefined);
  arrivals.arrived();
  arrivals.after(1, () => went.push("second"));
  assert.deepEqual(went, ["first", "second"]);
});

test("what overtook messages waits for them, then goes in the sender's order", async () => {
  const arrivals = new Arrivals();
  const went: string[] = [];
  arrivals.after(3, () => went.push("question after 3")); // read first, sent last
  arrivals.after(2, () => went.push("batch after 2"));
  const promised = arrivals.until(2)!.then(() => went.push("promise after 2"));
  arrivals.arrived();
  assert.deepEqual(went, []);
  arrivals.arrived();
  assert.deepEqual(went, ["batch after 2"]);
  arrivals.arrived();
  assert.deepEqual(went, ["batch after 2", "question after 3"]);
  await promised;
  assert.deepEqual(went, ["batch after 2", "question after 3", "promise after 2"]); // a promise resumes in a later microtask
});
