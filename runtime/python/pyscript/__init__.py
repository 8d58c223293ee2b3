"""pyscript: the names of PyScript's worker module, so its worker code runs unchanged here,
and pyworker's install_imports."""

from pyworker import document, export, install_imports, sync, window

__all__ = ["sync", "export", "window", "document", "install_imports"]
