// terminateDuring, for the scripts that end a worker while it is busy.
import type { PyWorker } from "/pyworker/pyworker.js";

/** Starts `code` on w, terminates w 300 ms later, then runs `after` on its replacement: [how the first call ended, the second's results]. */
export async function terminateDuring(w: PyWorker, code: string, after: string): Promise<[string, string]> {
  const first = w.run(code);
  await new Promise((r) => setTimeout(r, 300));
  w.terminate();
  const ended = await first.then(
    (r) => "resolved " + JSON.stringify(r),
    (e: Error) => "rejected " + e.message,
  );
  return [ended, String((await w.run(after)).results)];
}
