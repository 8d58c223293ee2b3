// The Python packages the worker writes into the interpreter's file system
// before Python starts, by path: pyworker (python/pyworker) and its alias
// pyscript. Each interpreter gets the parts it runs.

import pyworker from "../python/pyworker/__init__.py";
import archive from "../python/pyworker/_archive.py";
import consoleModule from "../python/pyworker/_console.py";
import exportsModule from "../python/pyworker/_exports.py";
import install from "../python/pyworker/_install.py";
import micropython from "../python/pyworker/_micropython.py";
import packages from "../python/pyworker/_packages.py";
import page from "../python/pyworker/_page.py";
import run from "../python/pyworker/_run.py";
import source from "../python/pyworker/_source.py";
import pyscript from "../python/pyscript/__init__.py";

const everywhere: Record<string, string> = {
  "pyworker/__init__.py": pyworker,
  "pyworker/_exports.py": exportsModule,
  "pyworker/_source.py": source,
  "pyscript/__init__.py": pyscript,
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
