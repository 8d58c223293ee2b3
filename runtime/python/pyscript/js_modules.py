"""pyscript.js_modules: the JavaScript modules the config's js_modules names,
each as the name it gives: `from pyscript.js_modules import confetti`. On
the page, `main`'s; in a worker, `worker`'s, and `main`'s through the page
(each use a round trip, as any page object)."""

import _pyworker_js_modules as _modules

from .context import RUNNING_IN_WORKER


def __getattr__(name):
    module = getattr(_modules, name, None)
    if module is None and RUNNING_IN_WORKER and not name.startswith("__"):
        from pyworker._pageobjects import main_modules

        module = getattr(main_modules, name)
    if module is None:
        # ImportError, as `from pyscript.js_modules import NAME` raises in CPython (MicroPython keeps AttributeError).
        raise ImportError("no JavaScript module is named %r here: name it in the config's js_modules" % name)
    return module
