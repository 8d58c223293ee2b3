// One Web Worker running one interpreter, and the calls waiting on it. A
// PythonWorker (pythonworker.ts) owns at most one live Connection; when its
// worker dies, its calls are rejected and the next call starts a new one.

import { Arrivals } from "../shared/arrivals";
import { interpreterURL } from "./assets";
import { interpreterNamed, lacking, type InterpreterRecord } from "../shared/interpreters";
import { keep, newWorker, startEnded } from "./startfrom";
import { createAnswerer, hasSharedMemory, type ChannelSetup } from "../shared/channel";
import { readConfig, type Config } from "./config";
import type { WaitHost } from "./deadlock";
import { cancel, createInterruptBuffer } from "../shared/interrupt";
import { initOptions } from "./init";
import { importMainModules, mainModules } from "./jsmodules";
import { createLane, ReplyLane, sendByLane } from "../shared/lane";
import { PageObjects } from "../shared/pageobjects";
import { Outbox, type PageToWorker, type WorkerToPage } from "../shared/protocol";
import { Questions } from "./questions";
import { registerServiceWorker } from "./serviceworker";
import { shareBigArrays } from "../shared/share";
import { stopOn, Stopper } from "./stopping";
import { unsendable } from "./unsendable";
import { Timings } from "../shared/timings";
import type { Channel, PageFunction, PythonError, RunOptions, RunResult, WorkerOptions } from "../shared/types";

/** A call the page waits for; `make` builds its request for an id on a connection, so that a new worker can be sent it again. */
export interface Pending {
  resolve(result: RunResult): void;
  reject(error: Error): void;
  make(id: number, connection: Connection): PageToWorker;
  transfer?: Transferable[];
}

/** One Web Worker and the calls waiting on it. */
export class Connection implements WaitHost {
  readonly ready: Promise<void>;
  /** Made once the channel is ready: a service worker must be active before the worker exists. */
  private worker: Worker | undefined;
  private readonly outbox: Outbox<PageToWorker>;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private started!: { resolve(): void; reject(error: Error): void };
  /** Why this connection can no longer be used; set once. */
  dead: Error | null = null;

  /** The bridge's step timings, with the `timings` option on the shared-memory channel. */
  readonly timings: Timings | undefined;
  /** The request and reply lanes (see lane.ts), and how many messages went to the worker. */
  private readonly lane = hasSharedMemory() ? createLane() : undefined;
  private readonly replies: ReplyLane | undefined;
  private posted = 0;
  /** The messages from the worker, which a reply or question through shared memory may have to wait for. */
  private readonly arrivals = new Arrivals();
  /** The interrupt buffer (see interrupt.ts), when the page has shared memory. */
  private readonly interruptBuffer = hasSharedMemory() ? createInterruptBuffer() : undefined;
  /** The page objects this worker's Python holds (`window`, `document` and what it got from them). */
  readonly pageObjects = new PageObjects(
    (id, args) => this.outbox.send({ type: "callback", id, args }),
    (id, times) => this.outbox.send({ type: "forget", id, times }),
    mainModules,
  );
  /** Python's questions to the page, and their answers. */
  private readonly questions: Questions;
  /** Interrupts, and replaces this worker when they cannot stop a call. */
  private readonly stopper: Stopper;
  /** What the worker runs. */
  private readonly interpreter: InterpreterRecord;
  /** The interpreter's folder. */
  private readonly indexURL: string;
  /** Whether that is the server's own Pyodide (its snapshot fits it). */
  private readonly serverOwn: boolean;
  /** Whether startfrom.ts counts this worker's start as under way: it has not started or failed yet. */
  private startCounted = false;

  constructor(
    private readonly options: WorkerOptions,
    pageFunctions: Map<string, PageFunction>,
    readonly channel: Channel,
    /** Takes the calls not started yet when this worker is replaced for ignoring an interrupt. */
    replaced: (queued: Pending[]) => void,
  ) {
    this.timings = options.timings && channel === "shared-memory" ? new Timings() : undefined;
    this.replies = hasSharedMemory() ? new ReplyLane((batch) => this.receiveAll(batch as WorkerToPage[]), this.arrivals, this.timings) : undefined;
    this.questions = new Questions(options, pageFunctions, this.pageObjects, this, this.timings);
    this.stopper = new Stopper(
      {
        pending: this.pending,
        interruptBuffer: this.interruptBuffer,
        asking: () => this.questions.asking,
        wakeWorker: (why) => this.questions.wakeWorker(why),
        dead: () => this.dead !== null,
        drop: (id, error) => this.drop(id, error),
        die: (message) => this.die(message),
        handOver: replaced,
      },
      options.interruptGrace,
    );
    this.interpreter = interpreterNamed(options.interpreter);
    this.indexURL = interpreterURL(this.interpreter.name, options.indexURL);
    this.serverOwn = options.indexURL === undefined;
    this.ready = new Promise((resolve, reject) => (this.started = { resolve, reject }));
    this.ready.catch(() => {}); // observed through run() and PyWorker.ready
    this.outbox = new Outbox<PageToWorker>(
      (messages, transfer) => {
        // A short call's reply comes in tens of µs: the page polls for it once this post is done.
        if (this.replies !== undefined && messages.some((m) => m.type === "run" || m.type === "export")) queueMicrotask(() => this.replies!.poll());
        if (this.lane !== undefined && transfer.length === 0 && sendByLane(this.lane, messages, this.posted)) return;
        this.worker!.postMessage(messages, transfer);
        this.posted++;
      },
      (request, error) => this.refused(request, error),
    );
    this.outbox.pause();
    const config = readConfig(options.config);
    this.setUpChannel().then(
      (setup) => config.then((config) => this.start(setup, config), (error: Error) => this.die(error.message ?? String(error))),
      (error: Error) => this.die(`the ${channel} channel could not start: ${error.message ?? error}`),
    );
  }

  /** Makes the channel's parts: the worker's (the setup it is sent) and the page's (the answerer). */
  private async setUpChannel(): Promise<ChannelSetup> {
    const { setup, answerer } = await createAnswerer(this.channel, {
      ask: (question) => this.receive(question as WorkerToPage),
      caughtUp: (posted) => this.arrivals.until(posted),
      post: (answer) => this.outbox.send({ type: "jspi-answer", bytes: answer }, [answer.buffer]),
      serviceWorker: registerServiceWorker,
      timings: this.timings,
    });
    this.questions.answerer = answerer;
    return setup;
  }

  private start(channel: ChannelSetup, config: Config): void {
    if (this.dead) return;
    const { options } = this;
    const { interpreter } = this;
    if (!interpreter.packages && config.packages.length > 0) return this.die(lacking(interpreter, "packages", "the config's packages need"));
    this.questions.mainModulesImported = importMainModules(config.jsModules.main);
    this.questions.mainModulesImported.catch((error: Error) => this.die(error.message));
    const { worker, start } = newWorker(interpreter, this.indexURL, this.serverOwn);
    this.worker = worker;
    this.startCounted = interpreter.keepsItsStart;
    this.worker.onmessage = (event: MessageEvent<WorkerToPage[]>) => {
      this.receiveAll(event.data);
      this.arrivals.arrived();
    };
    this.worker.onerror = (event) => {
      event.preventDefault();
      this.die(`the worker failed: ${event.message || "an error the browser did not describe (is worker.js served?)"}`);
    };
    this.worker.onmessageerror = () => this.die("the worker sent a message the page could not read");
    const init = initOptions(options, config, interpreter, this.indexURL, start, channel, {
      interrupt: this.interruptBuffer?.buffer as SharedArrayBuffer | undefined,
      lane: this.lane,
      replyLane: this.replies?.buffer,
      timings: this.timings?.buffer,
    });
    this.outbox.send({ type: "init", options: init });
    this.outbox.resume();
  }

  run(code: string, options: RunOptions): Promise<RunResult> {
    const { signal, timeout } = options;
    if (signal?.aborted) return Promise.reject(new Error("pyworker: the call was aborted before it started"));
    // Where the call is: a worker replaced after a hang hands its queued calls to the next one.
    let id = 0;
    let at: Connection = this;
    const context = shareBigArrays(options.context, options.transfer, this.warm);
    const result = this.request((n, connection) => ((id = n), (at = connection), { type: "run", id, code, context }), options.transfer);
    stopOn(result, (why) => at.stopper.stop(id, why), signal, timeout);
    return this.watched(id, "run()", result);
  }

  /** Raises KeyboardInterrupt in the running call, or the next if none runs; without shared memory, restarts the worker. */
  interrupt(): void {
    this.stopper.interrupt();
  }

  /** Calls the worker's exported function: resolves to its value, rejects with its Python error. */
  callExport(name: string, args: unknown[]): Promise<unknown> {
    const shared = shareBigArrays(args, [], this.warm);
    let id = 0;
    this.timings?.exports("called");
    const result = this.request((n) => ((id = n), { type: "export", id, name, args: shared })).then((result) => {
      this.timings?.exports("page has the result");
      if (result.exception === undefined) return result.results;
      const error = new Error(result.error) as PythonError;
      error.name = result.exception.type;
      error.exception = result.exception;
      throw error;
    });
    return this.watched(id, `exports.${name}()`, result);
  }

  /** Has the worker bring a spare buffer's memory in while idle (see share.ts). */
  private readonly warm = (buffer: SharedArrayBuffer, done: Int32Array) => this.outbox.send({ type: "warm", buffer, done });

  /** A call's promise as its caller gets it: watched for deadlocks if the worker waits on the page. */
  private watched<T>(id: number, what: string, result: Promise<T>): Promise<T> {
    return this.questions.watched(id, what, result);
  }

  private request(make: Pending["make"], transfer?: Transferable[]): Promise<RunResult> {
    if (this.dead) return Promise.reject(this.dead);
    return new Promise<RunResult>((resolve, reject) => this.send({ resolve, reject, make, transfer }));
  }

  /** Sends a call to this worker (again, if another worker had it queued); returns its id. */
  send(call: Pending): number {
    const id = this.nextId++;
    this.pending.set(id, call);
    this.outbox.send(call.make(id, this), call.transfer);
    return id;
  }

  isPending(id: number): boolean {
    return this.pending.has(id);
  }

  /** Rejects call `id`, which must not run: the worker skips it. */
  drop(id: number, error: Error): void {
    const call = this.pending.get(id);
    this.pending.delete(id);
    if (this.interruptBuffer !== undefined) cancel(this.interruptBuffer, id);
    this.outbox.send({ type: "cancel", id });
    call?.reject(error);
  }

  /** Ends the worker and rejects everything waiting on it. */
  die(reason: string): void {
    if (this.dead) return;
    this.startEnded();
    this.dead = new Error(`pyworker: ${reason}`);
    this.worker?.terminate();
    // Wakes what waits for the answer (the service worker holds a request).
    this.questions.wakeWorker(this.dead.message);
    this.questions.answerer?.close?.();
    this.started.reject(this.dead);
    for (const call of this.pending.values()) call.reject(this.dead);
    this.pending.clear();
  }

  /** Tells startfrom.ts this worker's start has ended, once. */
  private startEnded(): void {
    if (!this.startCounted) return;
    this.startCounted = false;
    startEnded(this.indexURL, this.serverOwn);
  }

  private receiveAll(replies: WorkerToPage[]): void {
    for (const reply of replies) this.receive(reply);
  }

  private receive(reply: WorkerToPage): void {
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
      case "input":
      case "sleep":
      case "page":
        this.questions.take(reply);
        break;
      case "resend":
        this.questions.answerer?.resend?.(reply.buffer);
        break;
      case "ready":
        this.started.resolve();
        this.startEnded();
        break;
      case "reusable": {
        const { type, ...reusable } = reply;
        keep(this.indexURL, reusable);
        break;
      }
      case "failed":
        this.die(`the interpreter could not start: ${reply.message}`);
        break;
      case "fatal":
        this.die(`the interpreter died (${reply.message}); the next call starts a new one`);
        break;
    }
  }

  /** A request whose values the structured clone refused: say which value. */
  private refused(request: PageToWorker, error: unknown): void {
    if (request.type !== "run" && request.type !== "export") return this.die(`could not send ${request.type}: ${error}`);
    const call = this.pending.get(request.id);
    this.pending.delete(request.id);
    call?.reject(unsendable(request, error));
  }
}
