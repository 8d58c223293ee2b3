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
// The worker's side of each is createAsker's, the page's createAnswerer's;
// shared memory's own are in sharedmemory.ts.

import { decode, encode } from "./encoding";
import { createChannelBuffer, pageWaitsOnBuffer, sharedMemoryAnswerer, sharedMemoryAsker } from "./sharedmemory";
import type { Timings } from "./timings";
import type { InterpreterRecord } from "./interpreters";
import type { Channel } from "./types";

/**
 * Whether the page can share memory with its workers. Cross-origin isolation
 * is not enough: some WebKit builds report it and have no SharedArrayBuffer.
 */
export function hasSharedMemory(): boolean {
  return globalThis.crossOriginIsolated === true && typeof SharedArrayBuffer === "function";
}

/** What the worker is told of its channel at init. */
export type ChannelSetup =
  /** `questionsByMessage`: the page cannot wait on the buffer (no Atomics.waitAsync), so questions come as messages. */
  | { kind: "shared-memory"; buffer: SharedArrayBuffer; questionsByMessage: boolean }
  | { kind: "jspi" }
  /** `url` is the service worker's answer address for this worker (see sw.ts). */
  | { kind: "service-worker"; url: string }
  | { kind: "none" };

/**
 * An answer: the function's value, or the error it threw; with the calls the
 * page dropped meanwhile (see deadlock.ts), which the worker must skip.
 */
export type Answer = ({ value: unknown } | { error: { name: string; message: string } }) & { cancelled?: number[] };

/** The path, under /pyworker/, where workers collect their answers from the service worker. */
export const SERVICE_WORKER_PATH = "sw-answer";

/** How to enable a channel, for the error a worker without one raises. */
export function noChannelHelp(interpreter: InterpreterRecord): string {
  // JSPI needs an interpreter that suspends.
  const jspi = interpreter.suspends ? ", use a browser with WebAssembly JSPI," : "";
  return (
    "serve the page cross-origin isolated (`pyworker serve --isolation headers`, or the headers " +
    `COOP same-origin and COEP require-corp)${jspi} or serve it with \`pyworker serve --isolation service-worker\``
  );
}

/** Worker side: sends a question and returns its answer, or (jspi) a promise of it. */
export type Asker = (question: unknown) => Answer | Promise<Answer>;

/**
 * Worker side: the asker for `setup`. `post` sends a message to the page;
 * `posted` counts the messages the worker has posted; `answers` is where the
 * worker's onmessage hands jspi answers.
 */
export function createAsker(
  setup: Exclude<ChannelSetup, { kind: "none" }>,
  post: (message: unknown) => void,
  posted: () => number,
  answers: { receive?: (bytes: Uint8Array) => void },
  timings?: Timings,
): Asker {
  switch (setup.kind) {
    case "shared-memory":
      return sharedMemoryAsker(setup, post, posted, timings);
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

/** Page side: delivers an answer's bytes to the waiting worker. */
export interface Answerer {
  deliver(bytes: Uint8Array): void;
  /** Shared memory only: the worker's bigger buffer for the answer that did not fit. */
  resend?(buffer: SharedArrayBuffer): void;
  /** Shared memory only: ends the wait for questions. */
  close?(): void;
}

/** What the page's side of a channel needs of it. */
export interface AnswererHost {
  /** A question that came through shared memory, as if it came as a message. */
  ask(question: unknown): void;
  /** undefined once the worker's first `posted` messages have come, else a promise that they have. */
  caughtUp(posted: number): Promise<void> | undefined;
  /** Sends a jspi answer to the worker as a message. */
  post(answer: Uint8Array): void;
  /** The service worker's registration (see serviceworker.ts), once active. */
  serviceWorker(): Promise<ServiceWorkerRegistration>;
  timings?: Timings;
}

/**
 * Page side: makes the channel's two parts, what the worker is told at init
 * (its side is createAsker's) and the page's answerer (none for "none").
 */
export async function createAnswerer(channel: Channel, host: AnswererHost): Promise<{ setup: ChannelSetup; answerer?: Answerer }> {
  switch (channel) {
    case "shared-memory": {
      const buffer = createChannelBuffer();
      const answerer = sharedMemoryAnswerer(buffer, host.ask, host.caughtUp, host.timings);
      return { setup: { kind: "shared-memory", buffer, questionsByMessage: !pageWaitsOnBuffer() }, answerer };
    }
    case "jspi":
      return { setup: { kind: "jspi" }, answerer: { deliver: host.post } };
    case "service-worker": {
      const registration = await host.serviceWorker();
      const id = crypto.randomUUID();
      const url = new URL(`./${SERVICE_WORKER_PATH}?channel=${id}`, import.meta.url).href;
      return { setup: { kind: "service-worker", url }, answerer: { deliver: (answer) => registration.active?.postMessage({ channel: id, answer }, [answer.buffer]) } };
    }
    case "none":
      return { setup: { kind: "none" } };
  }
}

/** Page side: the answer's bytes (an answer that cannot be encoded becomes an error). */
export function encodeAnswer(answer: Answer): Uint8Array {
  try {
    return encode(answer);
  } catch (error) {
    return encode({ error: { name: "TypeError", message: `the answer cannot cross to the worker: ${(error as Error).message}` } });
  }
}
