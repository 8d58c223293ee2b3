// PyScript's `terminal` attribute: a terminal (the pinned xterm.js, served at
// /pyworker/xterm/ and imported only by a page that has such a script) after
// the script, where its output goes and, in a worker, where input() reads a
// line: typed with its echo, Backspace, and Enter to send it.

import { xtermURL } from "./assets";

/** The part of xterm.js's Terminal used here. */
interface XTerm {
  open(parent: HTMLElement): void;
  write(data: string): void;
  onData(listener: (data: string) => void): unknown;
  focus(): void;
}

/** Where a script's output goes: a line at a time, as the runtime prints them. */
export type Output = (stream: "stdout" | "stderr", line: string) => void;

let module: Promise<{ Terminal: new (options: object) => XTerm }> | undefined;

/** xterm.js and its style sheet, loaded once. */
function loadXTerm(): Promise<{ Terminal: new (options: object) => XTerm }> {
  if (module === undefined) {
    const style = document.createElement("link");
    style.rel = "stylesheet";
    style.href = xtermURL("css/xterm.css");
    document.head.append(style);
    module = import(xtermURL("lib/xterm.mjs"));
  }
  return module;
}

/** A script's terminal. */
export class ScriptTerminal {
  /** The line being typed. */
  private typed = "";
  /** Lines typed while nothing read (a paste of several): the next reads take them. */
  private readonly typedAhead: string[] = [];
  private reader: ((line: string) => void) | undefined;
  /** The last line written: the prompt input() printed, if it reads next. */
  private lastLine = "";

  private constructor(private readonly xterm: XTerm) {
    xterm.onData((data) => this.type(data));
  }

  /** A terminal in a new element after `tag`, PyScript's <py-terminal> (<mpy-terminal>). */
  static async after(tag: Element, type: string): Promise<ScriptTerminal> {
    const { Terminal } = await loadXTerm();
    const element = document.createElement(`${type}-terminal`);
    element.style.display = "block";
    tag.after(element);
    const xterm = new Terminal({ convertEol: true, rows: 12, scrollback: 10_000 });
    xterm.open(element);
    Object.defineProperty(tag, "terminal", { value: xterm, configurable: true });
    return new ScriptTerminal(xterm);
  }

  /** Writes a line of output; stderr's in red. */
  readonly output: Output = (stream, line) => {
    this.xterm.write(stream === "stderr" ? `\x1b[31m${line}\x1b[0m\n` : line + "\n");
    this.lastLine = line;
  };

  /** The next line typed, for input(prompt): the runtime printed the prompt as a line, so the cursor goes back after it. */
  readonly readLine = (prompt: string): Promise<string> => {
    if (prompt !== "" && prompt === this.lastLine) this.xterm.write(`\x1b[1A\x1b[${prompt.length + 1}G`);
    this.lastLine = "";
    this.xterm.focus();
    const ahead = this.typedAhead.shift();
    return ahead !== undefined ? Promise.resolve(ahead) : new Promise((resolve) => (this.reader = resolve));
  };

  private type(data: string): void {
    for (const char of data) {
      if (char === "\r") {
        const line = this.typed;
        this.typed = "";
        this.xterm.write("\r\n");
        const reader = this.reader;
        this.reader = undefined;
        if (reader !== undefined) reader(line);
        else this.typedAhead.push(line);
      } else if (char === "\x7f" || char === "\b") {
        if (this.typed === "") continue;
        this.typed = [...this.typed].slice(0, -1).join("");
        this.xterm.write("\b \b");
      } else if (char >= " ") {
        this.typed += char;
        this.xterm.write(char);
      }
    }
  }
}
