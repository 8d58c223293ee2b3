// The page side of playground_test.go (and lifecycle_test.go's playground
// test): the playground driven as a user does, and what it shows.
import greeting from "./python/playground/greeting.py";
import hello from "./python/playground/hello.py";
import linesAtOnce from "./python/playground/lines_at_once.py";
import looping from "./python/playground/looping.py";
import manyLines from "./python/playground/many_lines.py";
import raises from "./python/playground/raises.py";

/** What the tests type into the editor, by name. */
const programs = {
  looping,
  greeting,
  manyLines,
  linesAtOnce,
  hello,
  raises,
  printX: "print(x + 1)",
  askMore: "input('More? ')",
  askWait: "input('Wait? ')",
  hasX: "print('x' in globals())",
};

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/** Puts one of the programs in the editor and clicks Run. */
export async function run(program: keyof typeof programs): Promise<void> {
  $<HTMLTextAreaElement>("code").value = programs[program];
  $("run").click();
}

/** Clicks the element selector names, as a user's click does (a disabled button ignores it). */
export async function click(selector: string): Promise<void> {
  document.querySelector<HTMLElement>(selector)!.click();
}

/** Types line into the input line and presses Enter, which submits its form. */
export async function typeLine(line: string): Promise<void> {
  const field = $<HTMLInputElement>("stdin-line");
  field.value = line;
  field.form!.requestSubmit();
}

/** Switches the interpreter, as the select's change does. */
export async function choose(interpreter: string): Promise<void> {
  const select = $<HTMLSelectElement>("interpreter");
  select.value = interpreter;
  select.dispatchEvent(new Event("change"));
}

/** What the playground shows. */
export interface State {
  output: string;
  note: string;
  status: string;
  runDisabled: boolean;
  stopDisabled: boolean;
  inputHidden: boolean;
}

/** Waits for the run to end; what the page shows then. */
export async function waitForRun(): Promise<State> {
  while (!$("status").textContent!.startsWith("done")) await new Promise((r) => setTimeout(r, 20));
  return {
    output: $("output").textContent!,
    note: $("output-note").hidden ? "" : $("output-note").textContent!,
    status: $("status").textContent!,
    runDisabled: $<HTMLButtonElement>("run").disabled,
    stopDisabled: $<HTMLButtonElement>("stop").disabled,
    inputHidden: $("stdin").hidden,
  };
}

/** Waits until the output holds text; all of it then. */
export async function outputWith(text: string): Promise<string> {
  while (!$("output").textContent!.includes(text)) await new Promise((r) => setTimeout(r, 20));
  return $("output").textContent!;
}

/** The progress bar's value, the phase shown and the frame-rate meter. */
export async function loadState(): Promise<{ progress: number; phase: string; fps: string }> {
  return { progress: $<HTMLProgressElement>("progress").value, phase: $("phase").textContent!, fps: $("fps").textContent! };
}

/** The longest gap between frames, the frames in which the output changed during a run, and the longest gap of a 10 ms timer. */
interface FrameStats {
  gap: number;
  updates: number;
  task: number;
  done?: boolean;
}

let stats: FrameStats = { gap: 0, updates: 0, task: 0 };

/** Starts counting frames and timer gaps, until frameStats. */
export async function countFrames(): Promise<void> {
  const output = $("output");
  const stop = $<HTMLButtonElement>("stop");
  stats = { gap: 0, updates: 0, task: 0 };
  let tick = performance.now();
  const ticking = setInterval(() => {
    const now = performance.now();
    stats.task = Math.max(stats.task, now - tick);
    tick = now;
    if (stats.done) clearInterval(ticking);
  }, 10);
  let last = performance.now();
  let lastBlock: ChildNode | null = null;
  const count = (now: number) => {
    stats.gap = Math.max(stats.gap, now - last);
    last = now;
    if (output.lastChild !== lastBlock && stop.disabled === false) stats.updates++;
    lastBlock = output.lastChild;
    if (!stats.done) requestAnimationFrame(count);
  };
  requestAnimationFrame(count);
}

/** Stops counting; what was counted. */
export async function frameStats(): Promise<FrameStats> {
  stats.done = true;
  return { gap: stats.gap, updates: stats.updates, task: stats.task };
}
