// The shared-memory channel with its two sides on two threads, as in a
// browser: this file is also the worker thread (see the end).

import assert from "node:assert/strict";
import { test } from "node:test";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { createAsker, encodeAnswer } from "../src/shared/channel";
import { createChannelBuffer, sharedMemoryAnswerer } from "../src/shared/sharedmemory";

const QUESTIONS = 20_000;

if (isMainThread) {
  /** Runs the worker thread's questions against the page's answerer; resolves to how it ended. */
  const askFromWorker = async (questionsByMessage: boolean, answer: (question: unknown) => void, answerer: { close?(): void }) => {
    const worker = new Worker(new URL(import.meta.url), { workerData: { buffer, questions: QUESTIONS, questionsByMessage } });
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      return await new Promise((resolve, reject) => {
        worker.on("message", (message) => {
          const { question, outcome } = message as { question?: unknown; outcome?: string };
          if (outcome === undefined) answer(question);
          else resolve(outcome);
        });
        worker.on("error", reject);
        timer = setTimeout(() => resolve("no answer for 30 s: the worker waits for one that came already"), 30_000);
      });
    } finally {
      clearTimeout(timer);
      answerer.close?.();
      await worker.terminate();
    }
  };
  let buffer = createChannelBuffer();
  const unexpected = (what: string) => {
    throw new Error(what);
  };

  // A worker that catches an answer while it spins asks again at once; the
  // page's notify for that answer, late (its thread was preempted between
  // the store and the notify), may then wake the worker's next wait before
  // the next answer exists. Here every answer's notify comes twice, the
  // second one late.
  test("every question gets its own answer, however the wake ups fall", async () => {
    buffer = createChannelBuffer();
    const answerState = new Int32Array(buffer, 0, 1); // the channel's first Int32
    const answerer = sharedMemoryAnswerer(
      buffer,
      (question) => {
        answerer.deliver(encodeAnswer({ value: (question as { n: number }).n * 2 }));
        setTimeout(() => Atomics.notify(answerState, 0));
      },
      () => undefined,
      undefined,
      true,
    );
    assert.equal(await askFromWorker(false, () => unexpected("a question came as a message"), answerer), `${QUESTIONS} answered`);
  });

  // The page polls for the next question after an answer it wrote at once,
  // and the worker then skips the notify; after an answer that came later
  // (a promise) it waits in Atomics.waitAsync, to be woken. Here the two
  // alternate in runs, so the page goes from one to the other often.
  test("answers at once and later, alternating: the page polls and sleeps in turn", async () => {
    buffer = createChannelBuffer();
    const answerer = sharedMemoryAnswerer(
      buffer,
      (question) => {
        const { n } = question as { n: number };
        const bytes = encodeAnswer({ value: n * 2 });
        if (n % 64 < 32) answerer.deliver(bytes);
        else queueMicrotask(() => answerer.deliver(bytes));
      },
      () => undefined,
      undefined,
      true,
    );
    assert.equal(await askFromWorker(false, () => unexpected("a question came as a message"), answerer), `${QUESTIONS} answered`);
  });

  // A page without Atomics.waitAsync (Firefox ESR 140) has its questions sent as messages; the answers still go through the buffer.
  test("questions as messages, answers through the buffer", async () => {
    buffer = createChannelBuffer();
    const answerer = sharedMemoryAnswerer(buffer, () => unexpected("a question came through the buffer"), () => undefined);
    const answer = (question: unknown) => answerer.deliver(encodeAnswer({ value: (question as { n: number }).n * 2 }));
    assert.equal(await askFromWorker(true, answer, answerer), `${QUESTIONS} answered`);
  });
} else {
  const { buffer, questions, questionsByMessage } = workerData as { buffer: SharedArrayBuffer; questions: number; questionsByMessage: boolean };
  const post = (question: unknown) => {
    if (!questionsByMessage) throw new Error("the questions here fit the buffer: nothing should go as a message");
    parentPort!.postMessage({ question });
  };
  const ask = createAsker({ kind: "shared-memory", buffer, questionsByMessage }, post, () => 0, {});
  let outcome = `${questions} answered`;
  for (let n = 0; n < questions; n++) {
    const answer = ask({ n }) as { value: number };
    if (answer.value !== 2 * n) {
      outcome = `question ${n} got ${JSON.stringify(answer)}`;
      break;
    }
  }
  parentPort!.postMessage({ outcome });
}
