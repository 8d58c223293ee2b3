// The playground: runs the editor's code in a pyworker, shows output, errors,
// load progress and a live frame-rate meter.

// Served by the same server; tsconfig maps it to runtime/src/pyworker.ts.
import { createWorker, type Progress, type RunResult } from "/pyworker/pyworker.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const code = $<HTMLTextAreaElement>("code");
const runButton = $<HTMLButtonElement>("run");
const output = $<HTMLPreElement>("output");
const status = $<HTMLSpanElement>("status");

function write(text: string, kind = ""): void {
  const span = document.createElement("span");
  if (kind) span.className = kind;
  span.textContent = text.endsWith("\n") ? text : text + "\n";
  output.append(span);
  output.scrollTop = output.scrollHeight;
}

const worker = createWorker({
  stdout: (text) => write(text),
  stderr: (text) => write(text, "err"),
  onProgress: ({ phase, loaded, total }: Progress) => {
    $<HTMLProgressElement>("progress").value = total ? loaded / total : 0;
    $("phase").textContent = phase === "ready" ? "Python is ready" : `${phase}… ${(loaded / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB`;
  },
});

worker.ready.then(
  () => {
    runButton.disabled = false;
    status.textContent = "ready";
  },
  (error: Error) => write(String(error.message), "err"),
);

async function run(): Promise<void> {
  runButton.disabled = true;
  status.textContent = "running…";
  const started = performance.now();
  try {
    const result: RunResult = await worker.run(code.value, { context: { A_rank: [0.8, 0.4, 1.2, 3.7, 2.6, 5.8] } });
    if (result.error !== undefined) write(result.error, "err");
    else if (result.results !== undefined) write(show(result.results), "result");
  } catch (error) {
    write(String((error as Error).message), "err");
  } finally {
    runButton.disabled = false;
    status.textContent = `done in ${(performance.now() - started).toFixed(0)} ms`;
  }
}

function show(value: unknown): string {
  if (typeof value === "string") return value;
  if (ArrayBuffer.isView(value)) return `${value.constructor.name}(${(value as Uint8Array).length})`;
  try {
    return JSON.stringify(value, (_, v) => (typeof v === "bigint" ? `${v}n` : v));
  } catch {
    return String(value);
  }
}

runButton.addEventListener("click", run);
code.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    if (!runButton.disabled) run();
  }
});

// Frame-rate meter: frames painted in the last second; red when the page stalls.
const fps = $("fps");
let frames: number[] = [];
function frame(now: number): void {
  frames.push(now);
  frames = frames.filter((t) => now - t < 1000);
  const gap = frames.length > 1 ? now - frames[frames.length - 2] : 0;
  fps.textContent = `${frames.length} fps`;
  fps.classList.toggle("slow", gap > 100);
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);
