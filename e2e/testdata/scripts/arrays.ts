// The page side of arrays_test.go: big typed arrays sent to workers without transfer.
import { asyncRun, createWorker } from "/pyworker/pyworker.js";
import queuedPy from "./python/arrays/queued.py";
import seen from "./python/arrays/seen.py";
import stats from "./python/arrays/stats.py";

/**
 * Big typed arrays sent without `transfer`: in a run's context and as an
 * export call's argument, plus one transferred. What Python saw, and what
 * the page's arrays are afterwards.
 */
export async function bigArrays(): Promise<{
  run: unknown;
  transferred: unknown;
  exported: unknown;
  returned: unknown[];
  again: unknown[];
  page: number[];
}> {
  const n = 1000003;
  const a = Float64Array.from({ length: n }, (_, i) => i / 4);
  const text = new Uint8Array(2 << 20).fill(97); // "aaa…", 2 MiB
  const run = await asyncRun(seen, { a, text });
  const back = ((await asyncRun("from js import a\n[a]", { a })).results as Float64Array[])[0];
  const returned = [back.constructor.name, back.buffer.constructor.name, back.length, back[5]];
  // Arrays of one size, one after the other: from the second on, the copy goes to the spare
  // buffer a worker prepared meanwhile (see share.ts), which must hold only the new values.
  const again = [];
  for (let k = 1; k <= 3; k++) {
    const b = new Float64Array(n).fill(k);
    again.push((await asyncRun("from js import b\n(b.buffer.constructor.name, sum(b.to_py()))", { b })).results);
    await asyncRun("1"); // a round trip: the worker is idle a moment
  }
  const moved = new Float64Array(n);
  const transferred = await asyncRun("from js import moved\nmoved.buffer.constructor.name", { moved }, { transfer: [moved.buffer] });

  const w = createWorker();
  await w.run(stats);
  const call = w.exports.stats(a);
  a[0] = -1; // after the call, in the same task: a shared copy was made at the call, a clone is made when the message is posted
  const exported = await call;
  w.terminate();
  return {
    run: run.error ?? run.results,
    transferred: transferred.error ?? transferred.results,
    exported,
    returned,
    again,
    page: [a.length, a[0], a[5], a[n - 1], a.buffer.byteLength, text.length],
  };
}

/** A call queued behind one that ignores an interrupt: how the hung call ended, and what the queued one saw. */
export async function resent(): Promise<[string, unknown]> {
  const a = Float64Array.from({ length: 1000003 }, (_, i) => i / 4);
  const w = createWorker({ interruptGrace: 300 });
  await w.run("1");
  const hung = w.run("sum(range(10**15))");
  const queued = w.run(queuedPy, { context: { a } });
  await new Promise((r) => setTimeout(r, 300));
  w.interrupt();
  const replaced = await hung.then(
    () => "",
    (e: Error) => e.message,
  );
  const r = await queued;
  w.terminate();
  return [replaced, r.error ?? r.results];
}
