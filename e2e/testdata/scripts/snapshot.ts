// The page side of snapshot_test.go: how workers start, from memory snapshots or plainly.
import { createWorker, type Phase, type Progress } from "/pyworker/pyworker.js";
import afterPy from "./python/snapshot/after.py";
import beforePy from "./python/snapshot/before.py";
import firstRun from "./python/snapshot/first_run.py";

/** How a worker started: its phases, the message of each progress event that had one, and a first result. */
interface StartOutcome {
  phases: Phase[];
  messages: string[];
  result?: unknown;
}

const newOutcome = (): StartOutcome => ({ phases: [], messages: [] });

/** Records progress events into the outcome outcome() gives at each event. */
const recorder = (outcome: () => StartOutcome) => (p: Progress) => {
  const o = outcome();
  if (o.phases.at(-1) !== p.phase) o.phases.push(p.phase);
  if (p.message) o.messages.push(p.message);
};

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A first worker, a second, and the first restarted: how each started, and what each found. */
export async function starts(): Promise<Record<"first" | "second" | "restarted", StartOutcome>> {
  const outcomes = { first: newOutcome(), second: newOutcome(), restarted: newOutcome() };
  // The first worker's events go to outcomes[starting] (its restart's to "restarted").
  let starting: "first" | "restarted" = "first";
  const first = createWorker({ onProgress: recorder(() => outcomes[starting]), sync: { double: (n: number) => 2 * n } });
  const firstResult = (await first.run(firstRun)).results as unknown[];
  firstResult.push(await first.exports.triple(14));
  outcomes.first.result = firstResult;
  const second = createWorker({ onProgress: recorder(() => outcomes.second) });
  outcomes.second.result = (await second.run("import random; ['state' in globals(), random.random()]")).results;
  starting = "restarted";
  await first.restart();
  outcomes.restarted.result = (await first.run("'state' in globals()")).results;
  first.terminate();
  second.terminate();
  return outcomes;
}

/** A restart after a second worker and wait ms, for the spare to start: how it started, and [state kept, a new random number]. */
export async function spare(wait: number): Promise<StartOutcome> {
  let outcome = newOutcome();
  const first = createWorker({ onProgress: recorder(() => outcome) });
  const before = (await first.run(beforePy)).results;
  const second = createWorker();
  await second.run("1");
  await pause(wait);
  outcome = newOutcome();
  await first.restart();
  const [kept, drawn] = (await first.run(afterPy)).results as [boolean, number];
  outcome.result = [kept, drawn !== before];
  first.terminate();
  second.terminate();
  return outcome;
}

/** A worker's start and its 1 + 1 (or error). */
export async function start(): Promise<StartOutcome> {
  const outcome = newOutcome();
  const w = createWorker({ onProgress: recorder(() => outcome) });
  const r = await w.run("1 + 1");
  outcome.result = r.results ?? r.error;
  w.terminate();
  return outcome;
}

/** The snapshots kept in the origin private file system: "NAME SIZE" each. */
async function kept(): Promise<string[]> {
  if (!navigator.storage?.getDirectory) return []; // WebKitGTK's MiniBrowser has none
  const root = await navigator.storage.getDirectory();
  const folder = await root.getDirectoryHandle("pyworker-snapshots").catch(() => undefined);
  const files: string[] = [];
  if (folder) {
    // entries() is missing from the DOM lib this is typed against.
    const entries = (folder as unknown as { entries(): AsyncIterable<[string, FileSystemFileHandle]> }).entries();
    for await (const [name, handle] of entries) files.push(name + " " + (await handle.getFile()).size);
  }
  return files;
}

/** The kept files once they are only want, or after tries tenths of a second. */
async function keptOnly(want: string, tries: number): Promise<string[]> {
  let files: string[] = [];
  for (let i = 0; i < tries && !(files.length === 1 && files[0] === want); i++) {
    await pause(100);
    files = await kept();
  }
  return files;
}

/** A worker's first run, then the snapshots kept, once they are only want (or after tries tenths of a second). */
export async function keptAfterRun(tries: number, want: string): Promise<string[]> {
  await createWorker().run("1 + 1");
  return keptOnly(want, tries);
}

/** The kept snapshot file name spoiled, then a worker's start and 1 + 1, then the files kept ("kept …", last of its messages). */
export async function spoiled(name: string, want: string): Promise<StartOutcome> {
  const root = await navigator.storage.getDirectory();
  const folder = await root.getDirectoryHandle("pyworker-snapshots");
  const file = await (await folder.getFileHandle(name)).createWritable();
  await file.write("not a snapshot");
  await file.close();
  const outcome = newOutcome();
  const w = createWorker({ onProgress: recorder(() => outcome) });
  outcome.result = (await w.run("1 + 1")).results;
  // The worker keeps it once the page has its answer: wait for that.
  const files = await keptOnly(want, 100);
  outcome.messages.push("kept " + files.join(", "));
  return outcome;
}
