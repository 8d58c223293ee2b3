// The shared-memory channel with its two sides on two threads, as in a
// browser: this file is also the worker thread (see the end).

import assert from "node:assert/strict";
import { test } from "node:test";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { createAsker, createChannelBuffer, encodeAnswer, sharedMemoryAnswerer } from "../src/channel";

const QUESTIONS = 20_000;

if (isMainThread) {
  // A worker that catches an answer while it spins asks again at once; the
  // page's notify for that answer, late (its thread was preempted between
  // the store and the notify), may then wake the worker's next wait before
  // the next answer exists. Here every answer's notify comes twice, the
  // second one late.
  test("every question gets its own answer, however the wake ups fall", async () => {
    const buffer = createChannelBuffer();
    const answerState = new Int32Array(buffer, 0, 1); // the channel's first Int32
    const answerer = sharedMemoryAnswerer(
      buffer,
      (question) => {
        answerer.deliver(encodeAnswer({ value: (question as { n: number }).n * 2 }));
        setTimeout(() => Atomics.notify(answerState, 0));
      },
      () => undefined,
    );
    const worker = new Worker(new URL(import.meta.url), { workerData: { buffer, questions: QUESTIONS } });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const outcome = await new Promise((resolve, reject) => {
        worker.on("message", resolve);
        worker.on("error", reject);
        timer = setTimeout(() => resolve("no answer for 30 s: the worker waits for one that came already"), 30_000);
      });
      assert.equal(outcome, `${QUESTIONS} answered`);
    } finally {
      clearTimeout(timer);
      answerer.close?.();
      await worker.terminate();
    }
  });
} else {
  const { buffer, questions } = workerData as { buffer: SharedArrayBuffer; questions: number };
  const post = () => {
    throw new Error("the questions here fit the buffer: nothing should go as a message");
  };
  const ask = createAsker({ kind: "shared-memory", buffer }, post, () => 0, {});
  let outcome = `${questions} answered`;
  for (let n = 0; n < questions; n++) {
    const answer = ask({ n }) as { value: number };
    if (answer.value !== 2 * n) {
      outcome = `question ${n} got ${JSON.stringify(answer)}`;
      break;
    }
  }
  parentPort!.postMessage(outcome);
}
