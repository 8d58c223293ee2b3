"""pyscript: the names of PyScript's worker module, so its worker code runs unchanged here."""

from pyworker import export, sync

__all__ = ["sync", "export"]
