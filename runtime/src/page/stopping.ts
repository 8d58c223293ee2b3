// Stopping a call (interrupt(), an abort signal, a timeout): KeyboardInterrupt
// through shared memory, a worker waiting on the page woken, and the worker
// replaced where neither stops it (a call busy in C past its grace period,
// or a page without shared memory); the calls queued behind go to the next
// worker.

import { interruptCall, runningCall } from "../shared/interrupt";
import type { Pending } from "./connection";

/** How long a call may ignore an interrupt (busy in C, which never looks) before its worker is replaced. */
const DEFAULT_INTERRUPT_GRACE_MS = 2000;
/** How often the signal is raised again while an interrupted call goes on. */
const INTERRUPT_REPEAT_MS = 100;

/** What stopping needs of a worker's Connection. */
export interface StopHost {
  /** The calls waiting on the worker, by id, oldest first. */
  readonly pending: Map<number, Pending>;
  /** The interrupt buffer (see interrupt.ts), when the page has shared memory. */
  readonly interruptBuffer: Int32Array | undefined;
  /** Whether the worker waits for an answer from the page (input(), a sync call, a sleep). */
  asking(): boolean;
  /** Has a waiting worker stop waiting: it raises the KeyboardInterrupt. */
  wakeWorker(why: string): void;
  dead(): boolean;
  /** Rejects a queued call, which the worker then skips. */
  drop(id: number, error: Error): void;
  /** Ends the worker, rejecting what still waits on it. */
  die(message: string): void;
  /** Takes the calls queued on a replaced worker, for the next one. */
  handOver(queued: Pending[]): void;
}

/** Stops a call (`stop`, with why) when `signal` aborts or `timeout` ms pass, until its `result` settles. */
export function stopOn(result: Promise<unknown>, stop: (why: string) => void, signal?: AbortSignal, timeout?: number): void {
  if (signal === undefined && timeout === undefined) return;
  const abort = () => stop("aborted");
  const timer = timeout === undefined ? undefined : setTimeout(() => stop(`timed out after ${timeout} ms`), timeout);
  signal?.addEventListener("abort", abort, { once: true });
  const done = () => {
    clearTimeout(timer);
    signal?.removeEventListener("abort", abort);
  };
  result.then(done, done);
}

export class Stopper {
  constructor(
    private readonly host: StopHost,
    private readonly grace = DEFAULT_INTERRUPT_GRACE_MS,
  ) {}

  /**
   * Stops call `id`: a running call gets KeyboardInterrupt (and resolves with
   * it) through shared memory; without it the worker is replaced, and the
   * calls queued behind go to the new one. A call still queued is dropped
   * and rejects, unless `evenIfNext`: interrupt() also reaches the call about
   * to run (made in the same task, say), which then raises KeyboardInterrupt
   * as it starts.
   */
  stop(id: number, why: string, evenIfNext = false): void {
    const { host } = this;
    if (!host.pending.has(id)) return;
    const buffer = host.interruptBuffer;
    const next = Math.min(...host.pending.keys()) === id;
    const running = buffer !== undefined ? runningCall(buffer) === id || (evenIfNext && next) : next;
    if (!running) {
      host.drop(id, new Error(`pyworker: the call was ${why} before it started`));
    } else if (buffer !== undefined) {
      interruptCall(buffer, id);
      // A worker waiting for an answer (input(), a sync call) stops waiting; the worker then raises the KeyboardInterrupt.
      if (host.asking() && runningCall(buffer) === id) host.wakeWorker(`the call was ${why}`);
      this.replaceIfStillRunning(buffer, id, why);
    } else if (host.asking()) {
      // No shared memory, but the worker waits on the channel (input(), a sync call, a sleep): the answer interrupts it.
      host.wakeWorker(`the call was ${why}`);
    } else {
      this.replace(id, `the call was ${why}: without shared memory (the page is not cross-origin isolated, or has no SharedArrayBuffer) the worker could only be restarted, and its state was lost`);
    }
  }

  /** Raises KeyboardInterrupt in the running call, or the next if none runs; without shared memory, restarts the worker. */
  interrupt(): void {
    const oldest = Math.min(...this.host.pending.keys());
    if (Number.isFinite(oldest)) this.stop(oldest, "interrupted", true);
  }

  /**
   * Python sees an interrupt only between bytecodes: a long call into C
   * (a huge sum(), a regular expression that backtracks) goes on. Past the
   * grace period the worker is replaced: the call rejects saying so, and
   * the calls queued behind it go to the new worker. Until then the signal
   * is raised again every INTERRUPT_REPEAT_MS: Pyodide reads and resets the
   * buffer in two steps, and loses a signal written between them.
   */
  private replaceIfStillRunning(buffer: Int32Array, id: number, why: string): void {
    const { host, grace } = this;
    const deadline = performance.now() + grace;
    const check = () => {
      if (host.dead() || !host.pending.has(id)) return;
      if (performance.now() < deadline) {
        interruptCall(buffer, id);
        setTimeout(check, Math.min(INTERRUPT_REPEAT_MS, deadline - performance.now()));
        return;
      }
      this.replace(id, `the call was ${why} but did not stop within ${grace} ms (busy outside Python, in a long call into C?): the worker was restarted and its state was lost`);
    };
    setTimeout(check, Math.min(INTERRUPT_REPEAT_MS, grace));
  }

  /** Ends the worker, call `id` rejecting with `message`; the calls queued behind it go to the next worker. */
  private replace(id: number, message: string): void {
    const queued = [...this.host.pending].filter(([other]) => other !== id);
    for (const [other] of queued) this.host.pending.delete(other);
    this.host.die(message);
    this.host.handOver(queued.map(([, call]) => call));
  }
}
