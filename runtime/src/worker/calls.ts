// The page's calls in the worker: queued in the order they came (by message
// or by the request lane), run one at a time through the Python module, and
// answered through the outbox. While a call awaits (a Python future), the
// page's callbacks still run: an event handler may be what the call awaits,
// as on the page. It knows no interpreter: any adapter's PythonModule
// (adapter.ts) runs them.

import type { CallRequest, PythonFunction, PythonFuture, PythonModule, PythonReply } from "../shared/adapter";
import { Arrivals } from "../shared/arrivals";
import { finished, starting } from "../shared/interrupt";
import { REQUEST_SPIN_MS, takeFromLane } from "../shared/lane";
import type { Outbox, PageToWorker, WorkerToPage } from "../shared/protocol";
import { errorReply } from "../shared/pythoncontract";
import { forThePage, keyboardInterrupt } from "./results";
import type { Timings } from "../shared/timings";
import type { RunResult } from "../shared/types";

/** The page's requests that are not calls: the worker acts on them at once. */
export type Instruction = Exclude<PageToWorker, CallRequest | { type: "cancel" } | { type: "forget" }>;

/** How a queue runs its calls, fixed at the worker's init. */
export interface CallSettings {
  interrupt?: Int32Array;
  lane?: SharedArrayBuffer;
  jspi?: boolean;
  timings?: Timings;
}

export class CallQueue {
  private readonly queue: CallRequest[] = [];
  /** Calls the page dropped, named in an answer (see deadlock.ts): skipped even if their request comes later. */
  private readonly dropped = new Set<number>();
  /** Callbacks the page dropped, to tell Python when it is not running. */
  private readonly forgotten: [number, number][] = [];
  /** Null until the worker's src runs (or it is ready), and again after a fatal error. */
  private python: PythonModule | null = null;
  /** Whether calls run: not before the worker is ready; callbacks run as soon as its src does. */
  private opened = false;
  /** A call entered by JSPI has not returned: Python may be suspended mid-way, and nothing else enters it. */
  private inPython = false;
  /** Requests awaiting a Python future: the event loop is free, and only callbacks may start meanwhile. */
  private awaiting = 0;
  /** The messages from the page; a lane batch that came before some it follows waits for them. */
  private readonly arrivals = new Arrivals();
  /** Whether a lane batch waits: one at most, the next ones come as messages. */
  private laneBatchWaits = false;
  /** The interrupt buffer (see interrupt.ts), when the page has shared memory. */
  readonly interrupt: Int32Array | undefined;
  /** The request lane (see lane.ts), when the page has shared memory. */
  private readonly lane: SharedArrayBuffer | undefined;
  /** Python is entered through callPromising, so that run_sync can suspend it. */
  readonly jspi: boolean;
  /** The bridge's step timings, when the page asked for them (see timings.ts). */
  private readonly timings: Timings | undefined;

  constructor(
    private readonly outbox: Outbox<WorkerToPage>,
    /** Acts on a request that is not a call. */
    private readonly instruct: (request: Instruction) => void,
    /** Where a callback's error goes: nobody waits for its result. */
    private readonly printError: (text: string) => void,
    settings: CallSettings = {},
  ) {
    this.interrupt = settings.interrupt;
    this.lane = settings.lane;
    this.jspi = settings.jspi ?? false;
    this.timings = settings.timings;
  }

  /** One message from the page. */
  receive(batch: PageToWorker[]): void {
    this.take(batch);
    this.arrivals.arrived();
    this.drain();
  }

  /**
   * Runs the worker's src through `python` before any call: the calls wait
   * until the worker is ready, but callbacks run while the src awaits.
   */
  runSource(python: PythonModule, source: string, filename: string): Promise<RunResult> {
    this.python = python;
    return new Promise((resolve, reject) => this.follow(this.enter(python._run, source, undefined, filename), resolve, reject));
  }

  /** Runs calls from now on, through `python`. */
  open(python: PythonModule): void {
    this.python = python;
    this.opened = true;
    this.drain();
  }

  /** The page dropped these calls while Python waited for its answer. */
  drop(ids: number[]): void {
    for (const id of ids) this.dropped.add(id);
  }

  /** Calls Python: directly, or (jspi) so that it may suspend, which makes the reply a promise. */
  enter<F extends (...args: never[]) => PythonReply>(fn: PythonFunction<F>, ...args: Parameters<F>): PythonReply | Promise<PythonReply> {
    return this.jspi ? fn.callPromising(...args) : fn(...args);
  }

  /** Calls join the queue; the rest act at once. */
  private take(requests: PageToWorker[]): void {
    for (const request of requests) {
      if (request.type === "forget") this.forgotten.push([request.id, request.times]);
      else if (request.type === "cancel") {
        const queued = this.queue.findIndex((r) => r.type !== "callback" && r.id === request.id);
        if (queued >= 0) this.queue.splice(queued, 1);
      } else if (request.type === "run" || request.type === "export" || request.type === "callback") {
        if (request.type === "export") this.timings?.exports("worker has the call");
        this.queue.push(request);
      }
      else this.instruct(request);
    }
  }

  /** Whether a call may start now (a callback needs only Python free). */
  private get idle(): boolean {
    return this.python !== null && !this.inPython && this.awaiting === 0;
  }

  /** Runs queued requests, and the next ones from the lane while they come. */
  private drain(): void {
    do this.runQueued();
    while (this.idle && this.queue.length === 0 && this.nextByLane());
  }

  /**
   * Runs queued requests in order; one that awaits holds the rest until it is
   * done, but for callbacks, which run meanwhile, under its interrupt turn.
   */
  private runQueued(): void {
    const { interrupt } = this;
    if (this.idle && this.forgotten.length > 0) this.python!._forget_callbacks(this.forgotten.splice(0));
    while (this.python !== null && !this.inPython && this.queue.length > 0) {
      const interleaved = this.awaiting > 0;
      const next = interleaved || !this.opened ? this.queue.findIndex((r) => r.type === "callback") : 0;
      if (next < 0) return;
      const request = this.queue.splice(next, 1)[0];
      if (request.type !== "callback" && this.dropped.delete(request.id)) continue;
      const turn = interrupt === undefined || interleaved ? "started" : starting(interrupt, request.type === "callback" ? 0 : request.id);
      if (turn === "cancelled") continue;
      if (turn === "interrupted") {
        this.answer(request, keyboardInterrupt("the call was interrupted before it started"), false);
        continue;
      }
      const python: PythonModule = this.python;
      let reply: PythonReply | Promise<PythonReply>;
      try {
        reply =
          request.type === "run"
            ? this.enter(python._run, request.code, request.context && Object.keys(request.context).length > 0 ? request.context : undefined)
            : request.type === "export"
              ? this.enter(python._call_export, request.name, ...request.args) // spread: each converts as it crosses
              : this.enter(python._call_callback, request.id, request.args);
      } catch (error) {
        return this.fail(request, error, interleaved);
      }
      this.follow(
        reply,
        (result) => this.answer(request, result, interleaved),
        (error) => this.fail(request, error, interleaved),
      );
    }
  }

  /**
   * Hands Python's reply to `done`: now, when Python returns (JSPI: nothing
   * else enters it meanwhile), or when its future settles (callbacks run
   * meanwhile); a JavaScript error out of the interpreter to `failed`.
   */
  private follow(reply: PythonReply | Promise<PythonReply>, done: (result: RunResult) => void, failed: (error: unknown) => void): void {
    if (reply instanceof Promise) {
      this.inPython = true;
      reply.then(
        (reply) => {
          this.inPython = false;
          this.follow(reply, done, failed);
          this.drain();
        },
        (error: unknown) => {
          this.inPython = false;
          failed(error);
        },
      );
      return;
    }
    if (!isFuture(reply)) return done(settle(reply) as RunResult);
    this.awaiting++;
    (settle(reply) as Promise<RunResult>).then(
      (result) => {
        this.awaiting--;
        done(result);
        this.drain();
      },
      (error: unknown) => {
        this.awaiting--;
        failed(error);
      },
    );
  }

  /**
   * With the answers posted, spins a moment on the lane for the page's next
   * request (see lane.ts); says whether one came that can run now.
   */
  private nextByLane(): boolean {
    if (this.lane === undefined || this.laneBatchWaits) return false;
    this.outbox.flush();
    const spinning = performance.now();
    const next = takeFromLane(this.lane, REQUEST_SPIN_MS);
    this.timings?.spun("worker", spinning);
    if (next === undefined) return false;
    this.laneBatchWaits = true;
    this.arrivals.after(next.posted, () => {
      this.laneBatchWaits = false;
      this.take(next.batch as PageToWorker[]);
    });
    return !this.laneBatchWaits;
  }

  /**
   * Ends a call: sends a run's or an export call's result; a callback has nobody waiting, so its error goes to stderr.
   * An interleaved callback leaves the interrupt turn to the call it ran beside.
   */
  private answer(request: CallRequest, result: RunResult, interleaved: boolean): void {
    if (request.type === "export") this.timings?.exports("Python returned");
    if (this.interrupt !== undefined && !interleaved) finished(this.interrupt);
    if (request.type === "callback") {
      if (result.error !== undefined) this.printError(result.error);
      return;
    }
    const transfer: Transferable[] = [];
    if ("results" in result) result.results = forThePage(result.results, transfer);
    this.outbox.send({ type: "result", id: request.id, ...result }, transfer);
  }

  /** A JavaScript error out of the interpreter: fatal ones end the worker, others fail the call. */
  private fail(request: CallRequest, error: unknown, interleaved: boolean): void {
    const message = String((error as Error)?.message ?? error);
    if ((error as { pyodide_fatal_error?: boolean })?.pyodide_fatal_error) {
      this.python = null;
      // A trap's message is the engine's own ("memory access out of bounds", "index out of bounds"...).
      const fatal = error instanceof WebAssembly.RuntimeError ? `its WebAssembly trapped: ${error}` : message;
      this.outbox.send({ type: "fatal", message: fatal });
      return;
    }
    // An interrupt that landed in the runtime's own Python, around the user's code, is still the call's.
    if ((error as { type?: string })?.type === "KeyboardInterrupt") this.answer(request, keyboardInterrupt("the call was interrupted"), interleaved);
    else this.answer(request, errorReply("Error", message), interleaved);
    this.drain();
  }
}

/** Whether Python's reply is a future: the call awaits. */
function isFuture(reply: PythonReply): reply is PythonFuture {
  return typeof reply === "object" && reply !== null && typeof (reply as PythonFuture).then === "function";
}

/** A Python reply as a result: at once, or a promise of it when Python must wait. */
function settle(reply: PythonReply | Promise<PythonReply>): RunResult | Promise<RunResult> {
  if (reply instanceof Promise) return reply.then(settle);
  if (typeof reply !== "object" || reply === null) return { results: reply }; // a scalar, returned bare (see _result_reply)
  if (!isFuture(reply)) return reply as RunResult;
  const future = reply;
  return new Promise<PythonReply>((resolve, reject) => future.then(resolve, reject))
    .finally(() => future.destroy())
    .then((value) => settle(value) as RunResult); // the future's value is never a future
}
