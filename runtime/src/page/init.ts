// The worker's init message: what it needs to start, gathered from the
// worker's options, its config and the page's end of its channel.

import type { Config } from "./config";
import type { InterpreterRecord } from "../shared/interpreters";
import type { ChannelSetup } from "../shared/channel";
import type { InitOptions } from "../shared/protocol";
import type { Start } from "./startfrom";
import type { WorkerOptions } from "../shared/types";

// Set by the server when it bundles the runtime (see runtime.go).
declare const PYWORKER_ASSET_SIZES: Record<string, number>;

/** The shared buffers the page made for this worker (see connection.ts), where it has shared memory. */
export interface SharedParts {
  interrupt?: SharedArrayBuffer;
  lane?: SharedArrayBuffer;
  replyLane?: SharedArrayBuffer;
  timings?: SharedArrayBuffer;
}

/** The init options of a worker of `interpreter` at `indexURL`, starting as `start` says. */
export function initOptions(
  options: WorkerOptions,
  config: Config,
  interpreter: InterpreterRecord,
  indexURL: string,
  start: Start,
  channel: ChannelSetup,
  shared: SharedParts,
): InitOptions {
  return {
    interpreter: interpreter.name,
    indexURL,
    ...start,
    packages: [...(options.packages ?? []), ...config.packages],
    files: config.files,
    jsModules: config.jsModules.worker,
    pyscript: { config: JSON.stringify(config.table), target: options.target ?? "" },
    assetSizes: interpreter.keepsItsStart ? PYWORKER_ASSET_SIZES : {},
    progress: options.onProgress !== undefined,
    stdin: options.stdin !== undefined,
    channel,
    ...shared,
    src: options.src === undefined ? undefined : new URL(options.src, location.href).href,
    archive: options.archive,
  };
}
