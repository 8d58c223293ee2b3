// createWorker, and a PyWorker as the page holds it: its options, its page
// functions, and the Connection to its current Web Worker, replaced when that
// worker dies.

import { hasSharedMemory } from "../shared/channel";
import { interpreterNamed, lacking, type Abilities, type InterpreterRecord } from "../shared/interpreters";
import { Connection } from "./connection";
import { named } from "./named";
import type { Archive, BridgeTimings, Channel, CreateWorker, PageFunction, PyWorker, RunOptions, RunResult, WorkerOptions } from "../shared/types";

const MOVED_WITH_TRANSFER =
  "pyworker: the call waited behind one that would not stop, and its worker was replaced; the buffers it " +
  "transferred went with that worker, so it cannot run on the new one: call it again with new buffers";

/** A new worker; a named one is also `await workers[name]` once ready. */
export const createWorker: CreateWorker = (options: WorkerOptions = {}) => {
  const worker = new PythonWorker(options);
  if (options.name !== undefined) named(options.name).resolve(worker.ready.then(() => worker));
  return worker;
};

/** Whether the server offers its service worker as the channel of pages that are not isolated. */
declare const PYWORKER_SERVICE_WORKER: boolean;

export class PythonWorker implements PyWorker {
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
    const interpreter = checkInterpreter(options);
    this.channel = chooseChannel(options.channel, interpreter);
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
      for (const call of queued) {
        // What was transferred went to the old worker and is gone with it: there is nothing to send again.
        if (call.transfer !== undefined && call.transfer.length > 0) call.reject(new Error(MOVED_WITH_TRANSFER));
        else connection.send(call);
      }
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

  timings(): BridgeTimings | undefined {
    return this.connection.timings?.read();
  }

  restart(): Promise<void> {
    this.connection.die("the worker was restarted");
    return this.live().ready;
  }
}

/** The channels this page can have, fastest first (see channel.ts). */
function availableChannels(): Channel[] {
  const available: Channel[] = [];
  if (hasSharedMemory()) available.push("shared-memory");
  if (typeof (WebAssembly as { Suspending?: unknown }).Suspending === "function") available.push("jspi");
  if ("serviceWorker" in navigator) available.push("service-worker");
  return [...available, "none"];
}

/** The channel for the worker: the one wanted, or the fastest; one that cannot suspend has no JSPI. */
function chooseChannel(wanted: Channel | undefined, interpreter: InterpreterRecord): Channel {
  const available = availableChannels().filter((kind) => interpreter.suspends || kind !== "jspi");
  if (wanted === undefined) return available.find((kind) => kind !== "service-worker" || PYWORKER_SERVICE_WORKER)!;
  if (available.includes(wanted)) return wanted;
  if (!interpreter.suspends && wanted === "jspi") throw new TypeError(`pyworker: a ${interpreter.title} worker cannot take the "jspi" channel (it cannot suspend); this page has: ${available.join(", ")}`);
  throw new TypeError(`pyworker: the channel "${wanted}" is not available on this page; it has: ${available.join(", ")}`);
}

/** The options that need an ability, and which. */
const NEEDS: { option: "packages" | "archive"; ability: keyof Abilities }[] = [
  { option: "packages", ability: "packages" },
  { option: "archive", ability: "archives" },
];

/** The interpreter's record; refuses an unknown one, and an option it cannot take yet. */
function checkInterpreter(options: WorkerOptions): InterpreterRecord {
  const interpreter = interpreterNamed(options.interpreter);
  for (const { option, ability } of NEEDS) {
    if (options[option] !== undefined && !interpreter[ability]) throw new TypeError(`pyworker: ${lacking(interpreter, ability, `the ${option} option needs`)}`);
  }
  return interpreter;
}

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
