// The page side of interrupt_test.go: calls stopped by interrupt(), a timeout or an AbortSignal.
import { createWorker, type PyWorker, type RunResult, type WorkerOptions } from "/pyworker/pyworker.js";
import perfCounterLoop from "./python/interrupt/perf_counter_loop.py";
import sleeping from "./python/interrupt/sleeping.py";
import slept from "./python/interrupt/slept.py";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A new worker with x = 41, interrupted 300 ms into an endless loop: the worker, and the loop's call. */
async function interruptedLoop(): Promise<{ w: PyWorker; loop: Promise<RunResult> }> {
  const w = createWorker();
  await w.run("x = 41");
  const loop = w.run("while True:\n    pass");
  await pause(300);
  w.interrupt();
  return { w, loop };
}

/** A loop interrupted, one timed out, one aborted with a call queued behind it, and the globals after. */
export async function stops(): Promise<{
  interrupted?: string;
  line?: number;
  after: unknown;
  timedOut?: string;
  aborted?: string;
  queued: string;
  still: unknown;
}> {
  const { w, loop } = await interruptedLoop();
  const interrupted = await loop;
  const after = await w.run("x + 1");
  const timedOut = await w.run(perfCounterLoop, { timeout: 200 });
  const controller = new AbortController();
  const aborted = w.run("while True:\n    pass", { signal: controller.signal });
  const queued = w.run("x = 0", { signal: controller.signal });
  setTimeout(() => controller.abort(), 200);
  const abortedResult = await aborted;
  const queuedOutcome = await queued.then(
    (r) => "resolved " + JSON.stringify(r),
    (e: Error) => e.message,
  );
  const still = await w.run("x");
  w.terminate();
  return {
    interrupted: interrupted.exception?.type,
    line: interrupted.exception?.line,
    after: after.results,
    timedOut: timedOut.exception?.type,
    aborted: abortedResult.exception?.type,
    queued: queuedOutcome,
    still: still.results,
  };
}

/** interrupt() right after run(), then interrupts meant for one call: those that stopped the next. */
export async function atOnce(): Promise<{ first?: string; after: unknown; spilled: string[] }> {
  const w = createWorker();
  await w.run("x = 41");
  const loop = w.run("while True:\n    pass");
  w.interrupt();
  const hung = new Promise<RunResult>((r) => setTimeout(() => r({ error: "still running 10 s after interrupt()" }), 10000));
  const first = await Promise.race([loop, hung]);
  const after = await w.run("x + 1");
  const spilled: string[] = [];
  for (let i = 0; i < 40; i++) {
    let ended = false;
    const a = w.run("for _ in range(" + 2000 * i + "):\n    pass");
    a.then(() => (ended = true));
    const b = w.run("'b'");
    await pause(i % 4);
    const meantForA = !ended;
    w.interrupt();
    const rb = await b;
    if (meantForA && rb.results !== "b") spilled.push(i + ": " + (rb.error || rb.results));
  }
  w.terminate();
  return { first: first.exception ? first.exception.type : first.error, after: after.results, spilled };
}

/** input() waiting for a line that never comes, interrupted: the exception's type and traceback, then x + 1. */
export async function duringInput(): Promise<{ type?: string; after: unknown; traceback?: string }> {
  const w = createWorker({ stdin: () => new Promise(() => {}) });
  await w.run("x = 1");
  const waiting = w.run("input('? ')");
  await pause(300);
  w.interrupt();
  const interrupted = await waiting;
  const after = await w.run("x + 1");
  w.terminate();
  return { type: interrupted.exception?.type, after: after.results, traceback: interrupted.error };
}

/** time.sleep(30) interrupted once its line printed before it reaches the page; then how long time.sleep(0.1) sleeps. */
export async function duringSleep(): Promise<{ type?: string; line?: number; slept: unknown }> {
  const w = createWorker({
    stdout: (line) => {
      if (line === "sleeping") setTimeout(() => w.interrupt(), 200);
    },
  });
  const r = await w.run(sleeping);
  const after = await w.run(slept);
  w.terminate();
  return { type: r.exception?.type, line: r.exception?.line, slept: after.results };
}

/** A busy call interrupted without shared memory: how it ended, and the exception's type of reading x after. */
export async function restartOnInterrupt(): Promise<{ outcome: string; after?: string }> {
  const { w, loop } = await interruptedLoop();
  const outcome = await loop.then(
    () => "resolved",
    (e: Error) => e.message,
  );
  const after = await w.run("x");
  return { outcome, after: after.exception?.type };
}

/** input() and time.sleep interrupted while they wait on the channel: where, and x + 1 after. */
export async function waits(options: WorkerOptions): Promise<{ input?: string; sleep?: string; after: unknown }> {
  const w = createWorker({ ...options, stdin: () => new Promise(() => {}) });
  await w.run("x = 41\nimport time");
  const stop = async (code: string) => {
    const call = w.run(code);
    await pause(500);
    w.interrupt();
    const r = await call;
    return r.exception && r.exception.type + " at " + r.exception.line;
  };
  const input = await stop("input('? ')");
  const sleep = await stop("print('zz')\ntime.sleep(60)");
  const after = await w.run("x + 1");
  w.terminate();
  return { input, sleep, after: after.results };
}
