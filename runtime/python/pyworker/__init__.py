"""pyworker: the Python side of a pyworker Web Worker.

User code imports `sync`, `export`, `window`, `document` and `install_imports`
from here (or from `pyscript`):

    from pyworker import sync, export
    greeting = sync.hello("x")      # calls the page's w.sync.hello, synchronously

    @export                         # the page calls: await w.exports.double(21)
    def double(n):
        return 2 * n

    await install_imports(source)   # loads the packages source imports

The worker's JavaScript calls `_connect` once the interpreter has started,
`_run` for every `run`/`asyncRun`, `_call_export` for every call of an
exported function and `_call_callback` for every call of a Python function
the page holds. The parts:

    _contract   what crosses to the worker's JavaScript: replies, hooks, entry points
    _run        running code: compile, context, packages, results, errors
    _page       the page from Pyodide: sync functions, exports, page objects' ops, callbacks
    _pageobjects  window/document: references to the page's objects, on every interpreter
    _console    input(), sys.stdin and time.sleep through the page
    _install    install_imports
    _archive    unpacking the `archive` option
    _source     source as a run takes it, in terms every interpreter has
    _exports    exports and `sync`, on every interpreter

On MicroPython the worker calls the same entry points in _micropython,
which has what MicroPython can do so far: runs, results, errors, exports,
sync calls, window/document, input() and time.sleep; _exports and
_pageobjects serve both.
"""

import sys

if sys.implementation.name == "micropython":
    # MicroPython has no ast, no pyodide.ffi: its own adapter (see _micropython).
    from ._micropython import PageObject, _call_callback, _call_export, _forget_callbacks, _run, document, export, sync, window

    __all__ = ["sync", "export", "window", "document"]
else:
    from . import _console, _page
    from ._archive import _unpack_archive
    from ._install import install_imports
    from ._page import PageObject, _call_callback, _call_export, _forget_callbacks, document, export, sync, window
    from ._run import _run

    __all__ = ["sync", "export", "window", "document", "install_imports"]

    def _connect(hooks):
        """Wires the module to its worker once the interpreter has started (from a memory snapshot or not)."""
        _page.connect(hooks)
        _console.install()
        if "random" in sys.modules:  # a snapshot's random state is the same in every worker restored from it
            sys.modules["random"].seed()
        sys.path[:] = dict.fromkeys(sys.path)  # Pyodide adds "" again as it restores a snapshot
