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
  Atomics.notify(buffer, SIGNAL); // wakes a sleep()
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

/** Worker side: waits `ms` milliseconds, or less if the page interrupts. */
export function sleep(buffer: Int32Array, ms: number): void {
  Atomics.wait(buffer, SIGNAL, 0, ms);
}

/**
 * Worker side: the signal slot as Pyodide polls it. Pyodide reads its
 * interrupt buffer's first element every few dozen turns of Python's eval
 * loop, even in a busy loop, and sets it back to 0: that makes it a place
 * where JavaScript runs while Python computes, and `poll` runs there. It
 * costs a busy loop about a fifth of its speed, so the worker polls only
 * while it has something to do. Reading swaps the signal for 0 in one step,
 * so an interrupt written between Pyodide's read and its reset is not lost.
 */
export function pollingSignal(buffer: Int32Array | undefined, poll: () => void): ArrayLike<number> {
  return {
    get 0() {
      poll();
      return buffer === undefined ? 0 : Atomics.exchange(buffer, SIGNAL, 0);
    },
    set 0(_cleared: number) {},
    length: 1,
  };
}
