"""pyscript: the names of PyScript's worker module, so its worker code runs unchanged here."""

from pyworker import document, export, sync, window

__all__ = ["sync", "export", "window", "document"]
