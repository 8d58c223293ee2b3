// The Python packages written into an interpreter's file system before
// Python starts, by path: in a worker, pyworker (python/pyworker) and its
// alias pyscript, each interpreter the parts it runs; on the page, pyscript's
// main-thread side (python/pyscript/_main.py).

import pyworker from "../../python/pyworker/__init__.py";
import archive from "../../python/pyworker/_archive.py";
import contract from "../../python/pyworker/_contract.py";
import consoleModule from "../../python/pyworker/_console.py";
import exportsModule from "../../python/pyworker/_exports.py";
import install from "../../python/pyworker/_install.py";
import micropython from "../../python/pyworker/_micropython.py";
import packages from "../../python/pyworker/_packages.py";
import page from "../../python/pyworker/_page.py";
import pageObjects from "../../python/pyworker/_pageobjects.py";
import run from "../../python/pyworker/_run.py";
import source from "../../python/pyworker/_source.py";
import pyscript from "../../python/pyscript/__init__.py";
import pyscriptMain from "../../python/pyscript/_main.py";
import jsModules from "../../python/pyscript/js_modules.py";

const everywhere: Record<string, string> = {
  "pyworker/__init__.py": pyworker,
  "pyworker/_contract.py": contract,
  "pyworker/_exports.py": exportsModule,
  "pyworker/_pageobjects.py": pageObjects,
  "pyworker/_source.py": source,
  "pyscript/__init__.py": pyscript,
  "pyscript/js_modules.py": jsModules,
};

export const pyodideFiles: Record<string, string> = {
  ...everywhere,
  "pyworker/_archive.py": archive,
  "pyworker/_console.py": consoleModule,
  "pyworker/_install.py": install,
  "pyworker/_packages.py": packages,
  "pyworker/_page.py": page,
  "pyworker/_run.py": run,
};

export const micropythonFiles: Record<string, string> = {
  ...everywhere,
  "pyworker/_micropython.py": micropython,
};

/** For Python on the page (see pagepython.ts). */
export const pageFiles: Record<string, string> = {
  "pyscript/__init__.py": pyscript,
  "pyscript/_main.py": pyscriptMain,
  "pyscript/js_modules.py": jsModules,
};

/** The parts of an interpreter's file system (Emscripten's FS) that files are written with. */
export interface FileSystem {
  mkdirTree(path: string): void;
  writeFile(path: string, data: string | Uint8Array): void;
  /** The working folder. */
  cwd(): string;
}

/** Writes files (path → contents) under the folder root (ending in "/", or "" for absolute paths). */
export function writeFiles(fs: FileSystem, root: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, contents] of Object.entries(files)) {
    const folder = (root + path).slice(0, (root + path).lastIndexOf("/"));
    if (folder !== "") fs.mkdirTree(folder);
    fs.writeFile(root + path, contents);
  }
}
