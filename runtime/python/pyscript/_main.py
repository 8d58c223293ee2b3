"""pyscript on the page's main thread: PyWorker, workers and
create_named_worker, as PyScript's main-thread module has them, over the
page's runtime (`_pyworker_page`, see pagepython.ts). Values cross to and
from workers as JSON: PyScript's must be serializable."""

import json

import _pyworker_page as _page

try:
    # A function handed to JavaScript must outlive the call that hands it over.
    from pyodide.ffi import create_proxy as _kept
except ImportError:  # MicroPython keeps what JavaScript holds

    def _kept(fn):
        return fn


class _Worker:
    """A worker the page started: `await worker.NAME(...)` calls its export
    NAME, `worker.sync` holds the functions its `sync` calls."""

    def __init__(self, handle):
        object.__setattr__(self, "_handle", handle)
        object.__setattr__(self, "sync", _Sync(handle))

    @property
    def ready(self):
        """Awaitable: the worker has started and its code has run."""
        return self._handle.ready

    def terminate(self):
        self._handle.terminate()

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _export(self._handle, name)

    def __setattr__(self, name, value):
        raise AttributeError("a worker's functions are set on its sync: worker.sync.%s = f" % name)


class PyWorker(_Worker):
    """A worker running the Python file at src (relative to the page):
    PyWorker("worker.py", type="micropython") or type="pyodide"."""

    def __init__(self, src, type=None, config=None, name=None):
        if type is None:
            raise TypeError('PyWorker() needs its interpreter: type="micropython" or type="pyodide"')
        if config is not None and not isinstance(config, str):
            config = json.dumps(config)
        _Worker.__init__(self, _page.startWorker(str(src), type, name or "", config or ""))


class _Sync:
    """`worker.sync.NAME = f` lets the worker call f as `sync.NAME(...)`;
    `await worker.sync.NAME(...)` calls what the worker set as sync.NAME."""

    def __init__(self, handle):
        object.__setattr__(self, "_handle", handle)

    def __setattr__(self, name, fn):
        if not callable(fn):
            raise TypeError("worker.sync.%s must be a function, not %s" % (name, type(fn).__name__))
        _page.setSync(self._handle, name, _kept(_json_call(fn)))

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _export(self._handle, name)


def _json_call(fn):
    """fn for the page's runtime: JSON arguments in, its value as JSON out (a coroutine of it if fn is async)."""

    def call(args):
        value = fn(*json.loads(args))
        if hasattr(value, "send"):  # a coroutine: the runtime awaits it

            async def answer():
                return json.dumps(await value)

            return answer()
        return json.dumps(value)

    return call


def _export(handle, name):
    async def call(*args):
        return json.loads(await _page.callExport(handle, name, json.dumps(args)))

    return call


class _Workers:
    """`await workers["name"]` (or `workers.name`): the worker of that name, once ready."""

    def __getitem__(self, name):
        return _named(name)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _named(name)


async def _named(name):
    return _Worker(await _page.namedWorker(name))


workers = _Workers()


async def create_named_worker(src="", name="", config=None, type="py"):
    """Starts a worker reachable as workers[name]; returns it once ready."""
    worker = PyWorker(src, type=type, config=config, name=name)
    await worker.ready
    return worker
