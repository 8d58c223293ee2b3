"""pyscript: PyScript's module, so that code written for PyScript runs here
unchanged, on both interpreters, on the page's main thread (<script
type="mpy">, type="py") and in workers. The parts, by PyScript's names:

    context     RUNNING_IN_WORKER, window, document, sync, config,
                current_target, js_import, py_import: what differs by side
    display     display() and HTML
    events      when and Event
    fetch       fetch() with Python values
    storage     a dict that persists (IndexedDB), shared by the page and its workers
    websocket   WebSocket with Python handlers
    media, fs   cameras and microphones; a local folder mounted (page, Pyodide)
    ffi, util   values between Python and JavaScript; small helpers
    web         the page's elements as Python objects (imported when asked for:
                `from pyscript import web` reads the page)
    js_modules  the config's JavaScript modules
    _main       on the page: PyWorker, workers, create_named_worker

In a worker, pyworker's own `export` (and on Pyodide `install_imports`) are
here too."""

from . import ffi, util  # noqa: F401  (pyscript.ffi, pyscript.util)
from .context import RUNNING_IN_WORKER, config, current_target, document, js_import, py_import, sync, window
from .display import HTML, display
from .events import Event, when
from .fetch import fetch
from .storage import Storage, storage
from .websocket import WebSocket

__all__ = [
    "RUNNING_IN_WORKER",
    "config",
    "current_target",
    "display",
    "document",
    "Event",
    "fetch",
    "HTML",
    "js_import",
    "py_import",
    "Storage",
    "storage",
    "sync",
    "WebSocket",
    "when",
    "window",
]

if RUNNING_IN_WORKER:
    import pyworker
    from pyworker import *  # noqa: F403  (export, install_imports)

    PyWorker = util.NotSupported("pyscript.PyWorker", "pyscript.PyWorker works only on the page's main thread, not in a worker")
    __all__ += [name for name in pyworker.__all__ if name not in __all__]
else:
    from ._main import PyWorker, create_named_worker, workers

    __all__ += ["PyWorker", "create_named_worker", "workers"]
