// The page side of files_test.go: workers started from a Python file (src) and named workers.
import { createWorker, workers } from "/pyworker/pyworker.js";

export { readyOf } from "./lib/ready";

/** The PyScript docs' worker (worker.py): [what it said, heavy_computation(), the version, asked for before ready]. */
export async function fromFile(): Promise<string[]> {
  const said: string[] = [];
  const w = createWorker({ src: "worker.py" });
  w.sync.greetings = () => said.push("Pyodide bootstrapped");
  const early = w.exports.version(); // asked before ready: waits for worker.py to define it
  await w.ready;
  return [said.join(), String(await w.sync.heavy_computation()), ((await early) as string).slice(0, 4)];
}

/** indented.py's shout("hey"). */
export async function shout(): Promise<unknown> {
  return createWorker({ src: "indented.py" }).exports.shout("hey");
}

/** An export called while src (slow_start.py) still runs: its answer. */
export async function late(): Promise<unknown> {
  let early: Promise<unknown> | undefined;
  const w = createWorker({ src: "slow_start.py" });
  w.sync.started = () => {
    early = w.exports.late();
  };
  await w.ready;
  return await early;
}

/** Named workers, asked for before and after they exist, and declared in named.html. */
export async function named(): Promise<string[]> {
  const early = workers.calc; // asked for before it exists
  createWorker({ name: "calc" });
  const calc = await early;
  const same = (await workers.calc) === calc;
  const greeter = await workers.greeter;
  const inline = await workers["inline"];
  return [
    String((await calc.run("6 * 7")).results),
    String(same),
    (await greeter.exports.hello("there")) as string,
    String(await inline.exports.square(9)),
  ];
}
