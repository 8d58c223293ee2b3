// The Python packages the worker writes into site-packages before Python
// starts, by path: pyworker (python/pyworker) and its alias pyscript.

import pyworker from "../python/pyworker/__init__.py";
import archive from "../python/pyworker/_archive.py";
import consoleModule from "../python/pyworker/_console.py";
import install from "../python/pyworker/_install.py";
import packages from "../python/pyworker/_packages.py";
import page from "../python/pyworker/_page.py";
import run from "../python/pyworker/_run.py";
import pyscript from "../python/pyscript/__init__.py";

export const pythonFiles: Record<string, string> = {
  "pyworker/__init__.py": pyworker,
  "pyworker/_archive.py": archive,
  "pyworker/_console.py": consoleModule,
  "pyworker/_install.py": install,
  "pyworker/_packages.py": packages,
  "pyworker/_page.py": page,
  "pyworker/_run.py": run,
  "pyscript/__init__.py": pyscript,
};
