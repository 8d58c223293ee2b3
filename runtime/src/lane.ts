// The request lane: page → worker requests through shared memory, taken by
// a worker that spins for a moment after it has answered. A message wakes a
// Pyodide worker in 20-80 µs; a worker spinning on the lane sees a request
// in about one, so back-to-back calls skip the wake-up. A worker that is not
// spinning (asleep in its event loop) gets its requests as messages.
//
// Layout: Int32s (the state; the batch's length; how many messages the page
// had posted before it, which the worker must have read first, so that a
// batch never overtakes the messages before it), then the batch, encoded.

import { decode, encode } from "./encoding";

const STATE = 0;
const LENGTH = 1;
const POSTED = 2;
const HEADER = 16;
// States.
const ASLEEP = 0;
const SPINNING = 1;
const WRITTEN = 2;
/** How long a worker spins for the next request after answering (ms). */
const SPIN_MS = 0.3;

export function createLane(dataBytes = 64 << 10): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER + dataBytes);
}

/**
 * Page side: writes `batch` into the lane if the worker spins on it and the
 * batch fits and is plain (nothing to transfer); says whether it did.
 * `posted` is how many messages the page has posted to the worker.
 */
export function sendByLane(lane: SharedArrayBuffer, batch: unknown[], posted: number): boolean {
  const control = new Int32Array(lane, 0, HEADER / 4);
  if (Atomics.load(control, STATE) !== SPINNING) return false;
  let bytes: Uint8Array;
  try {
    bytes = encode(batch, true);
  } catch {
    return false;
  }
  if (HEADER + bytes.length > lane.byteLength) return false;
  // The worker reads the data only after it sees WRITTEN, and writes SPINNING only after it read it.
  new Uint8Array(lane, HEADER, bytes.length).set(bytes);
  Atomics.store(control, LENGTH, bytes.length);
  Atomics.store(control, POSTED, posted);
  return Atomics.compareExchange(control, STATE, SPINNING, WRITTEN) === SPINNING;
}

/**
 * Worker side: spins up to SPIN_MS for a batch on the lane, then marks the
 * worker asleep. Returns the batch and how many messages the page had posted
 * before it, or undefined.
 */
export function takeFromLane(lane: SharedArrayBuffer): { batch: unknown[]; posted: number } | undefined {
  const control = new Int32Array(lane, 0, HEADER / 4);
  Atomics.store(control, STATE, SPINNING);
  const deadline = performance.now() + SPIN_MS;
  while (Atomics.load(control, STATE) !== WRITTEN && performance.now() < deadline);
  if (Atomics.compareExchange(control, STATE, SPINNING, ASLEEP) === SPINNING) return undefined;
  const batch = decode(new Uint8Array(lane, HEADER, Atomics.load(control, LENGTH)).slice()) as unknown[];
  const posted = Atomics.load(control, POSTED);
  Atomics.store(control, STATE, ASLEEP);
  return { batch, posted };
}
