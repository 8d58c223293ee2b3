"""pyscript: the names of PyScript's worker module, so its worker code runs unchanged here,
and pyworker's install_imports: those pyworker has on this interpreter."""

import pyworker
from pyworker import *  # noqa: F403

__all__ = pyworker.__all__
