// The page side of loadfailure_test.go: workers whose interpreter, served broken at /faulty/MODE/, cannot load.
import { createWorker, type Progress } from "/pyworker/pyworker.js";

/** How p settles: its value as JSON ("resolved" if undefined), its rejection's message, or "did not settle within 30 s". */
const settled = (p: Promise<unknown>): Promise<string> =>
  Promise.race([
    p.then(
      (value) => JSON.stringify(value) ?? "resolved",
      (e: Error) => e.message,
    ),
    new Promise<string>((r) => setTimeout(() => r("did not settle within 30 s"), 30000)),
  ]);

/** A worker whose interpreter fails in mode, with a run made at once, and one made without onProgress: how each ended. */
export async function failure(mode: string): Promise<{
  ready: string;
  run: string;
  seconds: number;
  lastProgress?: Progress;
  unwatched: string;
}> {
  const events: Progress[] = [];
  const started = performance.now();
  const w = createWorker({ indexURL: `/faulty/${mode}/`, onProgress: (p) => events.push(p) });
  const other = createWorker({ indexURL: `/faulty/${mode}/` });
  const unwatched = settled(other.ready);
  const run = settled(w.run("1 + 1"));
  const ready = await settled(w.ready);
  const seconds = (performance.now() - started) / 1000;
  const outcome = { ready, run: await run, seconds, lastProgress: events.at(-1), unwatched: await unwatched };
  w.terminate();
  other.terminate();
  return outcome;
}

/** A worker whose interpreter fails the first time only: ready and a waiting run, then a retry's run and ready. */
export async function retry(mode: string): Promise<string[]> {
  const w = createWorker({ indexURL: `/faulty/${mode}/` });
  const waiting = settled(w.run("1 + 1"));
  const first = await settled(w.ready);
  const again = await settled(w.run("1 + 1"));
  return [first, await waiting, again, await settled(w.ready)];
}
