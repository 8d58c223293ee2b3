// The worker's watch over Pyodide's start: the phase it has reached, the
// progress the page asked for, and the first failure, which ends the start.
// Pyodide only logs a failed instantiation of its wasm and loadPyodide never
// settles, so the watch sees the failures itself: an asset that cannot be
// fetched or read, a wasm that does not instantiate, an error left uncaught.

/// <reference lib="webworker" />

import type { InitOptions, WorkerToPage } from "./protocol";
import type { Phase, Progress } from "./types";

declare const self: DedicatedWorkerGlobalScope;

export class LoadWatch {
  phase: Phase = "download";
  /** Reports the phase to the page, when it wants progress; `failure` with the failed one. */
  private readonly progress: ((failure?: string) => void) | undefined;
  private readonly stopWatchingUncaught: () => void;

  constructor(
    options: InitOptions,
    /** Sends a reply to the page. */
    private readonly send: (reply: WorkerToPage) => void,
  ) {
    const total = Object.values(options.assetSizes).reduce((a, b) => a + b, 0);
    let loaded = 0;
    let last = 0;
    if (options.progress) {
      this.progress = (failure) => {
        const { phase } = this;
        if (phase === "failed" && failure === undefined) return; // a download may go on after the start failed
        const report: Progress = { phase, loaded: phase === "ready" ? total : Math.min(loaded, total), total };
        if (failure !== undefined) report.message = failure;
        send({ type: "progress", progress: report });
      };
      this.progress();
    }
    /** The URLs of the responses remade to watch their bodies, which have none of their own. */
    const remade = new WeakMap<Response, string>();
    const fetch = self.fetch;
    self.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      const name = url.startsWith(options.indexURL) ? url.slice(options.indexURL.length) : "";
      if (!(name in options.assetSizes)) return fetch(input, init);
      const response = await fetch(input, init).catch((error: unknown) => {
        this.fail(`fetching ${url}: the request failed (${error})`);
        throw error;
      });
      if (!response.ok) this.fail(`fetching ${url}: ${response.status} ${response.statusText}`.trimEnd());
      // The other assets are remade so that a failed read names them. A remade wasm loses its code
      // cache: without progress it goes as it came, and a failed read fails instantiateStreaming.
      if (response.body === null || (!options.progress && name.endsWith(".wasm"))) return response;
      const reader = response.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        pull: async (controller) => {
          const chunk = await reader.read().catch((error: unknown) => {
            this.fail(`fetching ${url}: the download broke off (${error})`);
            throw error;
          });
          if (chunk.done) return controller.close();
          loaded += chunk.value.byteLength;
          if (loaded - last > total / 100) {
            last = loaded;
            this.progress?.();
          }
          controller.enqueue(chunk.value);
        },
        cancel: (reason) => reader.cancel(reason),
      });
      const { status, statusText, headers } = response;
      const watched = new Response(body, { status, statusText, headers });
      remade.set(watched, url);
      return watched;
    };
    const instantiate = WebAssembly.instantiateStreaming;
    WebAssembly.instantiateStreaming = async (source, imports) => {
      this.reach("compile");
      const response = await source;
      const url = remade.get(response) ?? response.url;
      const type = response.headers.get("Content-Type") ?? "no content type";
      if (response.ok && !/^application\/wasm\s*(;|$)/i.test(type)) {
        // Engines refuse it, each in its own words, and Pyodide does not fall back.
        this.fail(`loading ${url}: it is served as ${type}; browsers compile WebAssembly only from application/wasm`);
      }
      let result: WebAssembly.WebAssemblyInstantiatedSource;
      try {
        result = await instantiate(response, imports);
      } catch (error) {
        this.fail(`loading ${url}: ${whyNotInstantiated(error)}`);
        throw error;
      }
      this.reach("start");
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

  /**
   * Pyodide has loaded: from now on user code (src) runs, and what it leaves
   * uncaught is not the interpreter's failure.
   */
  loaded(): void {
    this.stopWatchingUncaught();
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
