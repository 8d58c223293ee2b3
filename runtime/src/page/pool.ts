// createPool: several PythonWorkers with the same options behind one `run`.

import { PythonWorker } from "./pythonworker";
import type { PoolOptions, PyPool, RunOptions, RunResult } from "../shared/types";

export class Pool implements PyPool {
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
