// The bridge's step timings (timings.ts): each step is a span on one thread,
// or the difference of two; the means are over the calls stamped, and
// reading resets them.

import assert from "node:assert/strict";
import { test } from "node:test";
import { Timings } from "../src/shared/timings";

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

const near = (us: number, want: number) => assert.ok(us >= want && us < want + 5000, `${us} µs, want about ${want}`);

test("a sync call's steps: the worker's spans, the page's, and the crossings between them", () => {
  const page = new Timings();
  const worker = new Timings(page.buffer); // both sides stamp one buffer
  for (let i = 0; i < 3; i++) {
    worker.sync("asked");
    busy(1);
    worker.sync("question written");
    busy(2); // crossing to the page
    page.sync("page has the question");
    busy(3);
    page.sync("answer written");
    busy(4); // crossing back
    worker.sync("worker has the answer");
    busy(1);
    worker.sync("back in Python");
  }
  const { sync, exports } = page.read();
  assert.equal(sync.calls, 3);
  const [written, onPage, crossings, back] = Object.values(sync.steps);
  near(written!, 1000);
  near(onPage!, 3000);
  near(crossings!, 6000);
  near(back!, 1000);
  assert.equal(exports.calls, 0);
  assert.equal(page.read().sync.calls, 0);
});

test("an export call's steps: the worker's part, and the rest of the page's round trip", () => {
  const timings = new Timings();
  for (let i = 0; i < 5; i++) {
    timings.exports("called");
    busy(2);
    timings.exports("worker has the call");
    busy(1);
    timings.exports("Python returned");
    busy(2);
    timings.exports("page has the result");
  }
  const { exports } = timings.read();
  assert.equal(exports.calls, 5);
  const [crossings, python] = Object.values(exports.steps);
  near(crossings!, 4000);
  near(python!, 1000);
});
