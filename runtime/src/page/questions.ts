// Python's questions to the page (a sync call, input(), a sleep without
// shared memory, a use of window or document) and their answers, delivered
// on the channel to the worker, which waits. One question waits at a time;
// while it does, the page's calls to the same worker are watched for a
// deadlock (see deadlock.ts).

import { encodeAnswer, type Answer, type Answerer } from "../shared/channel";
import { Wait, type WaitHost } from "./deadlock";
import { callPageFunction, readLine } from "./pagefunctions";
import { JS_MODULES, type PageObjects, type Wire } from "../shared/pageobjects";
import type { WorkerQuestion } from "../shared/protocol";
import type { Timings } from "../shared/timings";
import type { PageFunction, WorkerOptions } from "../shared/types";

export class Questions {
  /** Delivers the answers to the worker; set once the channel is ready. */
  answerer: Answerer | undefined;
  /** Whether the worker waits for an answer, and which question it is (an answer to an earlier one is dropped). */
  asking = false;
  /** The config's js_modules.main, imported: a use of them waits for it (their import starts with the worker). */
  mainModulesImported: Promise<void> = Promise.resolve();
  private question = 0;
  /** The page function the worker waits on, while it waits (see deadlock.ts). */
  private waiting: Wait | undefined;

  constructor(
    private readonly options: WorkerOptions,
    private readonly pageFunctions: Map<string, PageFunction>,
    private readonly pageObjects: PageObjects,
    /** The connection: its calls, and whether it has died. */
    private readonly host: WaitHost & { readonly dead: Error | null },
    private readonly timings: Timings | undefined,
  ) {}

  /** Answers the worker's question. */
  take(question: WorkerQuestion): void {
    this.timings?.sync("page has the question");
    switch (question.type) {
      case "call":
        return this.answer(() => callPageFunction(this.pageFunctions, question.name, question.args), `sync.${question.name}()`);
      case "input":
        return this.answer(() => readLine(this.options, question.prompt), "the stdin function", true);
      case "sleep":
        return this.answer(() => new Promise((resolve) => setTimeout(resolve, question.ms)), "time.sleep()", true);
      case "page": {
        // A primitive as it is, a reference as {ref, callable}.
        const answerOf = (wire: Wire) => ("value" in wire ? wire.value : wire);
        const { op } = question;
        const perform = () => (op.path === undefined ? answerOf(this.pageObjects.perform(op)) : this.pageObjects.performPath({ ...op, path: op.path }).map(answerOf));
        this.answer(() => (op.ref === JS_MODULES ? this.mainModulesImported.then(perform) : perform()), "a use of window or document");
        if (question.released !== undefined) this.pageObjects.release(question.released);
      }
    }
  }

  /** A call's promise as its caller gets it: watched for deadlocks if the worker waits on the page. */
  watched<T>(id: number, what: string, result: Promise<T>): Promise<T> {
    return this.asking && this.waiting !== undefined ? this.waiting.watch(id, what, result) : result;
  }

  /** Ends the worker's wait for an answer with a KeyboardInterrupt error, if it waits. */
  wakeWorker(message: string): void {
    if (!this.asking) return;
    this.endWait();
    this.answerer?.deliver(encodeAnswer({ error: { name: "KeyboardInterrupt", message } }));
  }

  /**
   * Answers the worker, which waits on the channel, with what `work` returns
   * or throws: at once when it is not a promise, else when it settles.
   * `what` names the work in errors; `patient` work may rightly take long.
   */
  private answer(work: () => unknown, what: string, patient = false): void {
    this.asking = true;
    const question = ++this.question;
    const send = (answer: Answer) => {
      if (this.host.dead || question !== this.question || !this.asking) return;
      this.endWait();
      this.answerer!.deliver(encodeAnswer(answer));
    };
    const failed = (error: unknown, cancelled?: number[]) => {
      const answer: Answer = { error: { name: (error as Error)?.name ?? "Error", message: String((error as Error)?.message ?? error) } };
      if (cancelled !== undefined) answer.cancelled = cancelled;
      send(answer);
    };
    const wait = new Wait(what, patient, this.host, failed);
    this.waiting = wait;
    let value: unknown;
    try {
      value = work();
    } catch (error) {
      wait.returned(false);
      return failed(error);
    }
    wait.returned(value instanceof Promise);
    if (value instanceof Promise) value.then((v) => send({ value: v }), failed);
    else send({ value });
  }

  /** The worker no longer waits for an answer. */
  private endWait(): void {
    this.asking = false;
    this.waiting?.end();
    this.waiting = undefined;
  }
}
