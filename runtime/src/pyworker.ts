// The page side of pyworker: createWorker and the seed's asyncRun.
//
// A PyWorker owns at most one live Connection (one Web Worker running one
// interpreter). When that worker dies, its calls are rejected and the next
// call starts a new Connection.

import {
  createChannelBuffer,
  encodeAnswer,
  SERVICE_WORKER_PATH,
  sharedMemoryAnswerer,
  type Answer,
  type Answerer,
  type ChannelSetup,
} from "./channel";
import { cancel, createInterruptBuffer, interruptRunning, runningCall } from "./interrupt";
import { createLane, sendByLane } from "./lane";
import { PageObjects } from "./pageobjects";
import { Outbox, type InitOptions, type Reply, type Request } from "./protocol";
import type {
  Archive,
  AsyncRun,
  Channel,
  CreatePool,
  CreateWorker,
  PageFunction,
  PoolOptions,
  PyPool,
  PyWorker,
  PythonError,
  RunOptions,
  RunResult,
  WorkerOptions,
  Workers,
} from "./types";

export type * from "./types";

// Set by the server when it bundles this file (see runtime.go).
declare const PYWORKER_INDEX_URL: string;
declare const PYWORKER_ASSET_SIZES: Record<string, number>;
/** Whether the server offers its service worker as the channel of pages that are not isolated. */
declare const PYWORKER_SERVICE_WORKER: boolean;

/** A call the page waits for; `make` builds its request for an id on a connection, so that a new worker can be sent it again. */
interface Pending {
  resolve(result: RunResult): void;
  reject(error: Error): void;
  make(id: number, connection: Connection): Request;
  transfer?: Transferable[];
}

/** How long a call may ignore an interrupt (busy in C, which never looks) before its worker is replaced. */
const DEFAULT_INTERRUPT_GRACE_MS = 2000;
/** How often the signal is raised again while an interrupted call goes on. */
const INTERRUPT_REPEAT_MS = 100;

/** One Web Worker and the calls waiting on it. */
class Connection {
  readonly ready: Promise<void>;
  /** Made once the channel is ready: a service worker must be active before the worker exists. */
  private worker: Worker | undefined;
  private readonly outbox: Outbox<Request>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private started!: { resolve(): void; reject(error: Error): void };
  /** Why this connection can no longer be used; set once. */
  dead: Error | null = null;

  /** Delivers the answers to the worker's questions; set once the channel is ready. */
  private answerer: Answerer | undefined;
  /** Whether the worker waits for an answer, and which question it is (an answer to an earlier one is dropped). */
  private asking = false;
  private question = 0;
  /** The request lane (see lane.ts), and how many messages went to the worker. */
  private readonly lane = globalThis.crossOriginIsolated ? createLane() : undefined;
  private posted = 0;
  /** How many messages came from the worker, and the question that waits for more (see sharedMemoryAnswerer). */
  private received = 0;
  private catchingUp: { posted: number; resolve(): void } | undefined;
  /** The interrupt buffer (see interrupt.ts), when the page has shared memory. */
  private readonly interruptBuffer = globalThis.crossOriginIsolated ? createInterruptBuffer() : undefined;
  /** The page objects this worker's Python holds (`window`, `document` and what it got from them). */
  readonly pageObjects = new PageObjects(
    (id, args) => this.outbox.send({ type: "callback", id, args }),
    (id, times) => this.outbox.send({ type: "forget", id, times }),
  );

  constructor(
    private readonly options: WorkerOptions,
    private readonly pageFunctions: Map<string, PageFunction>,
    readonly channel: Channel,
    /** Takes the calls not started yet when this worker is replaced for ignoring an interrupt. */
    private readonly replaced: (queued: Pending[]) => void,
  ) {
    this.ready = new Promise((resolve, reject) => (this.started = { resolve, reject }));
    this.ready.catch(() => {}); // observed through run() and PyWorker.ready
    this.outbox = new Outbox<Request>(
      (messages, transfer) => {
        if (this.lane !== undefined && transfer.length === 0 && sendByLane(this.lane, messages, this.posted)) return;
        this.worker!.postMessage(messages, transfer);
        this.posted++;
      },
      (request, error) => this.refused(request, error),
    );
    this.outbox.pause();
    this.setUpChannel().then(
      (setup) => this.start(setup),
      (error: Error) => this.die(`the ${channel} channel could not start: ${error.message ?? error}`),
    );
  }

  /** Makes the channel's parts: the worker's (the setup it is sent) and the page's (the answerer). */
  private async setUpChannel(): Promise<ChannelSetup> {
    switch (this.channel) {
      case "shared-memory": {
        const buffer = createChannelBuffer();
        this.answerer = sharedMemoryAnswerer(
          buffer,
          (question) => this.receive(question as Reply),
          (posted) => (posted <= this.received ? undefined : new Promise((resolve) => (this.catchingUp = { posted, resolve }))),
        );
        return { kind: "shared-memory", buffer };
      }
      case "jspi":
        this.answerer = { deliver: (answer) => this.outbox.send({ type: "answer", answer }, [answer.buffer]) };
        return { kind: "jspi" };
      case "service-worker": {
        const registration = await registerServiceWorker();
        const id = crypto.randomUUID();
        this.answerer = { deliver: (answer) => registration.active?.postMessage({ channel: id, answer }, [answer.buffer]) };
        return { kind: "service-worker", url: new URL(`./${SERVICE_WORKER_PATH}?channel=${id}`, import.meta.url).href };
      }
      case "none":
        return { kind: "none" };
    }
  }

  private start(channel: ChannelSetup): void {
    if (this.dead) return;
    const { options } = this;
    this.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "pyworker" });
    this.worker.onmessage = (event: MessageEvent<Reply[]>) => {
      for (const reply of event.data) this.receive(reply);
      this.received++;
      if (this.catchingUp !== undefined && this.received >= this.catchingUp.posted) {
        this.catchingUp.resolve();
        this.catchingUp = undefined;
      }
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.die(`the worker failed: ${event.message || "an error the browser did not describe (is worker.js served?)"}`);
    };
    this.worker.onmessageerror = () => this.die("the worker sent a message the page could not read");
    const init: InitOptions = {
      indexURL: new URL(options.indexURL ?? PYWORKER_INDEX_URL, import.meta.url).href,
      packages: options.packages ?? [],
      assetSizes: PYWORKER_ASSET_SIZES,
      progress: options.onProgress !== undefined,
      channel,
      interrupt: this.interruptBuffer?.buffer as SharedArrayBuffer | undefined,
      lane: this.lane,
      src: options.src === undefined ? undefined : new URL(options.src, location.href).href,
      archive: options.archive,
    };
    this.outbox.send({ type: "init", options: init });
    this.outbox.resume();
  }

  run(code: string, options: RunOptions): Promise<RunResult> {
    const { signal, timeout } = options;
    if (signal?.aborted) return Promise.reject(new Error("pyworker: the call was aborted before it started"));
    // Where the call is: a worker replaced after a hang hands its queued calls to the next one.
    let id = 0;
    let at: Connection = this;
    const result = this.request((n, connection) => ((id = n), (at = connection), { type: "run", id, code, context: options.context }), options.transfer);
    if (signal === undefined && timeout === undefined) return result;
    const abort = () => at.stop(id, "aborted");
    const timer = timeout === undefined ? undefined : setTimeout(() => at.stop(id, `timed out after ${timeout} ms`), timeout);
    signal?.addEventListener("abort", abort, { once: true });
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
    };
    result.then(done, done);
    return result;
  }

  /**
   * Stops call `id`: a running call gets KeyboardInterrupt (and resolves with
   * it) through shared memory; without it the worker is restarted. A call
   * still queued is dropped and rejects.
   */
  private stop(id: number, why: string): void {
    const call = this.pending.get(id);
    if (call === undefined) return;
    const buffer = this.interruptBuffer;
    const running = buffer !== undefined ? runningCall(buffer) === id : Math.min(...this.pending.keys()) === id;
    if (!running) {
      this.pending.delete(id);
      if (buffer !== undefined) cancel(buffer, id);
      this.outbox.send({ type: "cancel", id });
      call.reject(new Error(`pyworker: the call was ${why} before it started`));
    } else if (buffer !== undefined) {
      interruptRunning(buffer);
      // A worker waiting for an answer (input(), a sync call) stops waiting; the worker then raises the KeyboardInterrupt.
      if (this.asking) this.wakeWorker(`the call was ${why}`);
      this.replaceIfStillRunning(id, why);
    } else if (this.asking) {
      // No shared memory, but the worker waits on the channel (input(), a sync call, a sleep): the answer interrupts it.
      this.wakeWorker(`the call was ${why}`);
    } else {
      this.die(`the call was ${why}: without shared memory (the page is not cross-origin isolated) the worker could only be restarted, and its state was lost`);
    }
  }

  /**
   * Python sees an interrupt only between bytecodes: a long call into C
   * (a huge sum(), a regular expression that backtracks) goes on. Past the
   * grace period the worker is replaced: the call rejects saying so, and
   * the calls queued behind it go to the new worker. Until then the signal
   * is raised again every INTERRUPT_REPEAT_MS: Pyodide reads and resets the
   * buffer in two steps, and loses a signal written between them.
   */
  private replaceIfStillRunning(id: number, why: string): void {
    const grace = this.options.interruptGrace ?? DEFAULT_INTERRUPT_GRACE_MS;
    const deadline = performance.now() + grace;
    const check = () => {
      if (this.dead || !this.pending.has(id)) return;
      if (performance.now() < deadline) {
        if (runningCall(this.interruptBuffer!) === id) interruptRunning(this.interruptBuffer!);
        setTimeout(check, Math.min(INTERRUPT_REPEAT_MS, deadline - performance.now()));
        return;
      }
      const queued = [...this.pending].filter(([other]) => other !== id);
      for (const [other] of queued) this.pending.delete(other);
      this.die(`the call was ${why} but did not stop within ${grace} ms (busy outside Python, in a long call into C?): the worker was restarted and its state was lost`);
      this.replaced(queued.map(([, call]) => call));
    };
    setTimeout(check, Math.min(INTERRUPT_REPEAT_MS, grace));
  }

  /** Raises KeyboardInterrupt in the running call; without shared memory, restarts the worker. */
  interrupt(): void {
    const running = Math.min(...this.pending.keys());
    if (Number.isFinite(running)) this.stop(this.interruptBuffer !== undefined ? runningCall(this.interruptBuffer) : running, "interrupted");
  }

  /** Calls the worker's exported function: resolves to its value, rejects with its Python error. */
  async callExport(name: string, args: unknown[]): Promise<unknown> {
    const result = await this.request((id) => ({ type: "export", id, name, args }));
    if (result.exception === undefined) return result.results;
    const error = new Error(result.error) as PythonError;
    error.name = result.exception.type;
    error.exception = result.exception;
    throw error;
  }

  private request(make: Pending["make"], transfer?: Transferable[]): Promise<RunResult> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<RunResult>((resolve, reject) => this.send({ resolve, reject, make, transfer }));
  }

  /** Sends a call to this worker (again, if another worker had it queued). */
  send(call: Pending): void {
    const id = this.nextId++;
    this.pending.set(id, call);
    this.outbox.send(call.make(id, this), call.transfer);
  }

  /** Ends the worker and rejects everything waiting on it. */
  die(reason: string): void {
    if (this.dead) return;
    this.dead = new Error(`pyworker: ${reason}`);
    this.worker?.terminate();
    this.answerer?.close?.();
    // Wakes what waits for the answer (the service worker holds a request).
    this.wakeWorker(this.dead.message);
    this.started.reject(this.dead);
    for (const call of this.pending.values()) call.reject(this.dead);
    this.pending.clear();
  }

  private receive(reply: Reply): void {
    switch (reply.type) {
      case "result": {
        const call = this.pending.get(reply.id);
        this.pending.delete(reply.id);
        const { type, id, ...result } = reply;
        call?.resolve(result);
        break;
      }
      case "output": {
        const write = reply.stream === "stdout" ? this.options.stdout ?? console.log : this.options.stderr ?? console.error;
        for (const line of reply.lines) write(line);
        break;
      }
      case "progress":
        this.options.onProgress?.(reply.progress);
        break;
      case "call":
        this.answer(() => this.callPageFunction(reply.name, reply.args));
        break;
      case "input":
        this.answer(() => this.readLine(reply.prompt));
        break;
      case "sleep":
        this.answer(() => new Promise((resolve) => setTimeout(resolve, reply.ms)));
        break;
      case "page":
        this.answer(() => {
          const wire = this.pageObjects.perform(reply.op);
          return "value" in wire ? wire.value : wire; // a primitive as it is, a reference as {ref, callable}
        });
        if (reply.released !== undefined) this.pageObjects.release(reply.released);
        break;
      case "resend":
        this.answerer?.resend?.(reply.buffer);
        break;
      case "ready":
        this.started.resolve();
        break;
      case "failed":
        this.die(`the interpreter could not start: ${reply.message}`);
        break;
      case "fatal":
        this.die(`the interpreter died (${reply.message}); the next call starts a new one`);
        break;
    }
  }

  /**
   * Answers the worker, which waits on the channel, with what `work` returns
   * or throws: at once when it is not a promise, else when it settles.
   */
  private answer(work: () => unknown): void {
    this.asking = true;
    const question = ++this.question;
    const send = (answer: Answer) => {
      if (this.dead || question !== this.question || !this.asking) return;
      this.asking = false;
      this.answerer!.deliver(encodeAnswer(answer));
    };
    const failed = (error: unknown) =>
      send({ error: { name: (error as Error)?.name ?? "Error", message: String((error as Error)?.message ?? error) } });
    try {
      const value = work();
      if (value instanceof Promise) value.then((v) => send({ value: v }), failed);
      else send({ value });
    } catch (error) {
      failed(error);
    }
  }

  /** Ends the worker's wait for an answer with an error, if it waits. */
  private wakeWorker(message: string): void {
    if (!this.asking) return;
    this.asking = false;
    this.answerer?.deliver(encodeAnswer({ error: { name: "KeyboardInterrupt", message } }));
  }

  /** Python's `input(prompt)`: the prompt goes to stdout, then the `stdin` option gives the line (null: end of input). */
  private readLine(prompt: string): unknown {
    if (prompt !== "") (this.options.stdout ?? console.log)(prompt);
    const stdin = this.options.stdin;
    if (stdin === undefined) {
      const error = new Error("input() has nothing to read: give createWorker a stdin function");
      error.name = "EOFError";
      throw error;
    }
    const line = (value: string | null | undefined) => (value === null || value === undefined ? null : String(value).replace(/\r?\n$/, ""));
    const value = stdin(prompt);
    return value instanceof Promise ? value.then(line) : line(value);
  }

  /** Python's `sync.NAME(...)`. */
  private callPageFunction(name: string, args: unknown[]): unknown {
    const fn = this.pageFunctions.get(name);
    if (fn !== undefined) return fn(...args);
    const names = [...this.pageFunctions.keys()].join(", ") || "none";
    const error = new Error(`the page has no sync function '${name}' (it has: ${names})`);
    error.name = "AttributeError";
    throw error;
  }

  /** A request whose values the structured clone refused: say which value. */
  private refused(request: Request, error: unknown): void {
    if (request.type !== "run" && request.type !== "export") return this.die(`could not send ${request.type}: ${error}`);
    const call = this.pending.get(request.id);
    this.pending.delete(request.id);
    const values = request.type === "run" ? Object.entries(request.context ?? {}) : request.args.map((v, i) => [`argument ${i + 1}`, v]);
    const bad = values.find(([, value]) => !cloneable(value));
    const what = bad ? (request.type === "run" ? `context value '${bad[0]}'` : bad[0]) + ` (${describe(bad[1])})` : "a value";
    call?.reject(new TypeError(`pyworker: ${what} cannot be sent to the worker: ${(error as Error).message ?? error}`));
  }
}

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

function describe(value: unknown): string {
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "a symbol";
  return `a ${Object.prototype.toString.call(value).slice(8, -1)}`;
}

class PythonWorker implements PyWorker {
  private connection: Connection;
  private readonly pageFunctions = new Map<string, PageFunction>();

  readonly exports = new Proxy({} as PyWorker["exports"], {
    get: (_, name) => (typeof name === "string" && name !== "then" ? this.exportCaller(name) : undefined),
  });

  readonly sync = new Proxy({} as PyWorker["sync"], {
    get: (_, name) => {
      if (typeof name !== "string" || name === "then") return undefined;
      return this.pageFunctions.get(name) ?? this.exportCaller(name);
    },
    set: (_, name, fn) => {
      if (typeof name !== "string" || typeof fn !== "function") return false;
      this.pageFunctions.set(name, fn);
      return true;
    },
  });

  /** How Python's sync calls reach the page: the fastest channel this page has, unless the options name one. */
  readonly channel: Channel;

  private readonly options: WorkerOptions;

  constructor(options: WorkerOptions) {
    this.channel = chooseChannel(options.channel);
    this.options = { ...options, archive: options.archive && archiveOf(options.archive) };
    for (const [name, fn] of Object.entries(options.sync ?? {})) this.pageFunctions.set(name, fn);
    this.connection = this.connect();
  }

  /** The current interpreter's start: after a replacement, the new one's. */
  get ready(): Promise<void> {
    return this.connection.ready;
  }

  private live(): Connection {
    if (this.connection.dead) this.connection = this.connect();
    return this.connection;
  }

  private connect(): Connection {
    return new Connection(this.options, this.pageFunctions, this.channel, (queued) => {
      const connection = this.live();
      for (const call of queued) connection.send(call);
    });
  }

  private exportCaller(name: string) {
    return (...args: unknown[]) => this.live().callExport(name, args);
  }

  run(code: string, options: RunOptions = {}): Promise<RunResult> {
    return this.live().run(code, options);
  }

  terminate(): void {
    this.connection.die("the worker was terminated");
  }

  interrupt(): void {
    this.connection.interrupt();
  }

  restart(): Promise<void> {
    this.connection.die("the worker was restarted");
    return this.live().ready;
  }
}

/** The channels this page can have, fastest first (see channel.ts). */
function availableChannels(): Channel[] {
  const available: Channel[] = [];
  if (globalThis.crossOriginIsolated) available.push("shared-memory");
  if (typeof (WebAssembly as { Suspending?: unknown }).Suspending === "function") available.push("jspi");
  if ("serviceWorker" in navigator) available.push("service-worker");
  return [...available, "none"];
}

function chooseChannel(wanted: Channel | undefined): Channel {
  const available = availableChannels();
  if (wanted === undefined) return available.find((kind) => kind !== "service-worker" || PYWORKER_SERVICE_WORKER)!;
  if (available.includes(wanted)) return wanted;
  throw new TypeError(`pyworker: the channel "${wanted}" is not available on this page; it has: ${available.join(", ")}`);
}

// The service worker (sw.ts), registered once per page, for the service-worker
// channel. Its scope is the runtime's folder: the worker's requests are all
// it must see.
let serviceWorker: Promise<ServiceWorkerRegistration> | undefined;

function registerServiceWorker(): Promise<ServiceWorkerRegistration> {
  return (serviceWorker ??= (async () => {
    const registration = await navigator.serviceWorker.register(new URL("./sw.js", import.meta.url), {
      scope: new URL("./", import.meta.url).href,
    });
    const installing = registration.installing ?? registration.waiting;
    if (installing !== null) {
      await new Promise<void>((resolve, reject) =>
        installing.addEventListener("statechange", () => {
          if (installing.state === "activated") resolve();
          if (installing.state === "redundant") reject(new Error("the service worker failed to install"));
        }),
      );
    }
    return registration;
  })());
}

export const createWorker: CreateWorker = (options: WorkerOptions = {}) => {
  const worker = new PythonWorker(options);
  if (options.name !== undefined) named(options.name).resolve(worker.ready.then(() => worker));
  return worker;
};

export const createPool: CreatePool = (options: PoolOptions = {}) => new Pool(options);

class Pool implements PyPool {
  readonly workers: PythonWorker[];
  /** Calls in flight on each worker: the next goes to the least busy. */
  private readonly inFlight: number[];

  constructor({ size = navigator.hardwareConcurrency || 2, ...options }: PoolOptions) {
    if (!Number.isInteger(size) || size < 1) throw new TypeError(`pyworker: createPool needs a size of 1 or more, not ${size}`);
    this.workers = Array.from({ length: size }, () => new PythonWorker(options));
    this.inFlight = this.workers.map(() => 0);
  }

  get ready(): Promise<void> {
    return Promise.all(this.workers.map((worker) => worker.ready)).then(() => {});
  }

  readonly exports = new Proxy({} as PyPool["exports"], {
    get: (_, name) => (typeof name === "string" && name !== "then" ? (...args: unknown[]) => this.spread((worker) => worker.exports[name]!(...args)) : undefined),
  });

  run(code: string, options?: RunOptions): Promise<RunResult> {
    return this.spread((worker) => worker.run(code, options));
  }

  /** Gives the call to the worker with the fewest in flight (a dead one is replaced as it takes it). */
  private spread<T>(call: (worker: PythonWorker) => Promise<T>): Promise<T> {
    const index = this.inFlight.indexOf(Math.min(...this.inFlight));
    this.inFlight[index]!++;
    const done = () => void this.inFlight[index]!--;
    const result = call(this.workers[index]!);
    result.then(done, done);
    return result;
  }

  interrupt(): void {
    for (const worker of this.workers) worker.interrupt();
  }

  terminate(): void {
    for (const worker of this.workers) worker.terminate();
  }
}

// Named workers: one promise per name, made by whichever comes first, the
// worker or someone waiting for it.
const namedWorkers = new Map<string, { promise: Promise<PyWorker>; resolve(worker: Promise<PyWorker>): void }>();

function named(name: string) {
  let entry = namedWorkers.get(name);
  if (entry === undefined) {
    let resolve!: (worker: Promise<PyWorker>) => void;
    const promise = new Promise<PyWorker>((r) => (resolve = r));
    entry = { promise, resolve };
    namedWorkers.set(name, entry);
  }
  return entry;
}

/** `await workers[name]`: the named worker, once ready. */
export const workers: Workers = new Proxy({} as Workers, {
  get: (_, name) => (typeof name === "string" && name !== "then" ? named(name).promise : undefined),
});

/** The archive formats Python's shutil knows, by file name ending. */
const ARCHIVE_FORMATS: Record<string, string> = { ".zip": "zip", ".tar": "tar", ".tar.gz": "gztar", ".tgz": "gztar", ".tar.bz2": "bztar", ".tar.xz": "xztar" };

/** The `archive` option with its URL absolute and its format known (from the URL's ending if not given). */
function archiveOf(archive: Archive): Archive {
  const url = new URL(archive.url, location.href);
  const formats = Object.values(ARCHIVE_FORMATS);
  const format = archive.format ?? Object.entries(ARCHIVE_FORMATS).find(([ending]) => url.pathname.toLowerCase().endsWith(ending))?.[1];
  if (format === undefined || !formats.includes(format)) {
    const why = format === undefined ? "its format cannot be told from the URL" : `its format ${JSON.stringify(format)} is unknown`;
    throw new TypeError(`pyworker: archive ${archive.url}: ${why}; give archive.format, one of ${[...new Set(formats)].join(", ")}`);
  }
  return { ...archive, url: url.href, format };
}

/** Starts a worker for each `<script type="py-worker" src="…" name="…" packages="a, b">` in the page. */
function startScriptWorkers(): void {
  for (const script of document.querySelectorAll<HTMLScriptElement>('script[type="py-worker"]:not([data-started])')) {
    script.dataset.started = "";
    const packages = script.getAttribute("packages")?.split(",").map((p) => p.trim()).filter(Boolean);
    const src = script.getAttribute("src") ?? "data:text/x-python;charset=utf-8," + encodeURIComponent(script.textContent ?? "");
    createWorker({ src, name: script.getAttribute("name") ?? undefined, packages });
  }
}

if (typeof document !== "undefined") {
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startScriptWorkers);
  else startScriptWorkers();
}

let defaultWorker: PyWorker | undefined;

/** The seed's call: runs `script` on a shared worker with `context` importable from `js`. */
export const asyncRun: AsyncRun = (script, context, options) =>
  (defaultWorker ??= createWorker()).run(script, { ...options, context });
