// The worker's watch over Pyodide's start: the phase it has reached, the
// progress the page asked for, and the first failure, which ends the start.
// Pyodide only logs a failed instantiation of its wasm and loadPyodide never
// settles, so the watch sees the failures itself: an asset that cannot be
// fetched or read, a wasm that does not instantiate, an error left uncaught.
// It also compiles the wasm as soon as its response comes (while a snapshot
// downloads), or hands Pyodide the one a worker of the page compiled.

/// <reference lib="webworker" />

import type { InitOptions, WorkerToPage } from "./protocol";
import type { Phase, Progress } from "./types";

declare const self: DedicatedWorkerGlobalScope;

export class LoadWatch {
  phase: Phase = "download";
  /** Pyodide's wasm compiled already (by another worker of the page): instantiated rather than fetched and compiled. */
  compiled: WebAssembly.Module | undefined;
  /** The bytes the wasm's memory must hold at least: a snapshot's, which Pyodide 314 cannot grow it for (pyodide#6254). */
  memoryBytes = 0;
  /** The wasm compiled for this start, once instantiated, for later workers of the page. */
  module: WebAssembly.Module | undefined;
  /** Reports the phase to the page, when it wants progress, with a message if there is one (a failed phase has one). */
  private readonly progress: ((message?: string) => void) | undefined;
  private readonly stopWatchingUncaught: () => void;

  constructor(
    options: InitOptions,
    /** Sends a reply to the page. */
    private readonly send: (reply: WorkerToPage) => void,
  ) {
    const total = Object.values(options.assetSizes).reduce((a, b) => a + b, 0);
    this.total = total;
    if (options.progress) {
      this.progress = (message) => {
        const { phase } = this;
        if (phase === "failed" && message === undefined) return; // a download may go on after the start failed
        const report: Progress = { phase, loaded: phase === "ready" ? total : Math.min(this.bytesLoaded, total), total };
        if (message !== undefined) report.message = message;
        send({ type: "progress", progress: report });
      };
      this.progress();
    }
    const fetch = self.fetch;
    self.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const name = url.startsWith(options.indexURL) ? url.slice(options.indexURL.length) : "";
      if (!(name in options.assetSizes)) return fetch(input, init);
      const wasm = name.endsWith(".wasm");
      if (wasm && this.compiled !== undefined) return compiledAlready();
      const response = await fetch(input, init).catch((error: unknown) => {
        this.fail(`fetching ${url}: the request failed (${error})`);
        throw error;
      });
      if (!response.ok) {
        this.fail(`fetching ${url}: ${response.status} ${response.statusText}`.trimEnd());
        return response;
      }
      // The other assets are remade so that a failed read names them. A remade wasm loses its code
      // cache: without progress it goes as it came, and a failed read fails its compile.
      const watched = response.body === null || (!options.progress && wasm) ? response : this.watch(response, url);
      if (!wasm) return watched;
      // Compiled now, while the rest loads (a snapshot, above all), rather than when Pyodide instantiates it.
      this.compiling = this.compile(watched, url);
      this.compiling.catch(() => {}); // failed already, saying why
      return compiledAlready();
    };
    WebAssembly.instantiateStreaming = async (source, imports) => {
      const response = await source;
      let result: WebAssembly.WebAssemblyInstantiatedSource;
      try {
        const module = this.compiled ?? (await (this.compiling ?? this.compile(response, response.url)));
        result = { module, instance: await WebAssembly.instantiate(module, imports) };
      } catch (error) {
        this.fail(`loading ${this.wasmURL}: ${whyNotInstantiated(error)}`);
        throw error;
      }
      this.module = result.module;
      const memory = result.instance.exports.memory;
      if (memory instanceof WebAssembly.Memory && memory.buffer.byteLength < this.memoryBytes) {
        memory.grow(Math.ceil((this.memoryBytes - memory.buffer.byteLength) / WASM_PAGE_BYTES));
      }
      this.reach(this.memoryBytes > 0 ? "restore" : "start");
      return result;
    };
    const uncaught = (event: ErrorEvent | PromiseRejectionEvent) => {
      if (this.phase === "failed") return;
      event.preventDefault();
      this.fail(String("reason" in event ? event.reason : (event.error ?? event.message)));
    };
    self.addEventListener("error", uncaught);
    self.addEventListener("unhandledrejection", uncaught);
    this.stopWatchingUncaught = () => {
      self.removeEventListener("error", uncaught);
      self.removeEventListener("unhandledrejection", uncaught);
    };
  }

  /** Bytes of the assets loaded so far, of total; at `reported` the last progress event went. */
  private bytesLoaded = 0;
  private reported = 0;
  private readonly total: number;
  /** The wasm being compiled, as soon as its response came. */
  private compiling: Promise<WebAssembly.Module> | undefined;
  private wasmURL = "the wasm";

  /** The response, remade so that its bytes are counted and a failed read names it. */
  private watch(response: Response, url: string): Response {
    const reader = response.body!.getReader();
    const body = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const chunk = await reader.read().catch((error: unknown) => {
          this.fail(`fetching ${url}: the download broke off (${error})`);
          throw error;
        });
        if (chunk.done) return controller.close();
        this.bytesLoaded += chunk.value.byteLength;
        if (this.bytesLoaded - this.reported > this.total / 100) {
          this.reported = this.bytesLoaded;
          this.progress?.();
        }
        controller.enqueue(chunk.value);
      },
      cancel: (reason) => reader.cancel(reason),
    });
    const { status, statusText, headers } = response;
    return new Response(body, { status, statusText, headers });
  }

  /** Compiles the wasm from its response; a failure fails the start, saying why. */
  private async compile(response: Response, url: string): Promise<WebAssembly.Module> {
    this.wasmURL = url;
    this.reach("compile");
    const type = response.headers.get("Content-Type") ?? "no content type";
    if (response.ok && !/^application\/wasm\s*(;|$)/i.test(type)) {
      // Engines refuse it, each in its own words, and Pyodide does not fall back.
      this.fail(`loading ${url}: it is served as ${type}; browsers compile WebAssembly only from application/wasm`);
    }
    try {
      return await WebAssembly.compileStreaming(response);
    } catch (error) {
      this.fail(`loading ${url}: ${whyNotInstantiated(error)}`);
      throw error;
    }
  }

  /**
   * Pyodide has loaded: from now on user code (src) runs, and what it leaves
   * uncaught is not the interpreter's failure.
   */
  loaded(): void {
    this.stopWatchingUncaught();
  }

  /** Tells the page something of this start, without changing its phase. */
  note(message: string): void {
    if (this.phase !== "failed") this.progress?.(message);
  }

  /** Moves to phase `next` and reports it; a failed start stays failed. */
  reach(next: Phase): void {
    if (this.phase === "failed") return;
    this.phase = next;
    this.progress?.();
  }

  /** Fails the start, once: the page rejects `ready` and every call with `reason`, and ends this worker. */
  fail(reason: string): void {
    if (this.phase === "ready" || this.phase === "failed") return;
    this.phase = "failed";
    this.progress?.(reason);
    this.send({ type: "failed", message: reason });
  }
}

const WASM_PAGE_BYTES = 65536;

/**
 * Says why the wasm did not instantiate, in the same words on every engine
 * (theirs differ: Firefox reports a truncated module as out of memory).
 */
function whyNotInstantiated(error: unknown): string {
  // A failed read of the stream: a TypeError, or Firefox's AbortError.
  if (error instanceof TypeError || error instanceof DOMException) return `the download broke off (${error})`;
  if (error instanceof WebAssembly.LinkError) return `it does not fit this Pyodide (${error})`;
  return `it did not compile as WebAssembly (${error})`;
}

/** What Pyodide gets for its wasm when pyworker has compiled it (or is compiling it): it needs no bytes. */
function compiledAlready(): Response {
  return new Response(null, { headers: { "Content-Type": "application/wasm" } });
}
