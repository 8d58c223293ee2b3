// The figures of `pyworker bench`, run in the page. Each page (docs/,
// pyworker-page/, echo/) hands install() a subject:
//
//   name     what the table calls it
//   answers  whether replies carry {results} worth checking
//   cold()   starts a new worker and resolves to its answer to 1+1
//   fresh(how)  after cold(), starts fresh interpreters on the page and resolves
//            to their answers to 1+1: how is "second" (another worker),
//            "restart" (cold()'s worker restarted) or "pool" (four at once)
//   warm()   gets ready for run() (the docs' page imports its py-worker.js)
//   run(code, context, transfer)  one call on the warm worker
//
// The figures return raw samples in milliseconds; the Go side does the
// statistics. Every answer is checked, so a figure never times wrong work.

const now = () => performance.now();

/** The median of three measurements: one slow one (a thread moved to the other core) is dropped. */
export const median3 = async (measure) => [await measure(), await measure(), await measure()].sort((a, b) => a - b)[1];

/**
 * Waits for a worker that just started Pyodide to settle. For a few seconds
 * after the start a message takes the worker 60-80 µs to receive, then 20
 * (measured on two cores; most likely the browser recompiling the
 * interpreter's WebAssembly, optimized, on background threads). Figures
 * taken then measure that, so every subject waits the same before its warm
 * ones.
 */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 5000));
/**
 * How long the bridge's subjects are called before their figures are taken:
 * the engine recompiles the interpreter's hot code, optimized, only after
 * thousands of calls (pyworker's first 3,000 sync calls cost 150 µs each in
 * Chromium 148, the rest 20-30).
 */
export const WARM_MS = 2000;

/** Calls `batch` again and again for `ms` milliseconds. */
export const warmFor = async (ms, batch) => {
  const until = performance.now() + ms;
  while (performance.now() < until) await batch();
};
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

function describe(value) {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function install(subject) {
  const check = (reply, want, what) => {
    if (!subject.answers) return;
    if (reply === null || typeof reply !== "object" || reply.error !== undefined || reply.results !== want) {
      throw new Error(`${subject.name}: ${what} answered ${describe(reply)}, want results ${describe(want)}`);
    }
  };

  // Records requestAnimationFrame timestamps while during() runs and returns
  // the longest stretch without a frame, counting from the start to the
  // first frame and from the last frame to the end.
  const recordFrames = async (during) => {
    await nextFrame(); // start on a frame boundary
    const stamps = [];
    let recording = true;
    const tick = (t) => {
      if (!recording) return;
      stamps.push(t);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    const start = now();
    const value = await during();
    const end = now();
    recording = false;
    let last = start;
    let maxGap = 0;
    for (const t of stamps) {
      if (t > last) {
        maxGap = Math.max(maxGap, t - last);
        last = t;
      }
    }
    maxGap = Math.max(maxGap, end - last);
    return { value, maxGap, frames: stamps.length, ms: end - start };
  };

  let pendingArray = null;
  const takeArray = () => {
    const a = pendingArray;
    pendingArray = null;
    if (a === null) throw new Error("an array figure without makeArray");
    return a;
  };

  window.bench = {
    name: subject.name,
    isolated: self.crossOriginIsolated,

    /** Milliseconds from making a worker to its first answer (1+1). */
    async cold() {
      const start = now();
      const reply = await subject.cold();
      const ms = now() - start;
      check(reply, 2, "1+1");
      return ms;
    },

    /**
     * Milliseconds from asking for fresh interpreters (see fresh above) to
     * their answers to 1+1, on a page idle for a few seconds first, as a page
     * is when someone asks for one (and pyworker has a spare worker ready).
     */
    async fresh(how) {
      await settle();
      const start = now();
      const replies = await subject.fresh(how);
      const ms = now() - start;
      for (const reply of replies) check(reply, 2, `1+1 (${how})`);
      await subject.freshDone?.();
      return ms;
    },

    /** Gets the warm worker up and runs `calls` calls of 1+1 on it. */
    async warm(calls) {
      await subject.warm();
      check(await subject.run("1+1", {}), 2, "1+1");
      await settle();
      for (let i = 0; i < calls; i++) check(await subject.run("1+1", {}), 2, "1+1");
      return true;
    },

    /**
     * Milliseconds of each of `calls` sequential calls of 1+1; with `newSource`, each call's
     * source differs (a comment), so no cache of compiled code can answer it.
     */
    async roundTrips(calls, newSource) {
      const times = new Array(calls);
      for (let i = 0; i < calls; i++) {
        const code = newSource ? `1+1  # call ${i}` : "1+1";
        const start = now();
        const reply = await subject.run(code, {});
        times[i] = now() - start;
        check(reply, 2, "1+1");
      }
      return times;
    },

    /**
     * Calls per second: `rounds` rounds of `width` calls of 1+1 in flight at once; `batched`
     * takes the subject's batching way to call (the echo worker's), if it has one.
     */
    async throughput(rounds, width, batched = false) {
      const run = batched ? subject.runBatched : subject.run;
      // One round first, not counted, so the clock starts on warm code.
      for (const reply of await Promise.all(Array.from({ length: width }, () => run("1+1", {})))) {
        check(reply, 2, "1+1");
      }
      const replies = [];
      const start = now();
      for (let r = 0; r < rounds; r++) {
        replies.push(...(await Promise.all(Array.from({ length: width }, () => run("1+1", {})))));
      }
      const ms = now() - start;
      for (const reply of replies) check(reply, 2, "1+1");
      return (rounds * width) / (ms / 1000);
    },

    /**
     * Makes and fills the array the next sendArray sends (or copyArray
     * copies): a Float64Array of `length`. Apart, so that making it (and the
     * garbage collection that the Go side asks for next) stays off the clock.
     */
    makeArray(length) {
      const a = new Float64Array(length);
      for (let i = 0; i < length; i++) a[i] = i;
      pendingArray = a;
      return true;
    },

    /**
     * Milliseconds from call to answer for `from js import a; a.length`, `a`
     * the array makeArray made, sent in the context and, with `transfer`,
     * transferred.
     */
    async sendArray(transfer) {
      const a = takeArray();
      const length = a.length;
      const start = now();
      const reply = await subject.run("from js import a\na.length", { a }, transfer ? [a.buffer] : undefined);
      const ms = now() - start;
      check(reply, length, "a.length");
      if (transfer && a.length !== 0) throw new Error(`${subject.name}: the array was copied, not transferred`);
      return ms;
    },

    /**
     * The floor of a call that sends the array without transfer on a page
     * with shared memory: milliseconds of one TypedArray.set of the array
     * makeArray made into a SharedArrayBuffer. `before` is what is done
     * before the clock starts: "nothing" (the allocation is timed too),
     * "allocate" (the set alone, into new memory), or "write" (the buffer
     * is allocated and filled, so the set is a plain copy, without the first
     * touch of each page of memory: pyworker's copy into its spare).
     */
    copyArray(before) {
      const a = takeArray();
      const buffer = before === "nothing" ? null : new SharedArrayBuffer(a.byteLength);
      if (before === "write") new Float64Array(buffer).fill(-1);
      const start = now();
      const copy = new Float64Array(buffer ?? new SharedArrayBuffer(a.byteLength));
      copy.set(a);
      const ms = now() - start;
      if (copy[a.length - 1] !== a[a.length - 1]) throw new Error("copyArray: the copy differs");
      return ms;
    },

    /** The longest frame gap on the page while Python busy-loops for `seconds` in the worker. */
    async busyFrames(seconds) {
      const code = `import time\nend=time.time()+${seconds}\nwhile time.time()<end: pass`;
      const got = await recordFrames(() => subject.run(code, {}));
      check(got.value, undefined, "the busy loop");
      if (got.ms < seconds * 1000 * 0.9) throw new Error(`${subject.name}: the busy loop took only ${got.ms} ms`);
      return { maxGap: got.maxGap, frames: got.frames, ms: got.ms };
    },

    /** The longest frame gap on the page while nothing runs for `ms`: the floor. */
    async idleFrames(ms) {
      const got = await recordFrames(() => new Promise((resolve) => setTimeout(resolve, ms)));
      return { maxGap: got.maxGap, frames: got.frames, ms: got.ms };
    },
  };
}
