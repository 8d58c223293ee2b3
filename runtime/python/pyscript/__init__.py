"""pyscript: PyScript's module, so that code written for PyScript runs here
unchanged. On the page's main thread (<script type="mpy">, type="py"): PyWorker,
workers, create_named_worker, window and document (see _main). In a worker:
the names of PyScript's worker module, which are pyworker's (sync, window,
document...), with pyworker's install_imports on Pyodide."""

try:
    import _pyworker_page  # noqa: F401  (the page's runtime registers it; a worker's does not)
except ImportError:
    import pyworker
    from pyworker import *  # noqa: F403

    __all__ = pyworker.__all__
else:
    from ._main import PyWorker, create_named_worker, document, window, workers

    __all__ = ["PyWorker", "create_named_worker", "document", "window", "workers"]
