// readyOf, for the scripts that check how a worker's start ends.
import { createWorker, type WorkerOptions } from "/pyworker/pyworker.js";

/** How ready ends for a new worker with options: "ready", or its error's message. */
export async function readyOf(options: WorkerOptions): Promise<string> {
  return createWorker(options).ready.then(
    () => "ready",
    (e: Error) => e.message,
  );
}
