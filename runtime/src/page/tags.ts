// PyScript's tags, started in document order once the page is parsed:
// <script type="mpy"> and <script type="py"> (and <mpy-script>, <py-script>)
// run on the page's main thread (see pagepython.ts); with a `worker`
// attribute each starts a worker instead (see pyscript.ts), as does
// pyworker's older <script type="py-worker">, kept as an alias of
// <script type="py" worker>. An error shows on the page, as PyScript's error
// box does, and in the console.

import { readConfig } from "./config";
import { fetched } from "./fetched";
import { pageInterpreter } from "./pagepython";
import { interpreterOf, serviceWorkerChannel, startPyScriptWorker } from "./pyscript";
import type { Channel } from "../shared/types";

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
  // Scripts are fetched and interpreters loaded at once; they run one after the other, each once the
  // one before has ended (or, if it is async, once it has started).
  let previous: Promise<unknown> = Promise.resolve();
  for (const tag of tags) {
    const type = tag.getAttribute("type") ?? tag.localName.replace("-script", "");
    if (tag.hasAttribute("worker") || type === "py-worker") {
      startTagWorker(tag, type === "py-worker" ? "py" : type, channel);
      continue;
    }
    const prepared = prepareScript(tag, type);
    const turn = previous.then(() => prepared);
    const ran = turn.then((run) => run());
    ran.catch((error: unknown) => showError(String((error as Error).message ?? error)));
    previous = (tag.hasAttribute("async") ? turn : ran).catch(() => {});
  }
}

/** Fetches the script and its config and loads its interpreter; resolves to what configures it and runs it. */
async function prepareScript(tag: HTMLElement, type: string): Promise<() => Promise<unknown>> {
  const src = tag.getAttribute("src");
  const [source, interpreter, config] = await Promise.all([
    src === null ? dedent(tag.textContent ?? "") : fetchSource(src),
    pageInterpreter(interpreterOf(type)),
    readConfig(tag.getAttribute("config") ?? undefined).catch(ours),
  ]);
  const filename = src === null ? "<script>" : new URL(src, document.baseURI).pathname.split("/").pop() || src;
  return async () => {
    await interpreter.configure(config).catch(ours);
    return interpreter.run(source, filename);
  };
}

/** An error of the runtime's (not Python's), as the page shows it. */
function ours(error: Error): never {
  throw new Error(`pyworker: ${error.message ?? error}`);
}

function startTagWorker(tag: HTMLElement, type: string, channel: Channel | undefined): void {
  const src = tag.getAttribute("src");
  // pyworker's own tag gives its packages as an attribute.
  const packages = tag.getAttribute("packages")?.split(",").map((p) => p.trim()).filter(Boolean);
  try {
    const worker = startPyScriptWorker({
      src: src === null ? "data:text/x-python;charset=utf-8," + encodeURIComponent(dedent(tag.textContent ?? "")) : new URL(src, document.baseURI).href,
      type,
      name: tag.getAttribute("name") ?? undefined,
      config: tag.getAttribute("config") ?? (packages === undefined ? undefined : { packages }),
      channel,
    });
    worker.ready.catch((error: Error) => showError(error.message));
  } catch (error) {
    showError(String((error as Error).message ?? error));
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
