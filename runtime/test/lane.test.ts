// The lanes and the Outbox, which need no browser: what a side may write to
// a lane and when, what a spinning side takes, how long the page polls the
// reply lane, and how queued messages are batched, paused and, when one
// cannot be posted, singled out.

import assert from "node:assert/strict";
import { test } from "node:test";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { Arrivals } from "../src/shared/arrivals";
import { createLane, ReplyLane, sendByLane, takeFromLane } from "../src/shared/lane";
import { Outbox } from "../src/shared/protocol";
import { nextTask } from "../src/shared/tasks";

if (!isMainThread) {
  const { lane, reply } = workerData as { lane: SharedArrayBuffer; reply?: unknown[] };
  if (reply !== undefined) {
    // The worker's side of the reply lane: the reply goes once the page polls, after 1 message.
    while (!sendByLane(lane, reply, 1));
    parentPort!.postMessage("sent");
  } else {
    let taken: ReturnType<typeof takeFromLane>;
    do taken = takeFromLane(lane, 0.3);
    while (taken === undefined);
    parentPort!.postMessage(taken);
  }
} else {
  test("a page writes to the lane only while the worker spins on it", () => {
    const lane = createLane();
    assert.equal(sendByLane(lane, [{ type: "run", id: 1 }], 0), false); // asleep: the request goes as a message
    // The worker spins (it finds nothing, and falls asleep again).
    assert.equal(takeFromLane(lane, 0.3), undefined);
    assert.equal(sendByLane(lane, [{ type: "run", id: 2 }], 0), false);
  });

  test("a batch written while the worker spins is taken once, with the count of messages it follows", async () => {
    const lane = createLane();
    // This file is also the worker thread: it spins on the lane until a batch comes.
    const worker = new Worker(new URL(import.meta.url), { workerData: { lane } });
    try {
      const taken = new Promise((resolve) => worker.on("message", resolve));
      const batch = [{ type: "run", id: 3, code: "1+1" }];
      const deadline = Date.now() + 10_000;
      while (!sendByLane(lane, batch, 7) && Date.now() < deadline); // until the worker is found spinning
      assert.deepEqual(await taken, { batch, posted: 7 });
      assert.equal(sendByLane(lane, batch, 7), false); // the worker took it and sleeps
    } finally {
      await worker.terminate();
    }
  });

  test("a reply taken while the page polls waits for the message it follows", async () => {
    const received: unknown[][] = [];
    const arrivals = new Arrivals();
    const replies = new ReplyLane((batch) => received.push(batch), arrivals);
    const reply = [{ type: "result", id: 1, results: 2 }];
    const worker = new Worker(new URL(import.meta.url), { workerData: { lane: replies.buffer, reply } });
    try {
      const sent = new Promise((resolve) => worker.on("message", resolve));
      let taken = false;
      worker.on("message", () => (taken = true));
      const deadline = Date.now() + 10_000;
      while (!taken && Date.now() < deadline) {
        replies.poll(); // no message has come from the worker yet
        await nextTask();
      }
      assert.equal(await sent, "sent");
      assert.deepEqual(received, []); // it follows 1 message, which has not come
      arrivals.arrived();
      assert.deepEqual(received, [reply]);
    } finally {
      await worker.terminate();
    }
  });

  test("the page polls the reply lane 4 ms a task at most, then again after its event loop's turn", async () => {
    const replies = new ReplyLane(() => {}, new Arrivals());
    let start = performance.now();
    for (let i = 0; i < 50; i++) replies.poll(); // 0.2 ms each, were there no budget
    const spent = performance.now() - start;
    assert.ok(spent >= 4 && spent < 6, `polled ${spent} ms in one task`);
    await nextTask();
    start = performance.now();
    replies.poll();
    assert.ok(performance.now() - start >= 0.2, "no poll after the event loop's turn");
  });

  test("what the lane cannot carry goes as a message", () => {
    const lane = createLane(64);
    const state = new Int32Array(lane, 0, 1);
    Atomics.store(state, 0, 1);
    assert.equal(sendByLane(lane, [{ type: "run", code: "x".repeat(1000) }], 0), false); // too big
    assert.equal(sendByLane(lane, [{ type: "run", context: new Map([["a", 1]]) }], 0), false); // not plain
    assert.equal(sendByLane(lane, [{ type: "run", code: "1" }], 0), true);
  });

  test("the Outbox posts what a task queued as one batch, in order", async () => {
    const posted: unknown[][] = [];
    const outbox = new Outbox<number>((messages) => posted.push(messages), () => {});
    outbox.send(1);
    outbox.send(2);
    assert.equal(outbox.last(), 2);
    assert.deepEqual(posted, []);
    await Promise.resolve();
    outbox.send(3);
    await Promise.resolve();
    assert.deepEqual(posted, [[1, 2], [3]]);
    assert.equal(outbox.last(), undefined);
  });

  test("a paused Outbox keeps its messages until resumed", async () => {
    const posted: unknown[][] = [];
    const outbox = new Outbox<string>((messages) => posted.push(messages), () => {});
    outbox.pause();
    outbox.send("init");
    outbox.send("run");
    await Promise.resolve();
    assert.equal(outbox.flush(), false);
    assert.deepEqual(posted, []);
    outbox.resume();
    assert.deepEqual(posted, [["init", "run"]]);
  });

  test("a message that cannot be posted is refused alone, the others posted", async () => {
    const posted: unknown[][] = [];
    const refused: unknown[] = [];
    const outbox = new Outbox<{ n: number }>(
      (messages) => {
        if (messages.some((m) => m.n === 2)) throw new Error("DataCloneError");
        posted.push(messages);
      },
      (message, error) => refused.push([message, (error as Error).message]),
    );
    for (const n of [1, 2, 3]) outbox.send({ n });
    await Promise.resolve();
    assert.deepEqual(posted, [[{ n: 1 }], [{ n: 3 }]]);
    assert.deepEqual(refused, [[{ n: 2 }, "DataCloneError"]]);
  });
}
