// The page side of micropython_test.go: MicroPython workers.
import { createWorker, type Channel, type PythonException, type WorkerOptions } from "/pyworker/pyworker.js";
import pageObjects from "./python/micropython/page_objects.py";
import raises from "./python/micropython/raises.py";
import awaitsRaises from "./python/micropython/awaits_raises.py";
import awaitsValue from "./python/micropython/awaits_value.py";

/** A MicroPython worker from mpy_worker.py: values, errors, printed lines and exports. */
export async function worker(): Promise<{
  value: unknown;
  list: unknown;
  object?: string;
  statement: unknown;
  error?: PythonException;
  errorText?: string;
  syntax?: PythonException;
  printed: string[];
  exported: unknown;
  listed: unknown;
}> {
  const printed: string[] = [];
  const w = createWorker({ interpreter: "micropython", src: "mpy_worker.py", stdout: (line) => printed.push(line) });
  await w.ready;
  const value = await w.run("x = 20\nx * 2 + 2");
  const list = await w.run("[x, 'a', {'k': 1.5}, (True, 3), 2 ** 40]");
  const object = await w.run("object()");
  const statement = await w.run("y = 1");
  const error = await w.run(raises);
  const syntax = await w.run("x = 1\ny = )\n");
  await w.run("print('hello from', sys.implementation.name)");
  const exported = await w.exports.shout("hey");
  const listed = await w.exports.version();
  w.terminate();
  return {
    value: value.results,
    list: list.results,
    object: object.error,
    statement,
    error: error.exception,
    errorText: error.error,
    syntax: syntax.exception,
    printed,
    exported,
    listed,
  };
}

/** createWorker with each of these options: "created", or why it refused. */
export async function refusals(): Promise<string[]> {
  const options: WorkerOptions[] = [
    { interpreter: "micropython", packages: ["numpy"] },
    { interpreter: "micropython", archive: { url: "/app.zip" } },
    { interpreter: "cpython" } as unknown as WorkerOptions, // the types forbid it: the test asks anyway
  ];
  return options.map((o) => {
    try {
      createWorker(o);
      return "created";
    } catch (e) {
      return (e as Error).message;
    }
  });
}

/** A MicroPython worker on a channel: sync calls, exports, input(), time.sleep and an interrupt. */
export async function sync(options: WorkerOptions): Promise<{
  channel: string;
  greeting: unknown;
  sum: unknown;
  failed?: PythonException;
  heavy: unknown;
  name: unknown;
  eof?: string;
  printed: string[];
  slept: number;
  stopped?: string;
  after: unknown;
}> {
  const lines = ["Ada"];
  const printed: string[] = [];
  const w = createWorker({
    ...options,
    interpreter: "micropython",
    stdin: () => lines.shift() ?? null,
    stdout: (line) => printed.push(line),
  });
  w.sync.hello = (name: string) => "Hello, " + name;
  w.sync.sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  w.sync.fail = () => {
    throw new RangeError("out of range");
  };
  const greeting = await w.run("from pyworker import sync\nsync.hello('PyScript')");
  const sum = await w.run("sync.sum([2 ** 40, 1, 2])");
  const failed = await w.run("sync.fail()");
  await w.run("sync.heavy_computation = lambda: 6 * 7");
  const heavy = await w.exports.heavy_computation();
  const name = await w.run("input('Name? ')");
  const eof = await w.run("input()");
  const t0 = performance.now();
  await w.run("import time\ntime.sleep(0.2)");
  const slept = performance.now() - t0;
  const sleeping = w.run("x = 41\ntime.sleep(60)");
  await new Promise((r) => setTimeout(r, 300));
  w.interrupt();
  const stopped = await sleeping;
  const after = await w.run("x + 1");
  w.terminate();
  return {
    channel: w.channel,
    greeting: greeting.results,
    sum: sum.results,
    failed: failed.exception,
    heavy,
    name: name.results,
    eof: eof.exception && eof.exception.type,
    printed,
    slept,
    stopped: stopped.exception && stopped.exception.type + " at " + stopped.exception.line,
    after: after.results,
  };
}

/** A MicroPython worker on a page without a channel for it: the refusal of JSPI, a sync call, input() and time.sleep. */
export async function withoutChannel(): Promise<{ refused?: string; channel: string; error?: string; read?: PythonException; nap: unknown }> {
  let refused;
  try {
    createWorker({ interpreter: "micropython", channel: "jspi" });
  } catch (e) {
    refused = (e as Error).message;
  }
  const w = createWorker({ interpreter: "micropython" });
  w.sync.hello = () => "hi";
  const call = await w.run("from pyworker import sync\nsync.hello()");
  const read = await w.run("input()");
  const nap = await w.run("import time\ntime.sleep(0.05)\n'rested'");
  w.terminate();
  return { refused, channel: w.channel, error: call.exception && call.exception.message, read: read.exception, nap: nap.results };
}

/** The PyScript docs' worker.py on MicroPython: what it said, heavy_computation() and the version's first part. */
export async function pyscriptWorker(channel: Channel): Promise<string[]> {
  const said: string[] = [];
  const w = createWorker({ interpreter: "micropython", src: "worker.py", channel });
  w.sync.greetings = () => said.push("MicroPython bootstrapped");
  await w.ready;
  const answers = [said.join(), String(await w.sync.heavy_computation()), ((await w.exports.version()) as string).split(";")[0]];
  w.terminate();
  return answers;
}

/** A MicroPython worker's window and document: values read, the page after, a page call that throws, a callback refused. */
export async function pageObjectsOn(channel: Channel): Promise<{
  values: unknown;
  title: string;
  paragraph: string | null;
  thrown?: PythonException;
  callback?: PythonException;
  calledBack?: string;
}> {
  const w = createWorker({ interpreter: "micropython", channel });
  const values = await w.run(pageObjects);
  const thrown = await w.run("window.JSON.parse('{')");
  // A Python function the page calls later: it sets a value on the page, from the worker.
  delete document.body.dataset.calledBack;
  const callback = await w.run("def later(): document.body.dataset.calledBack = 'from MicroPython'\nwindow.setTimeout(later, 0)");
  for (let i = 0; i < 100 && document.body.dataset.calledBack === undefined; i++) await new Promise((r) => setTimeout(r, 50));
  w.terminate();
  return {
    values: values.results || values.error,
    title: document.title,
    paragraph: document.body.lastElementChild!.textContent,
    thrown: thrown.exception,
    callback: callback.exception,
    calledBack: document.body.dataset.calledBack,
  };
}

/** A MicroPython worker whose src awaits at top level, and runs that do: their values, an error's line, the globals they share. */
export async function topLevelAwait(): Promise<{ state: unknown; value: unknown; error?: PythonException; statement: unknown; shared: unknown }> {
  const w = createWorker({ interpreter: "micropython", src: "mpy_awaits.py" });
  await w.ready;
  const state = await w.exports.state();
  const value = (await w.run(awaitsValue)).results;
  const error = (await w.run(awaitsRaises)).exception;
  const statement = await w.run("import asyncio\nawait asyncio.sleep(0)\ny = x + 1");
  const shared = (await w.run("[x, y, started]")).results;
  w.terminate();
  return { state, value, error, statement, shared };
}
