// The public types of pyworker.js. The server serves this file, with the
// declarations of the exported functions, as pyworker.d.ts.

/** A Python exception, in parts. */
export interface PythonException {
  /** The exception's class name, e.g. "ZeroDivisionError". */
  type: string;
  message: string;
  /** The formatted traceback, ending in "Type: message"; user code runs as "<exec>". */
  traceback: string;
  /** The line of the user's code where it was raised, when there is one. */
  line?: number;
}

/** What a run resolves to: `{results}` or `{error, exception}`; never a rejection for a Python error. */
export interface RunResult {
  /** The value of the last expression, as plain JavaScript (dict → object, list/tuple → array, bytes → Uint8Array, None → undefined). */
  results?: unknown;
  /** The formatted traceback, as the seed's consumers print it. */
  error?: string;
  exception?: PythonException;
}

export type Context = Record<string, unknown>;

export interface RunOptions {
  /** Values importable in Python with `from js import NAME`, for this call only. */
  context?: Context;
  /**
   * Buffers to move to the worker instead of copying (they become unusable on the page). Not
   * moved, a typed array over 1 MB is copied once into shared memory on a cross-origin isolated page.
   */
  transfer?: Transferable[];
  /** Aborting stops the call as interrupt() does; a call still queued rejects without running. */
  signal?: AbortSignal;
  /** Milliseconds after which the call is stopped, as by `signal`. */
  timeout?: number;
}

/**
 * "start": Python starts; "restore": it is copied in from a memory snapshot
 * instead, which is much faster. "failed": the interpreter could not start
 * (then `ready` rejects).
 */
export type Phase = "download" | "compile" | "start" | "restore" | "packages" | "ready" | "failed";

/** Load progress: `loaded` of `total` bytes of the interpreter assets, and the phase reached. */
export interface Progress {
  phase: Phase;
  loaded: number;
  total: number;
  /**
   * With phase "failed": why, e.g. "fetching https://…/pyodide.asm.wasm: 404 Not Found".
   * Before: why Python starts without a memory snapshot, when there was one to try.
   */
  message?: string;
}

/** An archive of Python code (see `pyworker pack`). */
export interface Archive {
  url: string;
  /** "zip", "tar", "gztar", "bztar" or "xztar"; by default, from the URL's ending. */
  format?: string;
  /** Where it is unpacked; by default the working folder, /home/pyodide. */
  extractDir?: string;
}

/** PyScript's config, as PyScript documents it (the parts pyworker reads). */
export interface PyScriptConfig {
  packages?: string[];
  /** Source URL → path in the interpreter's file system; "{NAME}" keys define placeholders. */
  files?: Record<string, string>;
  /** Module URL → the name Python imports it as, from `pyscript.js_modules`. */
  js_modules?: { main?: Record<string, string>; worker?: Record<string, string> };
}

/** The interpreters a worker can run. */
export type Interpreter = "pyodide" | "micropython";

export interface WorkerOptions {
  /**
   * "pyodide" (the default), or "micropython": it starts in a fraction of the time and holds far
   * less; it takes no packages, archive or run context yet.
   */
  interpreter?: Interpreter;
  /** A Python file, run when the worker starts: its exports and `sync` functions exist once `ready` resolves. */
  src?: string;
  /**
   * Milliseconds a call may go on after `interrupt()` (or its signal or timeout) before the worker
   * is replaced: Python busy in a long call into C never sees the interrupt. Default 2000.
   */
  interruptGrace?: number;
  /** Makes the worker reachable as `await workers[name]`. */
  name?: string;
  /** Your code as an archive, downloaded while the interpreter loads, unpacked and put on `sys.path` before `src` runs. */
  archive?: Archive;
  /** Where the interpreter's assets are; defaults to the server's (self-hosted or CDN for Pyodide, self-hosted for MicroPython). */
  indexURL?: string;
  /** Packages loaded before `ready`. */
  packages?: string[];
  /**
   * PyScript's config: an object, its JSON text, or the URL of a .json or .toml file. Its
   * `packages` join the option's, its `files` are fetched into the interpreter's file system and
   * its `js_modules.worker` imported (`from pyscript.js_modules import NAME`), before `src` runs.
   */
  config?: string | PyScriptConfig;
  /**
   * The id of the page element PyScript's `display()` writes to when given no target
   * (`pyscript.current_target()`). A <script> element's id stands for an output element
   * made after it on first use, as PyScript makes one for a worker's tag.
   */
  target?: string;
  onProgress?: (progress: Progress) => void;
  /** Page functions for Python's `sync.NAME(...)`, as if assigned to `w.sync` (PyScript's `sync` option). */
  sync?: Record<string, PageFunction>;
  /**
   * Gives `input(prompt)` and `sys.stdin.readline()` their line (sync or async); null or
   * undefined is the end of input (EOFError). The prompt goes to `stdout` first.
   */
  stdin?: (prompt: string) => string | null | undefined | Promise<string | null | undefined>;
  /** Receives what Python prints, line by line; default: console.log. */
  stdout?: (text: string) => void;
  /** Receives what Python writes to stderr; default: console.error. */
  stderr?: (text: string) => void;
  /**
   * How Python's sync calls reach the page. Default: the fastest this page has,
   * "shared-memory" (cross-origin isolated), then "jspi" (a browser with
   * WebAssembly JSPI), then "service-worker" (when the server offers it: `pyworker
   * serve --isolation service-worker`), else "none". A channel the page cannot have is an error.
   */
  channel?: Channel;
  /**
   * Times each step of the bridge's calls, for `timings()`: a diagnosis of where a sync or
   * export call spends its time. Shared memory only (a cross-origin isolated page); it costs a
   * few clock reads a call.
   */
  timings?: boolean;
}

/**
 * The mean of each step of the calls made since the last reading, in microseconds, by what
 * happened in it: `sync` for Python's sync calls to the page (shared memory), `exports` for the
 * page's export calls. Calls must be made one at a time to be timed right.
 */
export interface BridgeTimings {
  sync: { calls: number; steps: Record<string, number> };
  exports: { calls: number; steps: Record<string, number> };
  /**
   * Milliseconds each side spent spinning or polling since the last reading, waiting for the
   * other: the worker for answers and for the page's next call, the page for questions and results.
   */
  spinning: { worker: number; page: number };
}

/** How a worker's Python calls the page synchronously; "none" makes such calls an error. */
export type Channel = "shared-memory" | "jspi" | "service-worker" | "none";

/** A function the page offers the worker: Python calls it as `sync.NAME(...)`. */
export type PageFunction = (...args: any[]) => unknown;

/** A Python interpreter in a Web Worker. */
export interface PyWorker {
  /** Resolves when the interpreter has started, `packages` are loaded and `src` has run (after a replacement: the new one). */
  readonly ready: Promise<void>;
  /** Runs Python code; concurrent calls queue and run one at a time, each with its own context. */
  run(code: string, options?: RunOptions): Promise<RunResult>;
  /** Stops the worker now: pending calls reject; the next call starts a new one. */
  terminate(): void;
  /**
   * Raises KeyboardInterrupt in the running call, which resolves with it; globals are kept.
   * Without shared memory (a page that is not cross-origin isolated) the worker is restarted
   * instead: its calls reject with an error that says its state was lost.
   */
  interrupt(): void;
  /** Ends the worker (its calls reject) and starts a new one now; resolves when it is ready. */
  restart(): Promise<void>;
  /**
   * Python functions the worker exported (`@export`, `__export__`, `sync.NAME = f`):
   * `await w.exports.NAME(...args)`; a Python error rejects with its traceback.
   */
  readonly exports: Record<string, (...args: unknown[]) => Promise<unknown>>;
  /**
   * Assign page functions for Python's `sync.NAME(...)` (`w.sync.hello = fn`; async ones are
   * awaited); reading a name the page did not assign calls the worker's export, as PyScript does.
   */
  readonly sync: Record<string, PageFunction>;
  /** How Python's sync calls reach the page (see WorkerOptions.channel). */
  readonly channel: Channel;
  /** With the `timings` option: where the calls since the last reading spent their time; else undefined. */
  timings(): BridgeTimings | undefined;
}

/** The error an export call rejects with when Python raises. */
export interface PythonError extends Error {
  exception: PythonException;
}

export type AsyncRun = (script: string, context?: Context, options?: Omit<RunOptions, "context">) => Promise<RunResult>;
export type CreateWorker = (options?: WorkerOptions) => PyWorker;

export interface PoolOptions extends Omit<WorkerOptions, "name"> {
  /** How many workers; by default one per core (navigator.hardwareConcurrency). */
  size?: number;
}

/** Several workers with the same options; each call goes to the one with the fewest calls in flight. */
export interface PyPool {
  /** Resolves when every worker is ready. */
  readonly ready: Promise<void>;
  readonly workers: readonly PyWorker[];
  run(code: string, options?: RunOptions): Promise<RunResult>;
  /** `await pool.exports.NAME(...args)`: the export of whichever worker takes the call. */
  readonly exports: Record<string, (...args: unknown[]) => Promise<unknown>>;
  /** Interrupts every worker's running call. */
  interrupt(): void;
  terminate(): void;
}
export type CreatePool = (options?: PoolOptions) => PyPool;
/** Named workers: `await workers[name]` resolves to the worker once it is ready (even if made later). */
export type Workers = Readonly<Record<string, Promise<PyWorker>>>;
