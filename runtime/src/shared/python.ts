// The Python packages written into an interpreter's file system before
// Python starts, by path: in a worker, pyworker (python/pyworker) and its
// alias pyscript, each interpreter the parts it runs; on the page, pyscript's
// main-thread side (python/pyscript/_main.py).

import pyworker from "../../python/pyworker/__init__.py";
import archive from "../../python/pyworker/_archive.py";
import callbacks from "../../python/pyworker/_callbacks.py";
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
import pyscriptContext from "../../python/pyscript/context.py";
import pyscriptDisplay from "../../python/pyscript/display.py";
import pyscriptEvents from "../../python/pyscript/events.py";
import pyscriptFetch from "../../python/pyscript/fetch.py";
import pyscriptFfi from "../../python/pyscript/ffi.py";
import pyscriptFs from "../../python/pyscript/fs.py";
import pyscriptMedia from "../../python/pyscript/media.py";
import jsModules from "../../python/pyscript/js_modules.py";
import pyscriptStorage from "../../python/pyscript/storage.py";
import pyscriptUtil from "../../python/pyscript/util.py";
import pyscriptWebSocket from "../../python/pyscript/websocket.py";
import pyscriptWeb from "../../python/pyscript/web/__init__.py";
import pyscriptWebElement from "../../python/pyscript/web/element.py";
import pyscriptWebTags from "../../python/pyscript/web/tags.py";

/** PyScript's module, what of it runs on every side. */
const pyscriptFiles: Record<string, string> = {
  "pyscript/__init__.py": pyscript,
  "pyscript/context.py": pyscriptContext,
  "pyscript/display.py": pyscriptDisplay,
  "pyscript/events.py": pyscriptEvents,
  "pyscript/fetch.py": pyscriptFetch,
  "pyscript/ffi.py": pyscriptFfi,
  "pyscript/fs.py": pyscriptFs,
  "pyscript/media.py": pyscriptMedia,
  "pyscript/js_modules.py": jsModules,
  "pyscript/storage.py": pyscriptStorage,
  "pyscript/util.py": pyscriptUtil,
  "pyscript/websocket.py": pyscriptWebSocket,
  "pyscript/web/__init__.py": pyscriptWeb,
  "pyscript/web/element.py": pyscriptWebElement,
  "pyscript/web/tags.py": pyscriptWebTags,
};

const everywhere: Record<string, string> = {
  "pyworker/__init__.py": pyworker,
  "pyworker/_callbacks.py": callbacks,
  "pyworker/_contract.py": contract,
  "pyworker/_exports.py": exportsModule,
  "pyworker/_pageobjects.py": pageObjects,
  "pyworker/_source.py": source,
  ...pyscriptFiles,
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
  ...pyscriptFiles,
  "pyscript/_main.py": pyscriptMain,
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
