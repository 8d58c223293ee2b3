// The bridge's step timings (the `timings` option): where the time of a sync
// call and of an export call goes. Both sides stamp the moments of a call
// into one SharedArrayBuffer and add up, for each, the time since an earlier
// moment on the same thread: the page's clock and the worker's differ by a
// few µs, so a time between the two threads is found as the difference of
// two spans, one on each (a worker's wait less the page's work in it). The
// page reads the means. Calls must be made one at a time to be timed right.
// Without the option nothing is stamped.

import type { BridgeTimings } from "./types";

/** The moments of a call, each with the earlier one on its own thread that its span starts from (none: it starts a span). */
const moments = {
  sync: {
    asked: undefined, // worker: Python has called out
    "question written": "asked", // worker: encoded, written into the buffer, the page notified unless it polls
    "page has the question": undefined, // page: woken, or it saw it while polling
    "answer written": "page has the question", // page: decoded, the function run, its value encoded and written
    "worker has the answer": "question written", // worker: spinning or woken, it sees it
    "back in Python": "worker has the answer", // worker: decoded and returned
  },
  exports: {
    called: undefined, // page: w.exports.NAME(...)
    "worker has the call": undefined, // worker: posted (or laid in the request lane), received, queued
    "Python returned": "worker has the call", // worker: the arguments converted, the function run, its value converted
    "page has the result": "called", // page: the reply posted (or laid in the reply lane), received, the call's promise settled
  },
} as const;

export type SyncMoment = keyof typeof moments.sync;
export type ExportMoment = keyof typeof moments.exports;
type Moment = SyncMoment | ExportMoment;

const names = [...Object.keys(moments.sync), ...Object.keys(moments.exports)] as Moment[];
const since: (number | undefined)[] = names.map((name) => {
  const start = (moments.sync as Record<string, string | undefined>)[name] ?? (moments.exports as Record<string, string | undefined>)[name];
  return start === undefined ? undefined : names.indexOf(start as Moment);
});
/** Per moment: when it was last stamped, the sum of its spans, how many. */
const SLOTS = 3;
/** After the moments: the time each side spent spinning or polling (ms). */
const SPUN = names.length * SLOTS;
const sides = ["worker", "page"] as const;

export class Timings {
  private readonly slots: Float64Array;

  constructor(readonly buffer = new SharedArrayBuffer((SPUN + sides.length) * 8)) {
    this.slots = new Float64Array(buffer);
  }

  sync(moment: SyncMoment): void {
    this.stamp(names.indexOf(moment));
  }

  exports(moment: ExportMoment): void {
    this.stamp(names.indexOf(moment));
  }

  /** `side` spun or polled, waiting for the other, since `since` (performance.now()). */
  spun(side: (typeof sides)[number], since: number): void {
    this.slots[SPUN + sides.indexOf(side)]! += performance.now() - since;
  }

  /** The mean of each step since the last reading, in µs, and how many calls; resets them. */
  read(): BridgeTimings {
    const mean = (moment: Moment) => {
      const slot = names.indexOf(moment) * SLOTS;
      const count = this.slots[slot + 2]!;
      return count > 0 ? (this.slots[slot + 1]! / count) * 1000 : 0;
    };
    const count = (moment: Moment) => this.slots[names.indexOf(moment) * SLOTS + 2]!;
    const timings: BridgeTimings = {
      sync: {
        calls: count("back in Python"),
        steps: {
          "the question encoded and written": mean("question written"),
          "on the page: the question read, the function run, the answer written": mean("answer written"),
          "the crossings: the page sees the question, the worker the answer": mean("worker has the answer") - mean("answer written"),
          "the answer read, back in Python": mean("back in Python"),
        },
      },
      exports: {
        calls: count("page has the result"),
        steps: {
          "the call to the worker and its result back: queued, sent, woken or polled, read": mean("page has the result") - mean("Python returned"),
          "in the worker: the arguments converted, the function run, its value converted": mean("Python returned"),
        },
      },
      spinning: { worker: this.slots[SPUN]!, page: this.slots[SPUN + 1]! },
    };
    for (let slot = 0; slot < names.length * SLOTS; slot += SLOTS) this.slots[slot + 1] = this.slots[slot + 2] = 0;
    this.slots[SPUN] = this.slots[SPUN + 1] = 0;
    return timings;
  }

  private stamp(index: number): void {
    const now = performance.now(); // spans are on one thread
    const slot = index * SLOTS;
    const start = since[index];
    if (start !== undefined) {
      this.slots[slot + 1]! += now - this.slots[start * SLOTS]!;
      this.slots[slot + 2]!++;
    }
    this.slots[slot] = now;
  }
}
