// Pyodide's start in a worker, wired to the page through the worker's hooks:
// the worker's Pyodide adapter, as micropython.ts is its MicroPython one (see
// adapter.ts). What pyworker knows of Pyodide's API is in pyodideapi.ts.

import type { PythonModule, Started, WorkerHooks } from "../shared/adapter";
import { hasSharedMemory } from "../shared/channel";
import { pollingSignal } from "../shared/interrupt";
import { LoadWatch } from "./loading";
import { CONTRACT, pageOpOf, type PageOpFields } from "../shared/pythoncontract";
import type { InitOptions, SpareStart } from "../shared/protocol";
import type { LoadOptions, Pyodide } from "../shared/pyodideapi";
import { pyodideFiles, writeFiles } from "../shared/python";
import { forgetSnapshot, keepSnapshot, serverSnapshot } from "./snapshot";

/** Loads Pyodide from indexURL with pyworker's Python module in its site-packages. */
async function load(indexURL: string, options: Pick<LoadOptions, "_loadSnapshot" | "_makeSnapshot"> = {}): Promise<Pyodide> {
  const { loadPyodide } = (await import(indexURL + "pyodide.mjs")) as { loadPyodide(options: LoadOptions): Promise<Pyodide> };
  return loadPyodide({
    indexURL,
    async fsInit(fs, { sitePackages }) {
      writeFiles(fs, sitePackages + "/", pyodideFiles);
    },
    ...options,
  });
}

/** Loads Pyodide's scripts (a spare worker's, ahead of its start); a failure shows when the worker starts. */
export function preloadPyodide(indexURL: string): void {
  for (const script of ["pyodide.mjs", "pyodide.asm.mjs"]) import(indexURL + script).catch(() => {});
}

/** A warm spare worker's start of Pyodide, begun before its init, which adopts it (see startfrom.ts). */
export interface StartedAhead {
  loading: LoadWatch;
  restored: Promise<Restored>;
}

/** Starts Pyodide as a worker's init with `start` would, before the init comes. */
export function startAhead(indexURL: string, start: SpareStart): StartedAhead {
  const loading = new LoadWatch({ indexURL, progress: false, ...start });
  const restored = restoreOrStart({ indexURL, snapshot: start.snapshot }, loading);
  restored.catch(() => {}); // the init that adopts it hears of it
  return { loading, restored };
}

/**
 * A memory snapshot of a new Pyodide with pyworker's Python module imported,
 * and not connected to a worker yet: it holds no JavaScript object of its own.
 */
export async function makeSnapshot(indexURL: string): Promise<Uint8Array> {
  const pyodide = (await load(indexURL, { _makeSnapshot: true })) as Pyodide & { makeMemorySnapshot(): Uint8Array };
  pyodide.pyimport("pyworker");
  return pyodide.makeMemorySnapshot();
}

/**
 * Loads Pyodide with pyworker's Python module, from a snapshot if it can, and
 * wires the module to the page: output, input, sleep, sync calls and page
 * objects through the channel, interrupts, packages.
 */
export async function startPyodide(options: InitOptions, loading: LoadWatch, worker: WorkerHooks, ahead?: Promise<Restored>): Promise<Started> {
  const { channel } = options;
  const { print, postWaitingOutput, ...page } = worker;
  const { pyodide, snapshot, afterReady } = await (ahead ?? restoreOrStart(options, loading));
  const wasm = loading.module;
  const python = pyodide.pyimport("pyworker") as PythonModule & Record<typeof CONTRACT.connect, (hooks: object) => void>;
  python[CONTRACT.connect]({
    channel: channel.kind,
    ...page,
    // The operation's fields in the contract's order, then what the page needs besides.
    pageOp: (...[op, ref, key, args, path, released, what]: [...PageOpFields, number[] | undefined, string]) =>
      page.pageOp(pageOpOf(op, ref, key, args, path), released, what),
  });
  pyodide.setStdout({ batched: (line) => print("stdout", line) });
  pyodide.setStderr({ batched: (line) => print("stderr", line) });
  // input() and sys.stdin are pyworker's (they ask the page); a read of file descriptor 0
  // that bypasses them fails plainly, rather than calling prompt(), which workers lack.
  pyodide.setStdin({ error: true });
  const interrupt = options.interrupt && new Int32Array(options.interrupt);
  const pollingBuffer = pollingSignal(interrupt, () => {
    if (postWaitingOutput()) pollWhileOutputWaits(false);
  });
  let polling = false;
  // Without shared memory nothing signals through a buffer, but Python still checks one now and
  // then, calling into JavaScript: only there does WebKit stop a terminated worker (a loop that
  // stays in WebAssembly would run on, a core busy, until the page closes).
  const signals = interrupt ?? new Int32Array(1);
  const setSignalBuffer = () => pyodide.setInterruptBuffer(polling ? pollingBuffer : signals);
  const pollWhileOutputWaits = (on: boolean) => {
    if (on === polling) return; // print() asks on every line
    polling = on;
    setSignalBuffer();
  };
  setSignalBuffer();
  const raiseKeyboardInterrupt = () => {
    pyodide.setInterruptBuffer([2]); // SIGINT, read by the check below
    try {
      pyodide.checkInterrupt();
    } finally {
      setSignalBuffer();
    }
  };
  if (options.packages.length > 0) {
    loading.reach("packages");
    const errors: string[] = [];
    await pyodide.loadPackage(options.packages, { messageCallback: () => {}, errorCallback: (m) => errors.push(m) });
    if (errors.length > 0) throw new Error(`loading packages ${options.packages.join(", ")}: ${errors.join("; ")}`);
  }
  return {
    python,
    fs: pyodide.FS,
    reusable: wasm && { wasm, ...(options.snapshot !== undefined && snapshot === undefined && { refused: true as const }) },
    // The page keeps the snapshot it sent, and wants back only one it has not.
    snapshotToKeep: options.snapshot instanceof Uint8Array || snapshot === undefined ? undefined : () => sharedCopy(snapshot),
    afterReady, // keeps a fetched snapshot for later visits, off the start's path
    registerJsModule: (name, module) => pyodide.registerJsModule(name, module),
    checkInterrupt: () => interrupt !== undefined && pyodide.checkInterrupt(),
    raiseKeyboardInterrupt,
    pollWhileOutputWaits,
  };
}

/** The bytes in shared memory where there is some, so that each next worker gets them without a copy in the message. */
function sharedCopy(bytes: Uint8Array): Uint8Array {
  if (!hasSharedMemory()) return bytes;
  const copy = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  copy.set(bytes);
  return copy;
}

/** A loaded Pyodide, the snapshot it restored if it did, and what may wait until its first calls are answered. */
interface Restored {
  pyodide: Pyodide;
  snapshot?: Uint8Array;
  afterReady?: () => void;
}

/**
 * Loads Pyodide from the snapshot in the options, fetched while the
 * interpreter loads, or, when there is none or it fails a check or does not
 * restore, plainly, telling the page why.
 */
async function restoreOrStart(options: Pick<InitOptions, "indexURL" | "snapshot">, loading: LoadWatch): Promise<Restored> {
  const source = options.snapshot;
  if (source === undefined) return { pyodide: await load(options.indexURL) };
  let why: string | undefined;
  let fetched = false;
  // One the page gave may be in shared memory, whose header Pyodide decodes: see decodeSharedViews.
  const snapshot = (source instanceof Uint8Array ? Promise.resolve({ bytes: source, fetched: false }) : serverSnapshot(source)).then(
    (got) => ((fetched = got.fetched), (loading.memoryBytes = got.bytes.byteLength), got.bytes),
    (error: unknown) => {
      why = (error as Error)?.message ?? String(error);
      throw error; // Pyodide stops before it instantiates anything
    },
  );
  snapshot.catch(() => {}); // Pyodide awaits it only once its own script has loaded: not an uncaught error before that
  try {
    const pyodide = await load(options.indexURL, { _loadSnapshot: snapshot });
    const bytes = await snapshot;
    return { pyodide, snapshot: bytes, afterReady: fetched && !(source instanceof Uint8Array) ? () => keepSnapshot(source.sha256, bytes) : undefined };
  } catch (error) {
    if (why === undefined && loading.phase !== "restore") throw error; // not the snapshot's failure
    if (why === undefined) {
      why = `it did not restore (${(error as Error)?.message ?? error})`;
      if (!(source instanceof Uint8Array)) forgetSnapshot(source.sha256); // if a kept copy went bad, the next start fetches it
    }
  }
  loading.note(`starting without a memory snapshot: ${why}`);
  loading.memoryBytes = 0;
  return { pyodide: await load(options.indexURL) };
}
