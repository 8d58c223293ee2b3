// One record per interpreter: what it can do, by which the runtime decides,
// and how it says so when it cannot. Runtime code asks the record, never the
// name; a table keyed by name (an interpreter's start, its folder) lives
// with the side that uses it.

import type { Interpreter } from "./types";

/** What an interpreter can do. */
export interface Abilities {
  /** Python suspends on a promise (Pyodide's run_sync), which the jspi channel needs. */
  suspends: boolean;
  /** Loads lock-file packages: the `packages` option, a config's packages. */
  packages: boolean;
  /** Unpacks the user's code from an archive (the `archive` option). */
  archives: boolean;
  /**
   * Its start is watched file by file (loading.ts, with the sizes the server
   * gives), and can be kept for the page's next worker: the compiled wasm, a
   * memory snapshot, a spare worker started ahead (startfrom.ts).
   */
  keepsItsStart: boolean;
}

export interface InterpreterRecord extends Abilities {
  readonly name: Interpreter;
  /** As people call it: "Pyodide". */
  readonly title: string;
}

const records: Record<Interpreter, InterpreterRecord> = {
  pyodide: { name: "pyodide", title: "Pyodide", suspends: true, packages: true, archives: true, keepsItsStart: true },
  micropython: { name: "micropython", title: "MicroPython", suspends: false, packages: false, archives: false, keepsItsStart: false },
};

/** The record of the interpreter named (Pyodide when none is); an unknown name is a TypeError naming the known ones. */
export function interpreterNamed(name: string | undefined): InterpreterRecord {
  const record = records[(name ?? "pyodide") as Interpreter];
  if (record === undefined) {
    const known = Object.keys(records).map((n) => JSON.stringify(n));
    throw new TypeError(`pyworker: the interpreter ${JSON.stringify(name)} is unknown; want ${known.join(" or ")}`);
  }
  return record;
}

/**
 * The error for what `interpreter` lacks `ability` for: "the archive option
 * needs a Pyodide worker; MicroPython's takes none yet". `what` names it, with
 * its verb ("the archive option needs").
 */
export function lacking(interpreter: InterpreterRecord, ability: keyof Abilities, what: string): string {
  const able = Object.values(records).find((r) => r[ability])!;
  return `${what} a ${able.title} worker; ${interpreter.title}'s takes none yet`;
}
