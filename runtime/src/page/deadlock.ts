// Deadlocks between the page and a worker. The worker, blocked in Python,
// waits for a page function (`sync.back()`); if that function waits on a
// call to the same worker (`await w.exports.f()`), the call can run only
// after the function returns, and neither ever ends.
//
// JavaScript cannot tell which promise a function waits on, so the calls
// made to the worker during such a wait are watched: a call whose promise is
// awaited (`await`, `then` and `Promise.all` all call its `then`) while the
// wait goes on is taken for what the function waits on. If the function made
// it in its synchronous part (before its first await), that is known at
// once; if later, it is presumed after DEADLOCK_MS, since an unrelated caller
// awaiting the worker looks the same meanwhile. Both then fail with an error
// that names the two: the call rejects, and Python's wait raises.

/** How long a wait on a page function may go on with a call to the same worker behind it before that is taken for a deadlock. */
const DEADLOCK_MS = 3000;

/** What a Wait needs of the worker's connection. */
export interface WaitHost {
  /** Whether call `id` is still to end. */
  isPending(id: number): boolean;
  /** Rejects call `id`, which the worker must skip. */
  drop(id: number, error: Error): void;
}

/** A call's promise that notes when something waits on it. */
class Watched<T> extends Promise<T> {
  // Promises made by its then() are plain ones.
  static override get [Symbol.species]() {
    return Promise;
  }

  awaited = false;

  override then<A = T, B = never>(
    onFulfilled?: ((value: T) => A | PromiseLike<A>) | null,
    onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    this.awaited = true;
    return super.then(onFulfilled, onRejected);
  }
}

/** The worker's wait for one page function (`what`), and the calls made to the worker meanwhile. */
export class Wait {
  private readonly calls: { id: number; what: string; promise: Watched<unknown>; inside: boolean }[] = [];
  /** While the function's synchronous part runs. */
  private inside = true;
  private ended = false;

  constructor(
    /** Names the function in errors: "sync.back()". */
    private readonly what: string,
    /** A function that may rightly take long (the stdin function): no deadlock is presumed from the time it takes. */
    private readonly patient: boolean,
    private readonly host: WaitHost,
    /** Ends the worker's wait with this error; it is to skip the `cancelled` calls. */
    private readonly fail: (error: Error, cancelled: number[]) => void,
  ) {}

  /** The promise of call `id` (named `what`), made during the wait, as its caller gets it. */
  watch<T>(id: number, what: string, result: Promise<T>): Promise<T> {
    const promise = new Watched<T>((resolve, reject) => result.then(resolve, reject));
    this.calls.push({ id, what, promise, inside: this.inside });
    if (!this.patient) setTimeout(() => this.check(false), DEADLOCK_MS);
    return promise;
  }

  /** The function's synchronous part has returned; `goesOn` if it returned a promise. */
  returned(goesOn: boolean): void {
    this.inside = false;
    // The microtasks of its awaits have run by the next task.
    if (goesOn && this.calls.some((call) => call.inside)) setTimeout(() => this.check(true), 0);
  }

  /** The function answered, or the wait was ended otherwise. */
  end(): void {
    this.ended = true;
  }

  private check(known: boolean): void {
    if (this.ended) return;
    const call = this.calls.find((c) => c.promise.awaited && this.host.isPending(c.id) && (c.inside || !known));
    if (call === undefined) return;
    const { what } = this;
    if (known) {
      this.host.drop(call.id, deadlock(`${call.what} was called by ${what}, which the worker waits on, and ${what} waits on it: it cannot run until ${what} returns`));
      this.fail(deadlock(`${what} waited on ${call.what} of the same worker, which cannot run until ${what} returns`), [call.id]);
    } else {
      const seconds = DEADLOCK_MS / 1000;
      this.host.drop(call.id, deadlock(`${call.what} waited ${seconds} s behind ${what}, which the worker waits on and which most likely waits on ${call.what}`));
      this.fail(deadlock(`${what} waited ${seconds} s, most likely on ${call.what} of the same worker, which cannot run until ${what} returns`), [call.id]);
    }
    this.ended = true;
  }
}

function deadlock(message: string): Error {
  const error = new Error(`pyworker: deadlock: ${message}`);
  error.name = "DeadlockError";
  return error;
}
