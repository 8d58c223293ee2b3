// The playground: runs the editor's code in a pyworker as an interactive
// runner (streamed output, a line to type in when the program asks, Stop),
// with load progress and a live frame-rate meter.

// Served by the same server; tsconfig maps it to runtime/src/page/pyworker.ts.
import { createWorker, type Interpreter, type Progress, type RunResult } from "/pyworker/pyworker.js";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const code = $<HTMLTextAreaElement>("code");
const runButton = $<HTMLButtonElement>("run");
const stopButton = $<HTMLButtonElement>("stop");
const status = $<HTMLSpanElement>("status");
const terminal = $<HTMLDivElement>("terminal");
const outputNote = $<HTMLDivElement>("output-note");
const output = $<HTMLDivElement>("output");
const stdinForm = $<HTMLFormElement>("stdin");
const promptLabel = $<HTMLLabelElement>("prompt");
const stdinLine = $<HTMLInputElement>("stdin-line");
const interpreterSelect = $<HTMLSelectElement>("interpreter");

// Output. Written text waits in `pending` and reaches the page once per
// animation frame, and only the last MAX_LINES lines (at most MAX_CHARS
// characters) are kept: a program printing 100,000 lines neither freezes the
// page nor bloats it. The text goes in blocks of up to BLOCK_LINES lines that
// leave from the top whole, so the browser lays out only what comes and goes.
const MAX_LINES = 5000;
const MAX_CHARS = 1_000_000;
const BLOCK_LINES = 500;
const BLOCK_CHARS = 100_000;

/** Text ending in a newline; kind "" is stdout, "err" stderr and errors, "result" the run's value. */
interface Part {
  text: string;
  kind: string;
  lines: number;
}

/** A block of the output: each stretch of text of one kind is one text node or span. */
class Block {
  readonly element = document.createElement("div");
  lines = 0;
  chars = 0;
  private stretch: string[] = [];
  private kind = "";

  add(part: Part): void {
    if (part.kind !== this.kind) this.endStretch();
    this.kind = part.kind;
    this.stretch.push(part.text);
    this.lines += part.lines;
    this.chars += part.text.length;
  }

  endStretch(): void {
    if (this.stretch.length === 0) return;
    const text = this.stretch.join("");
    this.stretch = [];
    if (this.kind === "") {
      this.element.append(text);
    } else {
      const span = document.createElement("span");
      span.className = this.kind;
      span.textContent = text;
      this.element.append(span);
    }
  }
}

let pending: Part[] = [];
let pendingLines = 0;
let pendingChars = 0;
const blocks: Block[] = [];
let shownLines = 0;
let shownChars = 0;
let linesNotShown = 0;
let frameRequested = false;

function write(text: string, kind = ""): void {
  const line = text.endsWith("\n") ? text : text + "\n";
  pending.push({ text: line, kind, lines: countLines(line) });
  pendingLines += pending[pending.length - 1].lines;
  pendingChars += line.length;
  if (frameRequested) return;
  frameRequested = true;
  requestAnimationFrame(() => {
    frameRequested = false;
    flushOutput();
  });
}

/** Shows the pending text now and drops the oldest blocks beyond the caps. */
function flushOutput(): void {
  if (pending.length === 0) return;
  const parts = withinCaps(pending);
  linesNotShown += pendingLines - parts.reduce((sum, part) => sum + part.lines, 0);
  pending = [];
  pendingLines = pendingChars = 0;

  const following = terminal.scrollTop + terminal.clientHeight >= terminal.scrollHeight - 8;
  let block = new Block();
  for (const part of parts) {
    if (block.lines > 0 && (block.lines + part.lines > BLOCK_LINES || block.chars + part.text.length > BLOCK_CHARS)) {
      appendBlock(block);
      block = new Block();
    }
    block.add(part);
  }
  appendBlock(block);
  while (blocks.length > 1 && (shownLines > MAX_LINES || shownChars > MAX_CHARS)) {
    const oldest = blocks.shift()!;
    oldest.element.remove();
    shownLines -= oldest.lines;
    shownChars -= oldest.chars;
    linesNotShown += oldest.lines;
  }
  outputNote.hidden = linesNotShown === 0;
  outputNote.textContent = `… ${linesNotShown.toLocaleString("en")} earlier lines not shown`;
  if (following) terminal.scrollTop = terminal.scrollHeight;
}

function appendBlock(block: Block): void {
  block.endStretch();
  output.append(block.element);
  blocks.push(block);
  shownLines += block.lines;
  shownChars += block.chars;
}

/** The last of `parts` that fit the caps: more would only be dropped from the top at once. */
function withinCaps(parts: Part[]): Part[] {
  if (pendingLines <= MAX_LINES && pendingChars <= MAX_CHARS) return parts;
  let first = parts.length;
  let lines = 0;
  let chars = 0;
  while (first > 0 && lines + parts[first - 1].lines <= MAX_LINES && chars + parts[first - 1].text.length <= MAX_CHARS) {
    first--;
    lines += parts[first].lines;
    chars += parts[first].text.length;
  }
  const kept = parts.slice(first);
  // The part that does not fit whole (a long traceback or result) keeps its end.
  if (first > 0 && lines < MAX_LINES && chars < MAX_CHARS) kept.unshift(endOf(parts[first - 1], MAX_LINES - lines, MAX_CHARS - chars));
  return kept;
}

/** The last `lines` lines of `part`, cut to its last `chars` characters if they are longer. */
function endOf(part: Part, lines: number, chars: number): Part {
  const { text } = part;
  let newline = text.length - 1; // the one ending the last line
  for (let n = 0; n < lines && newline >= 0; n++) newline = newline > 0 ? text.lastIndexOf("\n", newline - 1) : -1;
  const end = text.slice(Math.max(newline + 1, text.length - chars));
  return { text: end, kind: part.kind, lines: countLines(end) };
}

function countLines(text: string): number {
  let lines = 0;
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
  return lines;
}

function clearOutput(): void {
  pending = [];
  pendingLines = pendingChars = 0;
  blocks.length = 0;
  shownLines = shownChars = linesNotShown = 0;
  output.replaceChildren();
  outputNote.hidden = true;
}

// Input. The program's input(prompt) shows the prompt with a field to type in,
// below the output; what is sent stays in the output after the prompt, as in
// a terminal.
let inputPrompt = "";
let answerInput: ((line: string | null) => void) | undefined;

function readLine(prompt: string): Promise<string | null> {
  // The runtime has just written the prompt to stdout as a line of its own; it shows beside the field instead.
  if (prompt !== "") {
    const written = pending.pop()!;
    pendingLines -= written.lines;
    pendingChars -= written.text.length;
  }
  flushOutput();
  inputPrompt = prompt;
  promptLabel.textContent = prompt;
  stdinLine.value = "";
  stdinForm.hidden = false;
  stdinLine.focus();
  return new Promise((resolve) => (answerInput = resolve));
}

/** Hides the field; the prompt and what was typed stay in the output. */
function closeInput(typed = ""): void {
  write(inputPrompt + typed);
  stdinForm.hidden = true;
  answerInput = undefined;
}

/** Gives the program its line; null is the end of input (EOFError). */
function sendInput(line: string | null): void {
  const answer = answerInput;
  closeInput(line ?? "");
  answer?.(line);
}

stdinForm.addEventListener("submit", (event) => {
  event.preventDefault();
  sendInput(stdinLine.value);
});
stdinLine.addEventListener("keydown", (event) => {
  // Ctrl-D on an empty line ends the input, as in a terminal.
  if (event.key === "d" && event.ctrlKey) {
    event.preventDefault();
    if (stdinLine.value === "") sendInput(null);
  }
});
$("eof").addEventListener("click", () => sendInput(null));

// Each interpreter's example; switching replaces the other's while it is unedited.
const examples: Record<Interpreter, string> = {
  pyodide: code.value,
  micropython: `import sys

print("MicroPython", sys.version, "runs in a Web Worker, started in a blink.")
name = input("Your name? ")
f"Hello, {name}!"`,
};

function startWorker(interpreter: Interpreter) {
  runButton.disabled = true;
  $("phase").textContent = `loading ${interpreter === "micropython" ? "MicroPython" : "Pyodide"}…`;
  const started = createWorker({
    interpreter,
    stdout: (text) => write(text),
    stderr: (text) => write(text, "err"),
    stdin: readLine,
    onProgress: ({ phase, loaded, total }: Progress) => {
      $<HTMLProgressElement>("progress").value = total ? loaded / total : 0;
      $("phase").textContent = phase === "ready" ? "Python is ready" : `${phase}… ${(loaded / 1e6).toFixed(1)} of ${(total / 1e6).toFixed(1)} MB`;
    },
  });
  started.ready.then(
    () => {
      if (worker !== started) return;
      runButton.disabled = false;
      status.textContent = "ready";
      $("phase").textContent = "Python is ready";
      $<HTMLProgressElement>("progress").value = 1;
    },
    (error: Error) => write(String(error.message), "err"),
  );
  return started;
}

let interpreter: Interpreter = "pyodide";
let worker = startWorker(interpreter);

interpreterSelect.addEventListener("change", () => {
  const next = interpreterSelect.value as Interpreter;
  if (code.value === examples[interpreter]) code.value = examples[next];
  worker.terminate();
  interpreter = next;
  worker = startWorker(interpreter);
});

async function run(): Promise<void> {
  runButton.disabled = true;
  stopButton.disabled = false;
  clearOutput();
  status.textContent = "running…";
  const started = performance.now();
  let result: RunResult | Error;
  try {
    // The Pyodide example reads A_rank from the page; MicroPython workers take no context yet.
    const context = interpreter === "pyodide" ? { A_rank: [0.8, 0.4, 1.2, 3.7, 2.6, 5.8] } : undefined;
    result = await worker.run(code.value, { context });
  } catch (error) {
    // Stop without shared memory: the worker was restarted and the error says the state was lost.
    result = error as Error;
  }
  if (answerInput !== undefined) closeInput(); // Stop ended the wait for input
  if (result instanceof Error) write(String(result.message), "err");
  else if (result.error !== undefined) write(result.error, "err");
  else if (result.results !== undefined) write(show(result.results), "result");
  flushOutput(); // all of it shows with the status
  runButton.disabled = false;
  stopButton.disabled = true;
  status.textContent = `done in ${(performance.now() - started).toFixed(0)} ms`;
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
stopButton.addEventListener("click", () => {
  status.textContent = "stopping…";
  worker.interrupt();
});
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
