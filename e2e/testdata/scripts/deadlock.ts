// The page side of deadlock_test.go: page functions that wait on the worker's export that waits on them.
import { createWorker, type WorkerOptions } from "/pyworker/pyworker.js";
import f from "./python/deadlock/f.py";

/** The errors of a deadlock proven at once (proven, rejected) and of one timed out, then what the export gives. */
export async function deadlocks(options: WorkerOptions): Promise<{ proven?: string; rejected: string; timed?: string; after: unknown }> {
  const w = createWorker(options);
  await w.run(f);
  let rejected = "";
  w.sync.back = async () => {
    try {
      return await w.exports.f();
    } catch (e) {
      rejected = (e as Error).name + ": " + (e as Error).message;
      throw e;
    }
  };
  w.sync.later = async () => {
    await new Promise((r) => setTimeout(r, 10));
    return await w.exports.f();
  };
  const proven = await w.run("sync.back()");
  const timed = await w.run("sync.later()");
  const after = await w.exports.f();
  w.terminate();
  return { proven: proven.error, rejected, timed: timed.error, after };
}
