// The worker's watch over Pyodide's start: the phase it has reached, the
// progress the page asked for, and the first failure, which ends the start.
// Pyodide only logs a failed instantiation of its wasm and loadPyodide never
// settles, so the watch sees the failures itself: an asset that cannot be
// fetched or read, a wasm that does not instantiate, an error left uncaught.

/// <reference lib="webworker" />

import type { InitOptions, WorkerToPage } from "../shared/protocol";
import type { Phase, Progress } from "../shared/types";

declare const self: DedicatedWorkerGlobalScope;

export class LoadWatch {
  phase: Phase = "download";
  /** The bytes the wasm's memory must hold at least: a snapshot's, which Pyodide 314 cannot grow it for (pyodide#6254). */
  memoryBytes = 0;
  /** The wasm compiled for this start, once instantiated, for later workers of the page. */
  module: WebAssembly.Module | undefined;
  /**
   * Pyodide's wasm: the one another worker of the page compiled, or this
   * start's, compiled as it downloads from the start's first moment, while
   * Pyodide's script loads; undefined when the server named no wasm (Pyodide
   * then fetches it itself).
   */
  private readonly compiled: Promise<WebAssembly.Module> | undefined;
  /** Whether the page wants progress. */
  private wantsProgress: boolean;
  /** The bytes of the assets, and those downloaded so far. */
  private readonly total: number;
  private downloaded = 0;
  /** Why the start failed, once it has. */
  private failure = "";
  private readonly stopWatchingUncaught: () => void;

  constructor(
    options: Pick<InitOptions, "indexURL" | "assetSizes" | "progress" | "wasm">,
    /** Sends a reply to the page; a warm spare's start has no page yet (see adopt). */
    private send?: (reply: WorkerToPage) => void,
  ) {
    this.total = Object.values(options.assetSizes).reduce((a, b) => a + b, 0);
    this.wantsProgress = options.progress;
    this.progress();
    let last = 0;
    const fetch = self.fetch;
    const download = async (url: string): Promise<Response> => {
      const response = await fetch(url).catch((error: unknown) => {
        this.fail(`fetching ${url}: the request failed (${error})`);
        throw error;
      });
      if (!response.ok) this.fail(`fetching ${url}: ${response.status} ${response.statusText}`.trimEnd());
      if (response.body === null) return response;
      // The other assets are remade so that a failed read names them. A remade wasm would lose its
      // code cache: without progress it goes as it came, and a copy of its body read alongside names
      // a broken download (Firefox ESR 140 may never settle a streaming compile whose download broke off).
      if (!options.progress && url.endsWith(".wasm")) {
        void this.watchForBreak(response.clone(), url);
        return response;
      }
      const reader = response.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          const chunk = await reader.read().catch((error: unknown) => {
            this.brokeOff(url, error);
            throw error;
          });
          if (chunk.done) return controller.close();
          this.downloaded += chunk.value.byteLength;
          if (this.downloaded - last > this.total / 100) {
            last = this.downloaded;
            this.progress();
          }
          controller.enqueue(chunk.value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      const { status, statusText, headers } = response;
      const watched = new Response(body, { status, statusText, headers });
      return watched;
    };
    // Every asset starts downloading now, not once Pyodide's 1.2 MB script has loaded and asks.
    const early = new Map<string, Promise<Response>>();
    for (const name of Object.keys(options.assetSizes)) {
      if (name.endsWith(".wasm")) continue;
      const response = download(options.indexURL + name);
      response.catch(() => {}); // failed already, saying why; Pyodide may not have asked yet
      early.set(name, response);
    }
    const wasmURL = options.indexURL + WASM;
    this.compiled = options.wasm !== undefined ? Promise.resolve(options.wasm) : WASM in options.assetSizes ? this.compile(download(wasmURL), wasmURL) : undefined;
    this.compiled?.catch(() => {}); // failed already, saying why
    self.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const name = url.startsWith(options.indexURL) ? url.slice(options.indexURL.length) : "";
      if (!(name in options.assetSizes)) return fetch(input, init);
      if (name === WASM && this.compiled !== undefined) return new Response(null, { headers: { "Content-Type": "application/wasm" } }); // not needed
      const response = early.get(name);
      early.delete(name); // a second start (after a failed restore) downloads again
      return response ?? download(url);
    };
    const instantiate = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async (source, imports) => {
      this.reach("compile");
      let result: WebAssembly.WebAssemblyInstantiatedSource;
      if (this.compiled === undefined) result = await instantiate(this.checked(await source, wasmURL), imports).catch((error) => this.failInstantiation(wasmURL, error));
      else {
        const module = await this.compiled;
        result = { module, instance: await WebAssembly.instantiate(module, imports).catch((error) => this.failInstantiation(wasmURL, error)) };
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

  /** Reads a copy of a response's body to its end, failing the start if the download breaks off. */
  private async watchForBreak(copy: Response, url: string): Promise<void> {
    const reader = copy.body!.getReader();
    for (;;) {
      const chunk = await reader.read().catch((error: unknown) => {
        this.brokeOff(url, error);
        return { done: true };
      });
      if (chunk.done) return;
    }
  }

  private brokeOff(url: string, error: unknown): void {
    this.fail(`fetching ${url}: the download broke off (${error})`);
  }

  /** Compiles the wasm as it downloads. */
  private async compile(download: Promise<Response>, url: string): Promise<WebAssembly.Module> {
    return WebAssembly.compileStreaming(this.checked(await download, url)).catch((error) => this.failInstantiation(url, error));
  }

  /** The wasm's response, failing the start if it is not served as WebAssembly: engines refuse it, each in its own words. */
  private checked(response: Response, url: string): Response {
    const type = response.headers.get("Content-Type") ?? "no content type";
    if (response.ok && !/^application\/wasm\s*(;|$)/i.test(type)) {
      this.fail(`loading ${url}: it is served as ${type}; browsers compile WebAssembly only from application/wasm`);
    }
    return response;
  }

  /** Fails the start, saying why the wasm at url did not compile or instantiate, and throws error on. */
  private failInstantiation(url: string, error: unknown): never {
    this.fail(`loading ${url}: ${whyNotInstantiated(error)}`);
    throw error;
  }

  /**
   * A warm spare's start (begun before the page asked for it) is now the
   * start of the page's worker: the page hears how far it has come.
   */
  adopt(options: Pick<InitOptions, "progress">, send: (reply: WorkerToPage) => void): this {
    this.send = send;
    this.wantsProgress = options.progress;
    if (this.phase !== "failed") this.progress();
    else {
      this.progress(this.failure);
      send({ type: "failed", message: this.failure });
    }
    return this;
  }

  /** Reports the phase to the page, when it wants progress, with a message if there is one (a failed phase has one). */
  private progress(message?: string): void {
    const { phase, total } = this;
    if (!this.wantsProgress || (phase === "failed" && message === undefined)) return; // a download may go on after the start failed
    const report: Progress = { phase, loaded: phase === "ready" ? total : Math.min(this.downloaded, total), total };
    if (message !== undefined) report.message = message;
    this.send?.({ type: "progress", progress: report });
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
    if (this.phase !== "failed") this.progress(message);
  }

  /** Moves to phase `next` and reports it; a failed start stays failed. */
  reach(next: Phase): void {
    if (this.phase === "failed") return;
    this.phase = next;
    this.progress();
  }

  /** Fails the start, once: the page rejects `ready` and every call with `reason`, and ends this worker. */
  fail(reason: string): void {
    if (this.phase === "ready" || this.phase === "failed") return;
    this.phase = "failed";
    this.failure = reason;
    this.progress(reason);
    this.send?.({ type: "failed", message: reason });
  }
}

const WASM_PAGE_BYTES = 65536;
const WASM = "pyodide.asm.wasm";

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
