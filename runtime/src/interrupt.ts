// The interrupt buffer: shared memory through which the page stops calls
// while the worker is busy in Python (and cannot read messages). Int32s:
//
//   [0]      the signal: the page writes SIGINT and Pyodide's eval loop
//            raises KeyboardInterrupt (it is Pyodide's interrupt buffer)
//   [1]      the id of the call the worker is running (0 for none, or a callback)
//   [2]      how many calls the page has cancelled
//   [3, 67)  the ids of the last 64 cancelled calls: the worker skips them
//            when their turn comes, even if Python kept it from reading the
//            page's "cancel" message until then

const SIGNAL = 0;
const RUNNING = 1;
const CANCELLED = 2;
const RING = 3;
const RING_SIZE = 64;
const SIGINT = 2;

export function createInterruptBuffer(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * (RING + RING_SIZE)));
}

/** Page side: the call the worker is running. */
export function runningCall(buffer: Int32Array): number {
  return Atomics.load(buffer, RUNNING);
}

/** Page side: raises KeyboardInterrupt in the running call. */
export function interruptRunning(buffer: Int32Array): void {
  Atomics.store(buffer, SIGNAL, SIGINT);
}

/** Page side: call `id` must not run. */
export function cancel(buffer: Int32Array, id: number): void {
  const n = Atomics.add(buffer, CANCELLED, 1);
  Atomics.store(buffer, RING + (n % RING_SIZE), id);
}

/**
 * Worker side: call `id` (0 for a callback) starts, unless it was cancelled
 * (returns false). A signal meant for the call before it is cleared.
 */
export function starting(buffer: Int32Array, id: number): boolean {
  if (id !== 0) for (let i = RING; i < RING + RING_SIZE; i++) if (Atomics.load(buffer, i) === id) return false;
  Atomics.store(buffer, RUNNING, id);
  Atomics.store(buffer, SIGNAL, 0);
  return true;
}
