// The page side of supervision_test.go: a hung worker replaced, and pools.
import { createPool, createWorker } from "/pyworker/pyworker.js";
import queuedPy from "./python/supervision/queued.py";

const outcome = (p: Promise<unknown>) =>
  p.then(
    (r) => "resolved " + JSON.stringify(r),
    (e: Error) => e.message,
  );

/** A call busy in C, interrupted, with calls queued behind it: how each ended, and the new worker's globals. */
export async function hungCall(): Promise<{ hung: string; queued: unknown; timed: string; moved: string; after: unknown }> {
  const w = createWorker({ interruptGrace: 300 });
  await w.run("y = 5");
  const hung = w.run("sum(range(10**15))");
  const queued = w.run(queuedPy);
  const timed = w.run("while True:\n    pass", { timeout: 1500 }); // its timeout follows it to the new worker
  const bytes = new Uint8Array([1, 2, 3]);
  const moved = w.run("from js import bytes\nlen(bytes)", { context: { bytes }, transfer: [bytes.buffer] });
  await new Promise((r) => setTimeout(r, 300));
  w.interrupt();
  const hungOutcome = await outcome(hung);
  const queuedResult = await queued;
  const timedOutcome = await outcome(timed);
  const movedOutcome = await outcome(moved);
  const after = await w.run("(x, 'y' in globals())");
  w.terminate();
  return { hung: hungOutcome, queued: queuedResult.results, timed: timedOutcome, moved: movedOutcome, after: after.results };
}

/** A pool of two: counts per worker, before and after one dies, exports, and a pool of none refused. */
export async function pool(): Promise<{ counts: unknown[]; after: unknown[]; doubled: unknown[]; bad?: string; size: number }> {
  const pool = createPool({ size: 2, src: "data:text/x-python,from pyworker import export%0A@export%0Adef double(x): return 2 * x" });
  await pool.ready;
  const count = "n = globals().get('n', 0) + 1\nn";
  const counts = (await Promise.all([1, 2, 3, 4].map(() => pool.run(count)))).map((r) => r.results);
  pool.workers[0].terminate();
  const after = (await Promise.all([1, 2, 3, 4].map(() => pool.run(count)))).map((r) => r.results);
  const doubled = await Promise.all([1, 2, 3].map((x) => pool.exports.double(x)));
  pool.terminate();
  let bad;
  try {
    createPool({ size: 0 });
  } catch (e) {
    bad = (e as Error).message;
  }
  return { counts: counts.sort(), after: after.sort(), doubled, bad, size: pool.workers.length };
}
