// The synchronous channel: how a worker blocked in a Python call (`sync.f()`,
// `document.title`) gets the page's answer. The question always travels as an
// ordinary message (a Reply of type "call" or "page"); the answer, encoded by
// encoding.ts, comes back by one of three ways, chosen by the page at start,
// fastest first:
//
//   shared-memory   the worker waits in Atomics.wait on a SharedArrayBuffer
//                   the page writes into; needs a cross-origin isolated page.
//   jspi            the worker suspends Python (Pyodide's run_sync) on a
//                   promise that the page's answer message resolves; needs a
//                   browser with WebAssembly JSPI, nothing of the server.
//   service-worker  the worker waits in a synchronous XMLHttpRequest that
//                   /pyworker/sw.js holds until the page posts it the answer.
//
// With none of them ("none"), asking is an error that says what to enable.

import { decode, encode } from "./encoding";


/** What the worker is told of its channel at init. */
export type ChannelSetup =
  | { kind: "shared-memory"; buffer: SharedArrayBuffer }
  | { kind: "jspi" }
  /** `url` is the service worker's answer address for this worker (see sw.ts). */
  | { kind: "service-worker"; url: string }
  | { kind: "none" };

/** An answer: the function's value, or the error it threw. */
export type Answer = { value: unknown } | { error: { name: string; message: string } };

/** The path, under /pyworker/, where workers collect their answers from the service worker. */
export const SERVICE_WORKER_PATH = "sw-answer";

/** How to enable a channel, for the error a worker without one raises. */
export const NO_CHANNEL_HELP =
  "serve the page cross-origin isolated (`pyworker serve --isolation headers`, or the headers " +
  "COOP same-origin and COEP require-corp), use a browser with WebAssembly JSPI, or serve it " +
  "with `pyworker serve --isolation service-worker`";

// Shared-memory layout: Int32 state, Int32 byte length, then the answer. The
// buffer has a fixed size (a growable one makes every call 100 µs slower in
// Chromium 156): an answer that does not fit is announced with TOO_BIG and
// its length, the worker sends a buffer big enough ("resend"), and the page
// writes the answer there.
const STATE = 0;
const LENGTH = 1;
const HEADER = 8;
const WAITING = 0;
const ANSWERED = 1;
const TOO_BIG = 2;

export function createChannelBuffer(answerBytes = 64 << 10): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER + answerBytes);
}

/** Worker side: sends a question and returns its answer, or (jspi) a promise of it. */
export type Asker = (question: unknown) => Answer | Promise<Answer>;

/**
 * Worker side: the asker for `setup`. `post` sends a message to the page;
 * `answers` is where the worker's onmessage hands jspi answers.
 */
export function createAsker(
  setup: Exclude<ChannelSetup, { kind: "none" }>,
  post: (message: unknown) => void,
  answers: { receive?: (bytes: Uint8Array) => void },
): Asker {
  switch (setup.kind) {
    case "shared-memory": {
      let buffer = setup.buffer;
      return (question) => {
        expectAnswer(buffer);
        post(question);
        const answer = awaitAnswer(buffer);
        if (!("needs" in answer)) return answer;
        buffer = createChannelBuffer(answer.needs);
        expectAnswer(buffer);
        post({ type: "resend", buffer });
        return awaitAnswer(buffer) as Answer;
      };
    }
    case "jspi":
      return (question) =>
        new Promise<Answer>((resolve) => {
          answers.receive = (bytes) => resolve(decode(bytes) as Answer);
          post(question);
        });
    case "service-worker":
      return (question) => {
        post(question);
        const request = new XMLHttpRequest();
        request.open("POST", setup.url, false);
        request.responseType = "arraybuffer";
        request.send();
        if (request.status !== 200 || request.getResponseHeader("X-Pyworker-Answer") === null) {
          throw new Error(
            `the service worker did not answer (HTTP ${request.status} from ${setup.url}): ` +
              "is /pyworker/sw.js served and active for this page?",
          );
        }
        return decode(new Uint8Array(request.response as ArrayBuffer)) as Answer;
      };
  }
}

function expectAnswer(buffer: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(buffer, 0, 2), STATE, WAITING);
}

/** Blocks until the page answers; `{needs}` when the answer needs a bigger buffer. */
function awaitAnswer(buffer: SharedArrayBuffer): Answer | { needs: number } {
  const control = new Int32Array(buffer, 0, 2);
  Atomics.wait(control, STATE, WAITING);
  const length = Atomics.load(control, LENGTH);
  if (Atomics.load(control, STATE) === TOO_BIG) return { needs: length };
  return decode(new Uint8Array(buffer, HEADER, length).slice()) as Answer;
}

/** Page side: delivers an answer's bytes to the waiting worker. */
export interface Answerer {
  deliver(bytes: Uint8Array): void;
  /** Shared memory only: the worker's bigger buffer for the answer that did not fit. */
  resend?(buffer: SharedArrayBuffer): void;
}

/** Page side, shared memory: writes the answer into the buffer and wakes the worker. */
export function sharedMemoryAnswerer(buffer: SharedArrayBuffer): Answerer {
  let unsent: Uint8Array | undefined;
  const write = (bytes: Uint8Array) => {
    const control = new Int32Array(buffer, 0, 2);
    const fits = HEADER + bytes.length <= buffer.byteLength;
    if (fits) new Uint8Array(buffer, HEADER, bytes.length).set(bytes);
    else unsent = bytes; // until the worker sends a buffer big enough
    Atomics.store(control, LENGTH, bytes.length);
    Atomics.store(control, STATE, fits ? ANSWERED : TOO_BIG);
    Atomics.notify(control, STATE);
  };
  return {
    deliver: write,
    resend(bigger) {
      buffer = bigger;
      const bytes = unsent!;
      unsent = undefined;
      write(bytes);
    },
  };
}

/** Page side: the answer's bytes (an answer that cannot be encoded becomes an error). */
export function encodeAnswer(answer: Answer): Uint8Array {
  try {
    return encode(answer);
  } catch (error) {
    return encode({ error: { name: "TypeError", message: `the answer cannot cross to the worker: ${(error as Error).message}` } });
  }
}
