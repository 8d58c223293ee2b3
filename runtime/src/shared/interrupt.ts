// The interrupt buffer: shared memory through which the page stops calls
// while the worker is busy in Python (and cannot read messages). Int32s:
//
//   [0]      the signal: the page writes SIGINT and Pyodide's eval loop
//            raises KeyboardInterrupt (it is Pyodide's interrupt buffer)
//   [1]      the id of the call the worker is running (0 for none, or a callback)
//   [2]      how many calls the page has cancelled
//   [3]      a lock over [0], [1] and [4]: the page raises the signal only
//            while the call it means runs, and the worker ends a call by
//            clearing it, so no signal meant for one call lands in another
//   [4]      a call interrupted before the worker took it (interrupt() in the
//            same task as run()): when its turn comes it ends at once
//            with KeyboardInterrupt, none of its code run
//   [5, 69)  the ids of the last 64 cancelled calls: the worker skips them
//            when their turn comes, even if Python kept it from reading the
//            page's "cancel" message until then

/** The slots above, by name; the ring is `ringSize` slots from `ring`. */
const Slot = { signal: 0, running: 1, cancelled: 2, lock: 3, target: 4, ring: 5, ringSize: 64 } as const;
const SIGINT = 2;

export function createInterruptBuffer(): Int32Array {
  return new Int32Array(new SharedArrayBuffer(4 * (Slot.ring + Slot.ringSize)));
}

/** Runs `change` holding the lock; both sides hold it for a few stores only, so spinning is cheap. */
function locked<T>(buffer: Int32Array, change: () => T): T {
  while (Atomics.compareExchange(buffer, Slot.lock, 0, 1) !== 0);
  try {
    return change();
  } finally {
    Atomics.store(buffer, Slot.lock, 0);
  }
}

/** Page side: the call the worker is running. */
export function runningCall(buffer: Int32Array): number {
  return Atomics.load(buffer, Slot.running);
}

/**
 * Page side: raises KeyboardInterrupt in call `id` if it runs, else when its
 * turn comes. A call that has ended never starts again, so the signal cannot
 * reach another.
 */
export function interruptCall(buffer: Int32Array, id: number): void {
  locked(buffer, () => {
    if (Atomics.load(buffer, Slot.running) !== id) return Atomics.store(buffer, Slot.target, id);
    Atomics.store(buffer, Slot.signal, SIGINT);
    Atomics.notify(buffer, Slot.signal); // wakes a sleep()
  });
}

/** Page side: call `id` must not run. */
export function cancel(buffer: Int32Array, id: number): void {
  const n = Atomics.add(buffer, Slot.cancelled, 1);
  Atomics.store(buffer, Slot.ring + (n % Slot.ringSize), id);
}

/**
 * Worker side: the turn of call `id` (0 for a callback) has come. It starts,
 * unless it was cancelled (skip it) or interrupted (it ends at once with
 * KeyboardInterrupt: raised now, the signal would land in the runtime's own
 * Python before the call's first line).
 */
export function starting(buffer: Int32Array, id: number): "started" | "cancelled" | "interrupted" {
  if (id !== 0) for (let i = Slot.ring; i < Slot.ring + Slot.ringSize; i++) if (Atomics.load(buffer, i) === id) return "cancelled";
  return locked(buffer, () => {
    if (id !== 0 && Atomics.load(buffer, Slot.target) === id) {
      Atomics.store(buffer, Slot.target, 0);
      return "interrupted";
    }
    Atomics.store(buffer, Slot.running, id);
    Atomics.store(buffer, Slot.signal, 0);
    return "started";
  });
}

/** Worker side: the running call has ended; a signal raised for it is dropped. */
export function finished(buffer: Int32Array): void {
  locked(buffer, () => {
    Atomics.store(buffer, Slot.running, 0);
    Atomics.store(buffer, Slot.signal, 0);
  });
}

/**
 * Worker side: waits `ms` milliseconds, or less if the page interrupts. A
 * wake up alone is no interrupt: a notify meant for an earlier wait can
 * reach this one.
 */
export function sleep(buffer: Int32Array, ms: number): void {
  const end = performance.now() + ms;
  for (let left = ms; left > 0 && Atomics.load(buffer, Slot.signal) === 0; left = end - performance.now()) {
    Atomics.wait(buffer, Slot.signal, 0, left);
  }
}

/** Worker side: whether the page interrupted, the signal cleared (for an interpreter that does not read the buffer itself). */
export function takeSignal(buffer: Int32Array): boolean {
  return Atomics.exchange(buffer, Slot.signal, 0) !== 0;
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
      return buffer === undefined ? 0 : Atomics.exchange(buffer, Slot.signal, 0);
    },
    set 0(_cleared: number) {},
    length: 1,
  };
}
