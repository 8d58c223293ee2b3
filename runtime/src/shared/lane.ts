// A lane: batches of messages through shared memory, taken by a side that
// spins for a moment, in place of a postMessage, which costs 20-80 µs to
// wake a thread. Two per worker: the request lane (page → worker), on which
// the worker spins after it has answered, as the page's next call often
// comes at once; and the reply lane (worker → page), on which the page polls
// just after it sent a call, as the answer to a short one comes in tens of
// µs. A side that is not spinning gets its batches as messages.
//
// Layout: Int32s (the state; the batch's length; how many messages the page
// had posted before it, which the worker must have read first, so that a
// batch never overtakes the messages before it), then the batch, encoded.

import type { Arrivals } from "./arrivals";
import { decode, encode } from "./encoding";
import { PollBudget } from "./tasks";
import type { Timings } from "./timings";

/** The lane's Int32 slots, and the byte where the batch begins. */
const Slot = { state: 0, length: 1, posted: 2, headerBytes: 16 } as const;
/** The taker's states: asleep (batches come as messages), spinning for a batch, or one written for it. */
const LaneState = { asleep: 0, spinning: 1, written: 2 } as const;
/** How long a worker spins for the next request after answering (ms). */
export const REQUEST_SPIN_MS = 0.3;

export function createLane(dataBytes = 64 << 10): SharedArrayBuffer {
  return new SharedArrayBuffer(Slot.headerBytes + dataBytes);
}

/**
 * Writes `batch` into the lane if the other side spins on it and the batch
 * fits and is plain (nothing to transfer); says whether it did. `posted` is
 * how many messages this side has posted to the other.
 */
export function sendByLane(lane: SharedArrayBuffer, batch: unknown[], posted: number): boolean {
  const control = new Int32Array(lane, 0, Slot.headerBytes / 4);
  if (Atomics.load(control, Slot.state) !== LaneState.spinning) return false;
  let bytes: Uint8Array;
  try {
    bytes = encode(batch, true);
  } catch {
    return false;
  }
  if (Slot.headerBytes + bytes.length > lane.byteLength) return false;
  // The worker reads the data only after it sees LaneState.written, and writes LaneState.spinning only after it read it.
  new Uint8Array(lane, Slot.headerBytes, bytes.length).set(bytes);
  Atomics.store(control, Slot.length, bytes.length);
  Atomics.store(control, Slot.posted, posted);
  return Atomics.compareExchange(control, Slot.state, LaneState.spinning, LaneState.written) === LaneState.spinning;
}

/**
 * Spins up to `ms` for a batch on the lane, then marks this side asleep.
 * Returns the batch and how many messages the other side had posted before
 * it, or undefined.
 */
export function takeFromLane(lane: SharedArrayBuffer, ms: number): { batch: unknown[]; posted: number } | undefined {
  const control = new Int32Array(lane, 0, Slot.headerBytes / 4);
  Atomics.store(control, Slot.state, LaneState.spinning);
  const deadline = performance.now() + ms;
  while (Atomics.load(control, Slot.state) !== LaneState.written && performance.now() < deadline);
  if (Atomics.compareExchange(control, Slot.state, LaneState.spinning, LaneState.asleep) === LaneState.spinning) return undefined;
  const batch = decode(new Uint8Array(lane, Slot.headerBytes, Atomics.load(control, Slot.length)).slice()) as unknown[];
  const posted = Atomics.load(control, Slot.posted);
  Atomics.store(control, Slot.state, LaneState.asleep);
  return { batch, posted };
}

/** How long the page polls the reply lane after it sent a call (ms). */
const REPLY_POLL_MS = 0.2;
/** How long it may poll in one task of its event loop, all calls together (ms): a frame is 16.7. */
const REPLY_POLL_PER_TASK_MS = 4;

/**
 * Page side of the reply lane: just after the page sent a call, polls a
 * moment for the worker's replies, within a budget per task. A batch that
 * came before messages it follows waits for them (`arrivals`: the messages
 * from the worker).
 */
export class ReplyLane {
  readonly buffer = createLane();
  private readonly budget = new PollBudget(REPLY_POLL_PER_TASK_MS);
  /** Whether a batch waits: one at most, the next ones come as messages. */
  private batchWaits = false;

  constructor(
    private readonly receive: (batch: unknown[]) => void,
    private readonly arrivals: Arrivals,
    private readonly timings?: Timings,
  ) {}

  /** Polls for the worker's replies. */
  poll(): void {
    const left = this.budget.left();
    if (this.batchWaits || left === 0) return;
    const began = performance.now();
    const taken = takeFromLane(this.buffer, Math.min(REPLY_POLL_MS, left));
    this.budget.spend(began);
    this.timings?.spun("page", began);
    if (taken === undefined) return;
    this.batchWaits = true;
    this.arrivals.after(taken.posted, () => {
      this.batchWaits = false;
      this.receive(taken.batch);
    });
  }
}
