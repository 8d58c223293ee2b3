"""pyscript.js_modules: the JavaScript modules the config's js_modules names
(`main` on the page, `worker` in a worker), each as the name it gives:
`from pyscript.js_modules import confetti`."""

import _pyworker_js_modules as _modules


def __getattr__(name):
    try:
        return getattr(_modules, name)
    except AttributeError:
        # ImportError, as `from pyscript.js_modules import NAME` raises in CPython (MicroPython keeps AttributeError).
        raise ImportError("no JavaScript module is named %r here: name it in the config's js_modules" % name) from None
