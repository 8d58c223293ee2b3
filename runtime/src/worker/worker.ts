// The worker side of pyworker (→ /pyworker/worker.js). Before its init a
// worker may be a spare that loads Pyodide's scripts or starts it ahead, or
// the snapshot maker's; the init makes its one WorkerSession (session.ts),
// which runs the rest.

/// <reference lib="webworker" />

import type { PageToWorker, WorkerToPage } from "../shared/protocol";
import { makeSnapshot, preloadPyodide, startAhead, type StartedAhead } from "./pyodide";
import { WorkerSession } from "./session";
import { decodeSharedViews } from "../shared/share";

declare const self: DedicatedWorkerGlobalScope;

decodeSharedViews(); // big arrays may come in shared memory (see share.ts)

/** The worker's session, from its init on. */
let session: WorkerSession | undefined;
/** Before the init: Pyodide started ahead, when this is a warm spare worker (see startfrom.ts), which the init adopts. */
let ahead: StartedAhead | undefined;

self.onmessage = ({ data: batch }: MessageEvent<PageToWorker[]>) => {
  if (session === undefined) {
    // The page queues its first calls before the init, and sends them with it: one message, as it counts them.
    const init = batch.find((message) => message.type === "init");
    const calls = batch.filter((message) => message !== init && !beforeInit(message));
    if (init === undefined) return;
    session = new WorkerSession(init.options, ahead);
    ahead = undefined;
    batch = calls;
  }
  session.receive(batch);
};

/** Acts on what a worker is asked before its init (a spare's preload, a snapshot); says whether it was that. */
function beforeInit(message: PageToWorker): boolean {
  if (message.type === "preload") {
    if (message.start === undefined) preloadPyodide(message.indexURL);
    else ahead = startAhead(message.indexURL, message.start);
  } else if (message.type === "make-snapshot") {
    snapshot(message.indexURL);
  } else {
    return false;
  }
  return true;
}

/** Makes a snapshot for the page (internal/snapshot drives this), and is done. */
async function snapshot(indexURL: string): Promise<void> {
  try {
    const bytes = await makeSnapshot(indexURL);
    self.postMessage([{ type: "snapshot", bytes } satisfies WorkerToPage], [bytes.buffer]);
  } catch (error) {
    self.postMessage([{ type: "failed", message: `making a memory snapshot: ${(error as Error)?.message ?? error}` } satisfies WorkerToPage]);
  }
}
