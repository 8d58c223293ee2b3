// The page side of pyworker: createWorker and the seed's asyncRun.
//
// A PyWorker owns at most one live Connection (one Web Worker running one
// interpreter). When that worker dies, its calls are rejected and the next
// call starts a new Connection.

import { Outbox, type InitOptions, type Reply, type Request } from "./protocol";
import type { AsyncRun, CreateWorker, PyWorker, RunOptions, RunResult, WorkerOptions } from "./types";

export type * from "./types";

// Set by the server when it bundles this file (see runtime.go).
declare const PYWORKER_INDEX_URL: string;
declare const PYWORKER_ASSET_SIZES: Record<string, number>;

interface Pending {
  resolve(result: RunResult): void;
  reject(error: Error): void;
}

/** One Web Worker and the calls waiting on it. */
class Connection {
  readonly ready: Promise<void>;
  private readonly worker: Worker;
  private readonly outbox: Outbox<Request>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private started!: { resolve(): void; reject(error: Error): void };
  /** Why this connection can no longer be used; set once. */
  dead: Error | null = null;

  constructor(private readonly options: WorkerOptions) {
    this.ready = new Promise((resolve, reject) => (this.started = { resolve, reject }));
    this.ready.catch(() => {}); // observed through run() and PyWorker.ready
    this.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module", name: "pyworker" });
    this.worker.onmessage = (event: MessageEvent<Reply[]>) => {
      for (const reply of event.data) this.receive(reply);
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.die(`the worker failed: ${event.message || "an error the browser did not describe (is worker.js served?)"}`);
    };
    this.worker.onmessageerror = () => this.die("the worker sent a message the page could not read");
    this.outbox = new Outbox<Request>(
      (messages, transfer) => this.worker.postMessage(messages, transfer),
      (request, error) => this.refused(request, error),
    );
    const init: InitOptions = {
      indexURL: new URL(options.indexURL ?? PYWORKER_INDEX_URL, import.meta.url).href,
      packages: options.packages ?? [],
      assetSizes: PYWORKER_ASSET_SIZES,
      progress: options.onProgress !== undefined,
    };
    this.outbox.send({ type: "init", options: init });
  }

  run(code: string, options: RunOptions): Promise<RunResult> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<RunResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.outbox.send({ type: "run", id, code, context: options.context }, options.transfer);
    });
  }

  /** Ends the worker and rejects everything waiting on it. */
  die(reason: string): void {
    if (this.dead) return;
    this.dead = new Error(`pyworker: ${reason}`);
    this.worker.terminate();
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
        write(reply.text);
        break;
      }
      case "progress":
        this.options.onProgress?.(reply.progress);
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

  /** A request whose values the structured clone refused: say which value. */
  private refused(request: Request, error: unknown): void {
    if (request.type !== "run") return this.die(`could not send ${request.type}: ${error}`);
    const call = this.pending.get(request.id);
    this.pending.delete(request.id);
    const bad = Object.entries(request.context ?? {}).find(([, value]) => !cloneable(value));
    const what = bad ? `context value '${bad[0]}' (${describe(bad[1])})` : "the context";
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
  readonly ready: Promise<void>;

  constructor(private readonly options: WorkerOptions) {
    this.connection = new Connection(options);
    this.ready = this.connection.ready;
  }

  run(code: string, options: RunOptions = {}): Promise<RunResult> {
    if (this.connection.dead) this.connection = new Connection(this.options);
    return this.connection.run(code, options);
  }

  terminate(): void {
    this.connection.die("the worker was terminated");
  }
}

export const createWorker: CreateWorker = (options: WorkerOptions = {}) => new PythonWorker(options);

let defaultWorker: PyWorker | undefined;

/** The seed's call: runs `script` on a shared worker with `context` importable from `js`. */
export const asyncRun: AsyncRun = (script, context, options) =>
  (defaultWorker ??= createWorker()).run(script, { ...options, context });
