// The page side of static_test.go: a built app's page, through asyncRun, a sync call and an export.
import { asyncRun, createWorker } from "/pyworker/pyworker.js";

/** asyncRun's 1 + 1, greeter.py's greet (which calls the page), the channel, and how the page was served. */
export async function calls(): Promise<{ sum: unknown; greeting: unknown; channel: string; isolated: boolean; controlled: boolean }> {
  const sum = await asyncRun("1 + 1");
  const w = createWorker({ src: "greeter.py" });
  w.sync.hello = (name: string) => "Hello, " + name;
  const greeting = await w.exports.greet("static");
  w.terminate();
  return { sum: sum.results, greeting, channel: w.channel, isolated: crossOriginIsolated, controlled: navigator.serviceWorker.controller !== null };
}
