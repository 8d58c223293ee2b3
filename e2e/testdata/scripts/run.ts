// The page side of run_test.go: asyncRun on the warm page, and one worker's call order.
import { asyncRun, createWorker, type PythonException, type RunResult } from "/pyworker/pyworker.js";
import order from "./python/run/order.py";
import twoSeconds from "./python/run/two_seconds.py";
import typedArray from "./python/run/typed_array.py";
import values from "./python/run/values.py";

// The Pyodide docs' script, byte for byte: a template string indented as a
// whole, with a leading newline (kept here, in a template string, as the docs have it).
const seedScript = `
    import statistics
    from js import A_rank
    statistics.stdev(A_rank)
`;

/** The seed's own example: statistics.stdev of A_rank. */
export async function seedExample(): Promise<RunResult> {
  return asyncRun(seedScript, { A_rank: [0.8, 0.4, 1.2, 3.7, 2.6, 5.8] });
}

/** Code indented as a whole (again a template string) that raises at its line 4: the exception. */
export async function indentedCode(): Promise<PythonException | undefined> {
  const code = `
        total = 0
        for n in (1, 2, 0):
            total += 1 / n
    `;
  return asyncRun(code).then((r) => r.exception);
}

/** 100 calls at once, each checking its own context: n * n, or -1 for an error. */
export async function manyCalls(): Promise<unknown[]> {
  return Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      asyncRun("from js import n, label\nassert label == f'call {n}'\nn * n", { n: i, label: "call " + i }).then((r) =>
        r.error ? -1 : r.results,
      ),
    ),
  );
}

/** Programs that raise, by name. */
const raising = {
  zeroDivision: "x = 1\ny = 0\nx / y",
  inFunction: "def f(n):\n    return {}[n]\n\nf('key')",
  syntax: "a = 1\nb = (\nc = 3",
  missingModule: "import no_such_module_here",
  // numpy is in Pyodide's lock file, but the tests' server has not fetched it and fetches nothing.
  packageNotLoaded: "import numpy",
};

/** Programs whose value cannot cross to the page, by name. */
const uncrossable = {
  builtin: "len",
  function: "def f(): pass\nf",
  module: "import sys\nsys",
  date: "import datetime\ndatetime.date(2026, 1, 2)",
  object: "[1, 2, object()]",
  jsFunction: "from js import Math\nMath.max",
  jsFunctionInside: "from js import Math, Object\nObject.fromEntries([['f', Math.min]])",
};

/** Small programs, by name. */
const small = {
  readContext: "import js\njs.label",
  input: "input('name? ')",
  ...raising,
  ...uncrossable,
};

/** Runs one of the small programs. */
export async function run(program: keyof typeof small): Promise<RunResult> {
  return asyncRun(small[program]);
}

/** Sets counter, then reads it plus one. */
export async function counter(): Promise<unknown> {
  return asyncRun("counter = 41")
    .then(() => asyncRun("counter + 1"))
    .then((r) => r.results);
}

/** Python values of every kind, as the page gets them (described as JSON). */
export async function conversion(): Promise<string> {
  const { results } = await asyncRun(values);
  const r = results as Record<string, any>;
  return JSON.stringify({
    plainObject: Object.getPrototypeOf(r) === Object.prototype && Object.getPrototypeOf(r.dict) === Object.prototype,
    list: r.list,
    tuple: Array.isArray(r.tuple) && r.tuple,
    none: r.none === undefined,
    bool: r.bool,
    bytes: r.bytes instanceof Uint8Array && Array.from(r.bytes),
    big: typeof r.big === "bigint" && r.big.toString(),
    nested: r.nested,
  });
}

/** Whether a statement gives {results: undefined} and no error. */
export async function statement(): Promise<boolean> {
  const r = await asyncRun("x = 1");
  return "results" in r && r.results === undefined && !("error" in r);
}

/** A typed array sent in a context and one transferred: what Python saw and gave back (as JSON), or the error. */
export async function typedArrayContext(): Promise<string> {
  const a = Float64Array.from({ length: 1000000 }, (_, i) => i);
  const r = await asyncRun(typedArray, { a });
  if (r.error) return r.error;
  const results = r.results as [string, number, number, Float64Array];
  const moved = new Float64Array(4000000);
  const r2 = await asyncRun("from js import big\nbig.length", { big: moved }, { transfer: [moved.buffer] });
  return JSON.stringify([
    results[0],
    results[1],
    results[2],
    results[3] instanceof Float64Array,
    Array.from(results[3]),
    a.length,
    r2.results,
    moved.length,
  ]);
}

/** A context with a function: how the call ends. */
export async function uncloneableContext(): Promise<string> {
  return asyncRun("1", { ok: 1, callback: () => 1 }).then(
    (r) => "resolved: " + JSON.stringify(r),
    (e: Error) => e.name + ": " + e.message,
  );
}

/** 6 * 7, to show the worker goes on. */
export async function goesOn(): Promise<unknown> {
  return asyncRun("6 * 7").then((r) => r.results);
}

/** Two seconds of Python: loops, ms, the frames the page painted meanwhile and the longest gap between them. */
export async function painting(): Promise<{ loops: unknown; ms: number; frames: number; gap: number }> {
  const painted = (window as unknown as { frames_: number[] }).frames_; // recorded by the test page
  const start = performance.now();
  const r = await asyncRun(twoSeconds);
  const stop = performance.now();
  const frames = painted.filter((t) => t >= start && t <= stop);
  let gap = 0;
  for (let i = 1; i < frames.length; i++) gap = Math.max(gap, frames[i] - frames[i - 1]);
  gap = Math.max(gap, frames[0] - start, stop - frames[frames.length - 1]);
  return { loops: r.results, ms: stop - start, frames: frames.length, gap };
}

/** Calls made one by one, in bursts and behind a long call, plain or transferring: whether they ran in order, and how many. */
export async function callOrder(): Promise<{ same: boolean; n: number; sent: number }> {
  const w = createWorker();
  await w.run(order);
  const sent: number[] = [];
  let n = 0;
  const call = (transfer: boolean, code = "") => {
    const i = n++;
    sent.push(i);
    if (!transfer) return w.run(code + "order.append(" + i + ")");
    const a = new Float64Array([i]);
    return w.run("from js import a\norder.append(int(a[0]))", { context: { a }, transfer: [a.buffer] });
  };
  const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
  for (let round = 0; round < 40; round++) {
    await call(round % 3 === 0);
    const burst = [];
    for (let k = 0; k < round % 4; k++) burst.push(call(k % 2 === 1));
    if (round % 2) await Promise.all(burst);
  }
  for (let round = 0; round < 30; round++) {
    const calls = [call(false, "busy(0.02)\n")];
    await pause(2);
    calls.push(call(true)); // messages the worker reads only after the long call
    await pause(2);
    calls.push(call(true));
    await calls[0];
    calls.push(call(false));
    await Promise.resolve(); // posted now, not with the next
    for (const t = performance.now(); performance.now() - t < 0.02 * (round % 15); );
    calls.push(call(false));
    await Promise.all(calls);
  }
  const ran = (await w.run("order")).results as number[];
  w.terminate();
  return { same: JSON.stringify(ran) === JSON.stringify(sent), n: ran.length, sent: sent.length };
}
