// The page side of channels_test.go and pageobjects_test.go: one worker on a
// synchronous channel, kept here between calls, and what the page saw of it.
import { createWorker, type Channel, type PyWorker, type RunResult, type WorkerOptions } from "/pyworker/pyworker.js";
import asyncHandlerPy from "./python/channels/async_handler.py";
import bigAnswers from "./python/channels/big_answers.py";
import binaryViewsPy from "./python/channels/binary_views.py";
import boom from "./python/channels/boom.py";
import boomCaught from "./python/channels/boom_caught.py";
import exportsPy from "./python/channels/exports.py";
import outputBeforeQuestion from "./python/channels/output_before_question.py";
import pageFunctions from "./python/channels/page_functions.py";
import pyscriptExamplePy from "./python/channels/pyscript_example.py";
import sleep from "./python/channels/sleep.py";
import stdin from "./python/channels/stdin.py";
import button from "./python/pageobjects/button.py";
import callbacks from "./python/pageobjects/callbacks.py";
import chains from "./python/pageobjects/chains.py";
import proxies from "./python/pageobjects/proxies.py";
import reads from "./python/pageobjects/reads.py";
import { terminateDuring } from "./lib/terminate";

/** What the tests run on the worker, by name. */
const programs = {
  pageFunctions,
  stdin,
  outputBeforeQuestion,
  sleep,
  sleepNegative: "import time\ntime.sleep(-1)",
  bigAnswers,
  boomCaught,
  boom,
  unknownFunction: "from pyworker import sync\nsync.nope()",
  cannotCross: "from pyworker import sync\nsync.hello(object())",
  exports: exportsPy,
  reads,
  pyscriptGreeting: 'from pyscript import sync, window\n\ngreeting = sync.hello("PyScript")\nwindow.console.log(greeting)',
  pyscriptAppend: 'from pyscript import window, document\n\ndocument.body.append("Hello PyScript!")',
  button,
  clicks: "clicks",
  removeListener: "button.removeEventListener('click', on_click)",
  callbacks,
  callbacksHeld: "import pyworker._callbacks\npyworker._callbacks.held()",
  chains,
  badSelector: "from pyworker import document\ndocument.querySelector('!!')",
  proxies,
};

type StdinLine = string | null | (() => Promise<string>);

let w: PyWorker;
const lines: StdinLine[] = [];
const out: string[] = [];
const log: unknown[][] = [];
const logged: string[] = [];

/** Asking for a channel: "created", or the error's message. */
export async function ask(channel: Channel): Promise<string> {
  try {
    createWorker({ channel });
    return "created";
  } catch (e) {
    return (e as Error).message;
  }
}

/** Starts the worker with options and the page's functions, and logs console.log's lines; its channel. */
export async function start(options: WorkerOptions): Promise<Channel> {
  w = createWorker({
    ...options,
    timings: true,
    sync: { hello: (name: string) => "Hello, " + name, lastLine: () => out.at(-1) },
    stdin: () => {
      const line = lines.shift();
      return typeof line === "function" ? line() : line;
    },
    stdout: (text) => out.push(text),
  });
  const consoleLog = console.log;
  console.log = (...args: unknown[]) => {
    logged.push(args.join(" "));
    consoleLog(...args);
  };
  w.sync.later = async (x: number) => {
    await new Promise((r) => setTimeout(r, 20));
    return x * 2;
  };
  w.sync.floats = () => new Float64Array([1.5, 2.5]);
  w.sync.boom = () => {
    throw new RangeError("too far");
  };
  w.sync.record = (...args: unknown[]) => {
    log.push(args);
  };
  w.sync.big = (n: number) => new Uint8Array(n).fill(7);
  await w.ready;
  return w.channel;
}

/** Runs one of the programs on the worker, with context if given. */
export async function run(program: keyof typeof programs, context?: Record<string, unknown>): Promise<RunResult> {
  return w.run(programs[program], context && { context });
}

/** What sync.record was given, as JSON, bytes as arrays. */
export async function recorded(): Promise<string> {
  return JSON.stringify(log, (_, v) => (v instanceof Uint8Array ? Array.from(v) : v));
}

/** Queues stdin's lines (one given by a promise, two ends of input), and forgets what was printed. */
export async function queueStdin(): Promise<void> {
  lines.push("Ada\n", async () => "42", null, "x", null);
  out.length = 0;
}

/** Forgets what was printed. */
export async function clearOutput(): Promise<void> {
  out.length = 0;
}

/** What was printed, joined by "|". */
export async function printed(): Promise<string> {
  return out.join("|");
}

/** How the page's calls of the worker's exports end, as JSON. */
export async function exportAnswers(): Promise<string> {
  const outcome = (p: Promise<unknown>) =>
    p.then(
      (v) => JSON.stringify(v),
      (e) => e.name + ": " + e.message.trim().split("\n").pop() + (e.exception && e.exception.line ? " @" + e.exception.line : ""),
    );
  return JSON.stringify([
    await outcome(w.exports.double(21)),
    ((await w.exports.version()) as string).slice(0, 5),
    await outcome(w.sync.heavy() as Promise<unknown>),
    await outcome(w.exports.pair([1, 2, 3], { b: 1, a: 2 })),
    await outcome(w.exports.fails()),
    await outcome(w.exports.slow("later")),
    await outcome(w.exports.missing()),
  ]);
}

/** The PyScript docs' worker example, its page side in JS: what it said, and heavy_computation(). */
export async function pyscriptExample(): Promise<string> {
  const said: string[] = [];
  w.sync.greetings = () => said.push("Pyodide bootstrapped");
  await w.run(pyscriptExamplePy);
  const result = await w.sync.heavy_computation();
  return said.join() + " " + result;
}

/** What console.log logged, joined by "|", and whether the body says "Hello PyScript!". */
export async function pyscriptExamplesSeen(): Promise<{ logged: string; body: boolean }> {
  return { logged: logged.join("|"), body: document.body.textContent!.includes("Hello PyScript!") };
}

/** Clicks the button made in Python twice; its text once it says so (or after 2 s). */
export async function clickTwice(): Promise<string> {
  const b = document.getElementById("py-button")!;
  b.click();
  b.click();
  for (let i = 0; i < 200 && b.textContent !== "clicked 2 times"; i++) await new Promise((r) => setTimeout(r, 10));
  return b.textContent!;
}

/** Clicks the button made in Python once. */
export async function click(): Promise<void> {
  document.getElementById("py-button")!.click();
}

/** Sets window.chain, an object to read through, and restarts the bridge's timings. */
export async function setChain(): Promise<void> {
  Object.assign(window, {
    chain: {
      inner: {
        v: 3,
        f() {
          return this.v * 2;
        },
      },
      get boom(): never {
        throw new RangeError("no boom here");
      },
    },
  });
  w.timings();
}

/** How many questions Python asked the page since the last reading (shared memory only; else undefined). */
export async function syncCalls(): Promise<number | undefined> {
  return w.timings()?.sync.calls;
}

/** How many page objects the worker's connection holds for Python (internal: not in the public types). */
export async function pageObjectsHeld(): Promise<number> {
  return (w as unknown as { connection: { pageObjects: { size: number } } }).connection.pageObjects.size;
}

/** terminate() while Python waits on the page: [how that call ended, the next call's results]. */
export async function terminateDuringSyncCall(options: WorkerOptions): Promise<[string, string]> {
  const w = createWorker(options);
  w.sync.never = () => new Promise(() => {});
  w.sync.hello = () => "hi";
  await w.ready;
  return terminateDuring(w, "from pyworker import sync\nsync.never()", "from pyworker import sync\nsync.hello()");
}

/** An async click handler returning a page object, then raising: the button's text, stderr after each. */
export async function asyncEventHandler(): Promise<{ text: string; afterValue: string[]; afterError: string }> {
  const errors: string[] = [];
  const w = createWorker({ stderr: (line) => errors.push(line) });
  await w.run(asyncHandlerPy);
  const button = document.getElementById("async-button")!;
  button.click();
  await w.run("1"); // queued after the click's callback, so it ends after it
  const afterValue = [...errors];
  button.dataset.fail = "yes";
  button.click();
  await w.run("1");
  w.terminate();
  return { text: button.textContent!, afterValue, afterError: errors.join("\n") };
}

/** Binary views from the page: a Float16Array and a subclass of Float32Array, as Python sees them. */
export async function binaryViews(): Promise<RunResult> {
  class Samples extends Float32Array {}
  // Float16Array is newer than the lib (ES2024) the runtime is typed against.
  const { Float16Array } = globalThis as unknown as { Float16Array: Float32ArrayConstructor };
  const w = createWorker();
  w.sync.half = () => new Float16Array([1.5, 2.5]);
  w.sync.samples = () => Samples.of(1, 2, 3);
  const r = await w.run(binaryViewsPy);
  w.terminate();
  return r;
}
