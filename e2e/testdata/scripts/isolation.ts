// The page side of isolation_test.go: workers on pages with and without cross-origin isolation.
import { asyncRun, createWorker } from "/pyworker/pyworker.js";
import noChannelPy from "./python/isolation/no_channel.py";

/** Three workers on the service worker's channel, one after another: each one's channel, or why it failed. */
export async function oneAfterAnother(): Promise<string[]> {
  const started = [];
  for (let i = 0; i < 3; i++) {
    const w = createWorker({ channel: "service-worker" });
    started.push(await w.ready.then(() => w.channel as string, (e: Error) => e.message));
    w.terminate();
  }
  return started;
}

/** A worker with no channel: what works and what each sync use says. */
export async function noChannel(): Promise<{
  channel: string;
  error?: string;
  page?: string;
  double: unknown;
  shared: string;
  input?: string;
  printed: string[];
}> {
  const printed: string[] = [];
  const w = createWorker({ channel: "none", stdout: (line) => printed.push(line), stdin: () => "never read" });
  w.sync.hello = () => "hi";
  const call = await w.run(noChannelPy);
  const page = await w.run("from pyworker import document\ndocument.title");
  const input = await w.run("input('name? ')");
  let shared = "";
  try {
    createWorker({ channel: "shared-memory" });
  } catch (e) {
    shared = (e as Error).message;
  }
  return {
    channel: w.channel,
    error: call.exception && call.exception.message,
    page: page.error,
    double: await w.exports.double(4),
    shared,
    input: input.error,
    printed,
  };
}

/** On an isolated page without SharedArrayBuffer: the channel, a sync call, asyncRun, and input() interrupted. */
export async function withoutSharedArrayBuffer(): Promise<{ isolated: boolean; channel: string; hello: unknown; seed: unknown; input?: string }> {
  const w = createWorker({ stdin: () => new Promise(() => {}) });
  w.sync.hello = (name: string) => "Hello, " + name;
  const reply = await w.run("from pyworker import sync\nsync.hello('WebKit')");
  const seed = await asyncRun("1 + 1");
  const waiting = w.run("input()");
  await new Promise((r) => setTimeout(r, 300));
  w.interrupt();
  const input = await waiting;
  w.terminate();
  return {
    isolated: crossOriginIsolated,
    channel: w.channel,
    hello: reply.results ?? reply.error,
    seed: seed.results,
    input: input.exception && input.exception.type + ": " + input.exception.message,
  };
}

/** On a page isolate.js isolated: whether it is, the channel, and a sync call's answer. */
export async function selfIsolated(): Promise<{ isolated: boolean; channel: string; results: unknown; error?: string }> {
  const w = createWorker();
  w.sync.hello = (name: string) => "Hello, " + name;
  const reply = await w.run("from pyworker import sync\nsync.hello('isolated')");
  w.terminate();
  return { isolated: crossOriginIsolated, channel: w.channel, results: reply.results, error: reply.error };
}

/** Unregisters the page's service workers. */
export async function unregister(): Promise<void> {
  const registrations = await navigator.serviceWorker.getRegistrations();
  await Promise.all(registrations.map((r) => r.unregister()));
}
