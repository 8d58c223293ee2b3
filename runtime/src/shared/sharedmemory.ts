// The shared-memory channel: its buffer's layout, the worker's asking side
// and the page's answering side (see channel.ts for the three channels).

import type { Answer, Answerer, Asker } from "./channel";
import { decode, encode } from "./encoding";
import { nextTask } from "./tasks";
import type { Timings } from "./timings";

// Shared memory: the question, too, goes through the buffer when it can (a
// page waiting in Atomics.waitAsync wakes several times faster than one
// receiving a message), else as a message. Faster still, a page that has just
// answered polls the buffer for a moment, as Python often asks again at once:
// it sees the next question without a wake-up, and the worker, seeing it poll,
// skips the notify (each costs 15-20 µs in Chromium). Layout: Int32s (the
// answer's state and length, the question's state and length, how many
// messages the worker had posted when it asked: the page reads those first,
// so that a question never overtakes the output printed before it; whether
// the page polls), then the question or the answer, which take turns. The
// buffer has a fixed size (a growable one makes every call 100 µs slower in
// Chromium 156): an answer that does not fit is announced as too big and
// its length, the worker sends a buffer big enough for it ("resend"), and the
// page writes that answer there.
/** The buffer's Int32 slots, and the byte where the question or the answer begins. */
const Slot = { answer: 0, answerLength: 1, question: 2, questionLength: 3, posted: 4, page: 5, headerBytes: 32 } as const;
/** The answer's states: the worker waits for it, it is written, or it needs a bigger buffer. */
const AnswerState = { waiting: 0, answered: 1, tooBig: 2 } as const;
/** The question's states: none to answer, one asked, or the worker stopped. */
const QuestionState = { none: 0, asked: 1, stop: 2 } as const;
/** Whether the page polls for the next question (the worker then skips the notify). */
const PageState = { asleep: 0, polling: 1 } as const;
/** How long a worker spins for the answer before it sleeps (ms). */
const SPIN_MS = 0.2;
/** How long the page polls for the next question after an answer (ms). */
const POLL_MS = 0.1;
/** How long the page answers and polls before it yields to its event loop (ms): a frame is 16.7. */
const TASK_MS = 4;

/**
 * Whether the page polls for questions: where the scheduler API is
 * (Chromium, Firefox 153), which renders between its tasks however many
 * come. WebKitGTK 2.50 rendered no frame for 40 ms while Python called a
 * polling page nonstop (21 ms while it waited in Atomics.waitAsync), however
 * often it yielded. Firefox 153 wakes from Atomics.waitAsync in 35-98 µs,
 * polling in 16 (its longest frame 17.5 ms while called nonstop); ESR 140
 * has no Atomics.waitAsync, and is sent questions as messages.
 */
const pagePolls = (): boolean => typeof (globalThis as { scheduler?: { yield?: unknown } }).scheduler?.yield === "function";

/**
 * Whether the page can wait for a question in the buffer: Atomics.waitAsync
 * (Firefox ESR 140 has none). Without it questions come as messages, and
 * only the answers go through the buffer.
 */
export const pageWaitsOnBuffer = (): boolean => typeof Atomics.waitAsync === "function";

export function createChannelBuffer(dataBytes = 64 << 10): SharedArrayBuffer {
  return new SharedArrayBuffer(Slot.headerBytes + dataBytes);
}

/**
 * Worker side: asks through the buffer, or by message what it cannot carry,
 * and blocks until the page has written the answer (see createAsker).
 */
export function sharedMemoryAsker(
  { buffer, questionsByMessage }: { buffer: SharedArrayBuffer; questionsByMessage: boolean },
  post: (message: unknown) => void,
  posted: () => number,
  timings?: Timings,
): Asker {
  const control = new Int32Array(buffer, 0, Slot.headerBytes / 4);
  return (question) => {
    Atomics.store(control, Slot.answer, AnswerState.waiting);
    const bytes = questionsByMessage ? undefined : encodeIfPlain(question);
    if (bytes !== undefined && Slot.headerBytes + bytes.length <= buffer.byteLength) {
      new Uint8Array(buffer, Slot.headerBytes, bytes.length).set(bytes);
      Atomics.store(control, Slot.questionLength, bytes.length);
      Atomics.store(control, Slot.posted, posted());
      Atomics.store(control, Slot.question, QuestionState.asked);
      // A polling page sees the question; one that stops polling now reads Slot.question after Slot.page.
      if (Atomics.load(control, Slot.page) !== PageState.polling) Atomics.notify(control, Slot.question);
    } else {
      post(question);
    }
    timings?.sync("question written");
    // Spin a little first: a page answering at once is then caught
    // without the futex wake up, which costs both threads on a VM.
    const spinning = performance.now();
    const spinUntil = spinning + SPIN_MS;
    while (Atomics.load(control, Slot.answer) === AnswerState.waiting && performance.now() < spinUntil);
    timings?.spun("worker", spinning);
    awaitAnswer(control);
    timings?.sync("worker has the answer");
    const length = Atomics.load(control, Slot.answerLength);
    if (Atomics.load(control, Slot.answer) === AnswerState.answered) return decode(new Uint8Array(buffer, Slot.headerBytes, length).slice()) as Answer;
    // AnswerState.tooBig: a buffer of its size, for this answer only.
    const bigger = createChannelBuffer(length);
    const biggerControl = new Int32Array(bigger, 0, Slot.headerBytes / 4);
    post({ type: "resend", buffer: bigger });
    awaitAnswer(biggerControl);
    return decode(new Uint8Array(bigger, Slot.headerBytes, length).slice()) as Answer;
  };
}

/**
 * Worker side: blocks until the answer's state is no longer AnswerState.waiting. A wake
 * up proves nothing: the page's notify for the answer before, which the
 * worker caught while it spun, can reach this wait.
 */
function awaitAnswer(control: Int32Array): void {
  while (Atomics.load(control, Slot.answer) === AnswerState.waiting) Atomics.wait(control, Slot.answer, AnswerState.waiting);
}

/** The question's bytes, or undefined when it holds what the encoding cannot carry (it then goes as a message). */
function encodeIfPlain(question: unknown): Uint8Array | undefined {
  try {
    return encode(question, true);
  } catch {
    return undefined;
  }
}

/**
 * Page side, shared memory: hands each question the worker puts in the
 * buffer to `ask`, once `caughtUp(n)` says the page has read the n messages
 * the worker posted before it (a promise: not yet), and writes the answers
 * into the buffer.
 */
export function sharedMemoryAnswerer(
  buffer: SharedArrayBuffer,
  ask: (question: unknown) => void,
  caughtUp: (posted: number) => Promise<void> | undefined,
  timings?: Timings,
  polls = pagePolls(),
): Answerer {
  const control = new Int32Array(buffer, 0, Slot.headerBytes / 4);
  let unsent: Uint8Array | undefined;
  let answers = 0;
  (async () => {
    if (!pageWaitsOnBuffer()) return; // the questions come as messages
    let taskBegan = performance.now();
    let answered = false; // the last question's answer was written before ask returned
    for (;;) {
      if (answered && polls) poll(control, taskBegan, timings);
      if (Atomics.load(control, Slot.question) === QuestionState.none) {
        const wait = Atomics.waitAsync(control, Slot.question, QuestionState.none);
        if (wait.async) {
          await wait.value;
          taskBegan = performance.now();
        }
      } else if (performance.now() - taskBegan > TASK_MS) {
        await nextTask(); // a frame, a click: the page's other work runs between questions
        taskBegan = performance.now();
      }
      const state = Atomics.load(control, Slot.question);
      if (state === QuestionState.stop) return;
      if (state !== QuestionState.asked) continue;
      const question = decode(new Uint8Array(buffer, Slot.headerBytes, Atomics.load(control, Slot.questionLength)).slice());
      Atomics.store(control, Slot.question, QuestionState.none);
      const behind = caughtUp(Atomics.load(control, Slot.posted));
      if (behind !== undefined) {
        await behind;
        taskBegan = performance.now();
      }
      const before = answers;
      ask(question);
      answered = answers !== before;
    }
  })();
  const write = (target: SharedArrayBuffer, bytes: Uint8Array) => {
    const answer = new Int32Array(target, 0, Slot.headerBytes / 4);
    const fits = Slot.headerBytes + bytes.length <= target.byteLength;
    if (fits) new Uint8Array(target, Slot.headerBytes, bytes.length).set(bytes);
    timings?.sync("answer written"); // before the worker can see it
    Atomics.store(answer, Slot.answerLength, bytes.length);
    Atomics.store(answer, Slot.answer, fits ? AnswerState.answered : AnswerState.tooBig);
    Atomics.notify(answer, Slot.answer);
    return fits;
  };
  return {
    deliver(bytes) {
      answers++;
      if (!write(buffer, bytes)) unsent = bytes; // until the worker sends a buffer big enough
    },
    resend(bigger) {
      write(bigger, unsent!);
      unsent = undefined;
    },
    close() {
      Atomics.store(control, Slot.question, QuestionState.stop);
      Atomics.notify(control, Slot.question);
    },
  };
}

/**
 * Page side: polls for the next question for up to POLL_MS, within the
 * task's TASK_MS, telling the worker it need not notify.
 */
function poll(control: Int32Array, taskBegan: number, timings: Timings | undefined): void {
  const polling = performance.now();
  const until = Math.min(polling + POLL_MS, taskBegan + TASK_MS);
  Atomics.store(control, Slot.page, PageState.polling);
  while (Atomics.load(control, Slot.question) === QuestionState.none && performance.now() < until);
  timings?.spun("page", polling);
  // The worker may have seen PageState.polling and skipped the notify: the caller reads Slot.question next.
  Atomics.store(control, Slot.page, PageState.asleep);
}
