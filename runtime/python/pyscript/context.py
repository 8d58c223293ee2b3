"""pyscript.context: where the code runs and what that gives it, on both
interpreters. On the page's main thread (the page's runtime registers
`_pyworker_page`, see pagepython.ts) `window` and `document` are the page's
own; in a worker (the worker registers `_pyworker_context`, see
session.ts) they are pyworker's references to the page's, and `sync` calls
the page. Both sides give the running script's config and output element,
and import JavaScript modules."""

import json
import sys

import js

from .util import NotSupported

try:
    import _pyworker_page as _side

    RUNNING_IN_WORKER = False
except ImportError:
    import _pyworker_context as _side

    RUNNING_IN_WORKER = True

_MICROPYTHON = sys.implementation.name == "micropython"

if RUNNING_IN_WORKER:
    from pyworker import document, sync, window  # noqa: F401  (pyscript's names)
else:
    window = js
    document = js.document
    sync = NotSupported("pyscript.sync", "pyscript.sync works only in a worker: the page calls a worker's functions as worker.sync.NAME()")

# The config of the script that started this interpreter, as it was written, with its interpreter's type.
config = json.loads(_side.config or "{}")
config["type"] = "mpy" if _MICROPYTHON else "py"


_worker_target = None


def current_target():
    """The id of the running script's output element, where display() writes by default."""
    if not RUNNING_IN_WORKER:
        return _side.target
    global _worker_target
    if _worker_target is None and _side.target:
        _worker_target = _output_of(_side.target)
    return _worker_target


def _output_of(id):
    """In a worker: the output element of the page element `id`. A <script> tag's is a
    <script-py> (<script-mpy>) after it, made now if it is not there yet, as PyScript
    makes it; a <py-script> element's is itself, emptied; any other element is its own."""
    from .ffi import is_none

    element = document.getElementById(id)
    if is_none(element) or element.tagName not in ("SCRIPT", "PY-SCRIPT", "MPY-SCRIPT"):
        return id
    if element.tagName != "SCRIPT":
        element.replaceChildren()
        element.style.display = "block"
        return id
    output_id = id + "-target"
    if is_none(document.getElementById(output_id)):
        output = document.createElement("script-" + config["type"])
        output.id = output_id
        element.after(output)
    return output_id


async def js_import(*urls):
    """Imports JavaScript modules (URLs relative to the page): their namespaces, in order."""
    return await _side.jsImport(*urls)


async def py_import(*names):
    """Imports Python modules, loading the Pyodide packages they need first; the modules, in order."""
    if not _MICROPYTHON:
        import pyodide_js

        await pyodide_js.loadPackagesFromImports("\n".join("import " + name for name in names))
    modules = []
    for name in names:
        module = __import__(name)
        for part in name.split(".")[1:]:
            module = getattr(module, part)
        modules.append(module)
    return modules
