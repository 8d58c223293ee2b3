// PyScript's tags, started in document order once the page is parsed:
// <script type="mpy"> and <script type="py"> (and <mpy-script>, <py-script>)
// run on the page's main thread (see pagepython.ts); with a `worker`
// attribute each starts a worker instead (see pyscript.ts), as does
// pyworker's older <script type="py-worker">, kept as an alias of
// <script type="py" worker>. A `terminal` attribute gives a script a terminal
// after it (see terminal.ts). A script without a `config` attribute takes the
// page's <py-config> (<mpy-config>). An error shows on the page, as
// PyScript's error box does, and in the console.

import { pageConfig, readConfig } from "./config";
import { fetched } from "./fetched";
import { pageInterpreter } from "./pagepython";
import { interpreterOf, serviceWorkerChannel, startPyScriptWorker } from "./pyscript";
import { ScriptTerminal } from "./terminal";
import type { Channel, PyScriptConfig } from "../shared/types";

const TAGS = 'script[type="py"], script[type="mpy"], script[type="py-worker"], py-script, mpy-script';

export async function startTags(): Promise<void> {
  const tags = [...document.querySelectorAll<HTMLElement>(TAGS)].filter((tag) => tag.dataset.pyworker === undefined);
  for (const tag of tags) tag.dataset.pyworker = "started";
  // A service worker a tag names comes first: registering it may reload the page.
  let channel: Channel | undefined;
  for (const tag of tags) {
    const url = tag.getAttribute("service-worker");
    if (url === null) continue;
    try {
      channel = (await serviceWorkerChannel(url)) ?? channel;
    } catch (error) {
      showError(String((error as Error).message ?? error));
    }
  }
  // The config of the scripts that name none: the page's <py-config>, <mpy-config>.
  const defaults = { py: pageConfig("py"), mpy: pageConfig("mpy") };
  for (const config of Object.values(defaults)) config.catch(() => {}); // an error shows where a script uses it
  const configOf = (tag: HTMLElement, type: string) => {
    const own = tag.getAttribute("config");
    return own !== null ? Promise.resolve(own) : defaults[type === "mpy" ? "mpy" : "py"];
  };
  // Scripts are fetched and interpreters loaded at once; they run one after the other, each once the
  // one before has ended (or, if it is async, once it has started).
  let previous: Promise<unknown> = Promise.resolve();
  const done: Promise<unknown>[] = [];
  for (const tag of tags) {
    const type = tag.getAttribute("type") ?? tag.localName.replace("-script", "");
    if (tag.hasAttribute("worker") || type === "py-worker") {
      done.push(startTagWorker(tag, type === "py-worker" ? "py" : type, configOf(tag, type), channel));
      continue;
    }
    const prepared = prepareScript(tag, type, configOf(tag, type));
    const turn = previous.then(() => prepared);
    const ran = turn.then((run) => (dispatch(tag, type, "ready"), run())).then(() => dispatch(tag, type, "done"));
    ran.catch((error: unknown) => showError(String((error as Error).message ?? error)));
    previous = (tag.hasAttribute("async") ? turn : ran).catch(() => {});
    done.push(ran.catch(() => {}));
  }
  // PyScript's events: TYPE:ready before a script runs, TYPE:done once it has, py:all-done once every one has.
  await Promise.all(done);
  document.dispatchEvent(new CustomEvent("py:all-done"));
}

function dispatch(tag: HTMLElement, type: string, what: "ready" | "done", worker = false): void {
  tag.dispatchEvent(new CustomEvent(`${type}:${what}`, { bubbles: true, detail: { worker } }));
}

/** Fetches the script and its config and loads its interpreter; resolves to what configures it and runs it. */
async function prepareScript(tag: HTMLElement, type: string, configured: Promise<string | PyScriptConfig | undefined>): Promise<() => Promise<unknown>> {
  const target = outputOf(tag, type); // before any await: in document order
  const src = tag.getAttribute("src");
  const [source, interpreter, config, terminal] = await Promise.all([
    src === null ? dedent(tag.textContent ?? "") : fetchSource(src),
    pageInterpreter(interpreterOf(type)),
    configured.then(readConfig).catch(ours),
    tag.hasAttribute("terminal") ? ScriptTerminal.after(tag, type) : undefined,
  ]);
  const filename = src === null ? "<script>" : new URL(src, document.baseURI).pathname.split("/").pop() || src;
  return async () => {
    await interpreter.configure(config).catch(ours);
    return interpreter.run(source, filename, { config: JSON.stringify(config.table), target }, terminal?.output);
  };
}

/** How many output elements of each type were made (PyScript's ids: py-0, mpy-0, ...), and worker tags given ids. */
const made: Record<string, number> = {};
let workerTags = 0;

/**
 * The id of the element a page script's display() writes to, as PyScript
 * has it: the element its `target` attribute names (an id or a selector), or
 * a <script-py> (<script-mpy>) made after it (in the body, for a script in
 * the head), which `script.target` holds too; a <py-script> element is its own.
 */
function outputOf(tag: HTMLElement, type: string): string {
  const newId = () => `${type}-${(made[type] = (made[type] ?? -1) + 1)}`;
  if (tag.localName !== "script") return (tag.id ||= newId());
  const named = tag.getAttribute("target");
  let output: Element | null;
  if (named !== null) {
    output = document.getElementById(named.replace(/^#/, "")) ?? document.querySelector(named);
    if (output === null) throw new Error(`pyworker: the target ${JSON.stringify(named)} of a <script type="${type}"> is not on the page: name an element's id`);
  } else {
    output = document.createElement(`script-${type}`);
    if (document.head.contains(tag)) document.body.append(output);
    else tag.after(output);
  }
  output.id ||= newId();
  Object.defineProperty(tag, "target", { value: output, configurable: true });
  return output.id;
}

/** An error of the runtime's (not Python's), as the page shows it. */
function ours(error: Error): never {
  throw new Error(`pyworker: ${error.message ?? error}`);
}

/** Starts a tag's worker; resolves once its code has run (or failed). */
async function startTagWorker(tag: HTMLElement, type: string, configured: Promise<string | PyScriptConfig | undefined>, channel: Channel | undefined): Promise<unknown> {
  const src = tag.getAttribute("src");
  // pyworker's own tag gives its packages as an attribute.
  const packages = tag.getAttribute("packages")?.split(",").map((p) => p.trim()).filter(Boolean);
  try {
    const config = (await configured.catch(ours)) ?? (packages === undefined ? undefined : { packages });
    // PyScript's ids for worker tags, given as each tag's config is read (a tag with a config file after those
    // without); the worker makes the tag's output element when it first needs it. The config's errors show below.
    await readConfig(config).catch(() => {});
    const target = (tag.id ||= `${type}-w${workerTags++}`);
    const terminal = tag.hasAttribute("terminal") ? await ScriptTerminal.after(tag, type) : undefined;
    const worker = startPyScriptWorker({
      src: src === null ? "data:text/x-python;charset=utf-8," + encodeURIComponent(dedent(tag.textContent ?? "")) : new URL(src, document.baseURI).href,
      type,
      name: tag.getAttribute("name") ?? undefined,
      config,
      target,
      channel,
      output: terminal?.output,
      readLine: terminal?.readLine,
    });
    // The worker's interpreter and code are ready together: its TYPE:ready, then TYPE:done.
    return worker.ready.then(
      () => (dispatch(tag, type, "ready", true), dispatch(tag, type, "done", true)),
      (error: Error) => showError(error.message),
    );
  } catch (error) {
    showError(String((error as Error).message ?? error));
    return Promise.resolve();
  }
}

async function fetchSource(src: string): Promise<string> {
  return (await fetched(new URL(src, document.baseURI), `pyworker: ${src}`)).text();
}

/** Inline code without the indentation its lines share, as it sits in the page. */
function dedent(text: string): string {
  const lines = text.split("\n");
  let common: string | undefined;
  for (const line of lines) {
    if (line.trim() === "") continue;
    const indent = /^[ \t]*/.exec(line)![0];
    if (common === undefined || indent.startsWith(common)) common ??= indent;
    else {
      let n = 0;
      while (n < common.length && common[n] === indent[n]) n++;
      common = common.slice(0, n);
    }
  }
  return lines.map((line) => line.slice(common?.length ?? 0)).join("\n");
}

/** Shows an error at the top of the page, as PyScript's error box does, and in the console. */
function showError(text: string): void {
  console.error(text);
  const box = document.createElement("pre");
  box.className = "pyworker-error";
  box.style.cssText = "color:#8b0000;background:#fff0f0;border:1px solid #8b0000;padding:0.5em;white-space:pre-wrap;";
  box.textContent = text;
  (document.body ?? document.documentElement).prepend(box);
}
