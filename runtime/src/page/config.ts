// PyScript's config, as its users write it: an object, inline JSON, or the
// URL of a .json or .toml file (TOML read by the pinned smol-toml, served at
// /pyworker/toml/ and imported only when a page needs it). pyworker reads
// `packages`, `files` and `js_modules` of it; a config that cannot be read
// is an error naming the file and the line (its message, without
// "pyworker: ", for the caller to place).

import { tomlParserURL } from "./assets";
import { fetched } from "./fetched";
import type { PyScriptConfig } from "../shared/types";

/** A config read and checked: URLs absolute, paths as given (relative ones are the interpreter's working folder's). */
export interface Config {
  /** The config as its author wrote it (pyscript.config). */
  table: Record<string, unknown>;
  packages: string[];
  files: { url: string; path: string }[];
  jsModules: { main: Record<string, string>; worker: Record<string, string> };
}

export const EMPTY_CONFIG: Config = { table: {}, packages: [], files: [], jsModules: { main: {}, worker: {} } };

/**
 * Reads a config given as an object, JSON text, or a file's URL (relative to
 * the page). The URLs in a config file are relative to the file, as PyScript
 * reads them; those of any other config to the page.
 */
export async function readConfig(config: string | PyScriptConfig | undefined): Promise<Config> {
  if (config === undefined || (typeof config === "string" && config.trim() === "")) return EMPTY_CONFIG;
  if (typeof config !== "string") return checked(config, "the config", document.baseURI);
  if (config.trim().startsWith("{")) return checked(parseJSON(config, "the inline config"), "the inline config", document.baseURI);
  const url = new URL(config, document.baseURI);
  let read = configFiles.get(url.href);
  if (read === undefined) {
    read = readConfigFile(url, `the config ${config}`);
    configFiles.set(url.href, read);
    read.catch(() => configFiles.delete(url.href)); // a failed read is tried again by the next script that names it
  }
  return read;
}

/** The config files read, by URL: the scripts and workers that name one share one download. */
const configFiles = new Map<string, Promise<Config>>();

async function readConfigFile(url: URL, name: string): Promise<Config> {
  const text = await (await fetched(url, name)).text();
  return checked(url.pathname.endsWith(".toml") ? await parseTOML(text, name) : parseJSON(text, name), name, url.href);
}

/**
 * The page's <py-config> (<mpy-config> for "mpy"): the config of that type's
 * scripts that name none, TOML or JSON, inline or at its `src`; undefined
 * when the page has none.
 */
export async function pageConfig(type: "py" | "mpy"): Promise<string | PyScriptConfig | undefined> {
  const elements = document.querySelectorAll<HTMLElement>(`${type}-config`);
  if (elements.length === 0) return undefined;
  for (const element of elements) element.hidden = true; // its text is config, not content (PyScript's stylesheet hides it)
  const name = `the <${type}-config> element`;
  if (elements.length > 1) throw new Error(`the page has ${elements.length} <${type}-config> elements: keep one, ${type} scripts share it`);
  const src = elements[0]!.getAttribute("src");
  if (src !== null) return src;
  const text = elements[0]!.textContent ?? "";
  return (text.trim().startsWith("{") ? parseJSON(text, name) : await parseTOML(text, name)) as PyScriptConfig;
}

async function parseTOML(text: string, name: string): Promise<unknown> {
  const { parse } = (await import(tomlParserURL())) as {
    parse(toml: string): unknown;
  };
  try {
    return parse(text);
  } catch (error) {
    const { line, message } = error as { line?: number; message: string };
    // smol-toml's message ends with the lines around the error: the first line says what is wrong.
    throw new SyntaxError(`${name} is not valid TOML, line ${line}: ${message.split("\n")[0]}`);
  }
}

function parseJSON(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // Engines word (and place) the error each their own way: the line is found here.
    throw new SyntaxError(`${name} is not valid JSON, line ${lineOf(text, jsonErrorAt(text))}: ${(error as Error).message}`);
  }
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

/** Where JSON text stops being valid JSON: the offset JSON.parse trips on. */
function jsonErrorAt(text: string): number {
  let at = 0;
  const space = () => {
    while (at < text.length && " \t\n\r".includes(text[at]!)) at++;
  };
  const fail = (): never => {
    throw at;
  };
  const expect = (word: string) => (text.startsWith(word, at) ? (at += word.length) : fail());
  const string = () => {
    expect('"');
    while (at < text.length && text[at] !== '"') {
      if (text.charCodeAt(at) < 0x20) fail();
      at += text[at] === "\\" ? 2 : 1;
    }
    expect('"');
  };
  const value = (): void => {
    space();
    const c = text[at];
    if (c === "{" || c === "[") {
      const close = c === "{" ? "}" : "]";
      at++;
      space();
      if (text[at] === close) return void at++;
      for (;;) {
        if (c === "{") {
          space();
          string();
          space();
          expect(":");
        }
        value();
        space();
        if (text[at] === ",") at++;
        else return void expect(close);
      }
    }
    if (c === '"') return string();
    const literal = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(text.slice(at));
    if (literal === null) fail();
    at += literal![0].length;
  };
  try {
    value();
    space();
    if (at < text.length) fail();
  } catch (offset) {
    if (typeof offset !== "number") throw offset;
  }
  return at;
}

/** The config's parts pyworker reads, checked (what is not as PyScript documents it is an error naming it), its URLs resolved against base. */
function checked(config: unknown, name: string, base: string): Config {
  const wrong = (what: string, value: unknown, want: string): never => {
    throw new TypeError(`${name}: ${what} must be ${want}, not ${JSON.stringify(value)}`);
  };
  if (typeof config !== "object" || config === null || Array.isArray(config)) wrong("it", config, "a table (an object)");
  const { packages = [], files = {}, js_modules: jsModules = {} } = config as PyScriptConfig;
  if (!Array.isArray(packages) || !packages.every((p) => typeof p === "string")) wrong("packages", packages, "a list of names");
  const isTable = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
  const table = (what: string, value: unknown): Record<string, string> => {
    if (!isTable(value) || !Object.values(value).every((v) => typeof v === "string")) wrong(what, value, "a table of strings");
    return value as Record<string, string>;
  };
  const modules = isTable(jsModules) ? jsModules : wrong("js_modules", jsModules, "a table with main and worker");
  const absolute = (urls: Record<string, string>) =>
    Object.fromEntries(Object.entries(urls).map(([url, as]) => [new URL(url, base).href, as]));
  return {
    table: config as Record<string, unknown>,
    packages,
    files: filesOf(table("files", files), base, wrong),
    jsModules: { main: absolute(table("js_modules.main", modules.main ?? {})), worker: absolute(table("js_modules.worker", modules.worker ?? {})) },
  };
}

/**
 * PyScript's `files`: "{NAME}" keys are placeholders the others use; a path
 * that is empty or ends in "/" takes the URL's file name.
 */
function filesOf(files: Record<string, string>, base: string, wrong: (what: string, value: unknown, want: string) => never): Config["files"] {
  const placeholders = Object.entries(files).filter(([key]) => /^\{\w+\}$/.test(key));
  const expand = (text: string) => placeholders.reduce((out, [key, value]) => out.replaceAll(key, value), text);
  const out: Config["files"] = [];
  for (const [source, target] of Object.entries(files)) {
    if (placeholders.some(([key]) => key === source)) continue;
    const url = new URL(expand(source), base);
    let path = expand(target);
    if (path.endsWith("*")) wrong(`files[${JSON.stringify(source)}]`, target, "a file's path (archives are not unpacked yet)");
    if (path === "" || path.endsWith("/")) path += url.pathname.split("/").pop();
    out.push({ url: url.href, path });
  }
  return out;
}
