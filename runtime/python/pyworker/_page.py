"""The page, from Python: its sync functions, the worker's exports, and
`window`/`document` with the callbacks Python hands them."""

from asyncio import ensure_future
from inspect import iscoroutine

import _pyworker_js
import js
from pyodide.ffi import JsException, JsProxy, jsnull, run_sync, to_js

from ._run import _SCALARS, _error_reply, _globals, _result_reply, _to_js

from ._exports import Sync, export, exported  # noqa: F401  (export is pyworker's)


# The page's answers: returned by the worker's JavaScript, or on the jspi
# channel a promise of them, which run_sync waits for by suspending Python.
def _wait(promise):
    """Suspends Python until the page's answer (jspi); an answer that interrupts raises KeyboardInterrupt."""
    try:
        return run_sync(promise)
    except JsException as exc:
        if exc.name == "KeyboardInterrupt":
            raise KeyboardInterrupt from None
        raise


if _pyworker_js.channel == "jspi":

    def _call_page(*args):
        return _wait(_pyworker_js.callPage(*args))

    def _ask_page(*args):
        return _wait(_pyworker_js.pageOp(*args))

    def _read_line(prompt):
        return _wait(_pyworker_js.readLine(prompt))

else:
    _call_page = _pyworker_js.callPage
    _ask_page = _pyworker_js.pageOp
    _read_line = _pyworker_js.readLine


class _PageFunction:
    """A function the page assigned to `worker.sync`; calling it blocks until the page answers."""

    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __call__(self, *args, **kwargs):
        if kwargs:
            raise TypeError(f"sync.{self.name}() takes positional arguments only (JavaScript has no keywords)")
        # Scalars convert on their own as they cross; to_js is for the rest.
        return _call_page(
            self.name,
            *(a if a is None or type(a) in _SCALARS else _to_js(a, f"an argument of sync.{self.name}()") for a in args),
        )

    def __repr__(self):
        return f"<page function sync.{self.name}>"


sync = Sync(_PageFunction)


def _call_export(name, *args):
    """Calls exported function `name` for the page; returns a reply as `_run` does."""
    try:
        fn = exported(name, _globals)
        value = fn(*(a.to_py() if isinstance(a, JsProxy) else a for a in args))
    except BaseException as exc:
        return _error_reply(exc)
    if iscoroutine(value):
        return ensure_future(_await_reply(value))
    return _result_reply(value)


async def _await_reply(coroutine, keep_value=True):
    """The reply for an async function's outcome; a callback's value is not kept."""
    try:
        value = await coroutine
    except BaseException as exc:
        return _error_reply(exc)
    return _result_reply(value) if keep_value else None


class PageObject:
    """An object of the page (`window`, `document`, and what is got from them).

    Every attribute read, assignment, call or `new` is one synchronous round
    trip to the page. Strings, numbers, booleans and None come back as values;
    anything else as another PageObject, which the page forgets once Python
    drops it. Python functions passed in become callbacks the page can call
    (an event listener, say); they run when the worker is not busy.
    """

    __slots__ = ("_ref", "_callable", "__weakref__")

    def __init__(self, ref, callable=False):
        object.__setattr__(self, "_ref", ref)
        object.__setattr__(self, "_callable", callable)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _page_op("get", self._ref, name)

    def __setattr__(self, name, value):
        _page_op("set", self._ref, name, [value])

    def __getitem__(self, key):
        return _page_op("get", self._ref, key)

    def __setitem__(self, key, value):
        _page_op("set", self._ref, key, [value])

    def __call__(self, *args):
        return _page_op("call", self._ref, None, args)

    def new(self, *args):
        """`new` of a page constructor: `window.Date.new(2026, 0, 1)`."""
        return _page_op("new", self._ref, None, args)

    def __repr__(self):
        return f"<page object #{self._ref}>"

    def __del__(self):
        if self._ref > 1:  # window and document live as long as the page
            _released.append(self._ref)


window = PageObject(0)
document = PageObject(1)

# Dropped references, sent to the page with the next page op.
_released = []

# Python functions handed to the page as callbacks, by id: [function, times
# sent]. The page counts what it got and says when it has dropped a function.
_callbacks = {}


def _page_op(op, ref, key, args=()):
    released = None
    if _released:  # the page forgets them with this op: no message of their own
        released = to_js(_released)
        _released.clear()
    wires = to_js([_to_wire(a) for a in args], dict_converter=js.Object.fromEntries) if args else None
    what = f"document.{key}" if ref == 1 else f"window.{key}" if ref == 0 else f"page object {op}"
    answer = _ask_page(op, ref, key, wires, released, what)
    if answer is None or answer is jsnull or type(answer) in _SCALARS:
        return answer
    return PageObject(answer.ref, answer.callable)


def _to_wire(value):
    if isinstance(value, PageObject):
        return {"ref": value._ref}
    if callable(value):
        key = id(value)
        entry = _callbacks.get(key)
        if entry is None:
            _callbacks[key] = [value, 1]
        else:
            entry[1] += 1
        return {"callback": key}
    return {"value": _to_js(value, "an argument")}


def _from_wire(wire):
    if hasattr(wire, "ref"):
        return PageObject(wire.ref, wire.callable)
    return getattr(wire, "value", None)  # an undefined value arrives as no key


def _call_callback(key, args):
    """Runs callback `key` for the page; its result is dropped (an async one's too), its error reported."""
    try:
        value = _callbacks[key][0](*(_from_wire(a) for a in args))
    except BaseException as exc:
        return _error_reply(exc)
    if iscoroutine(value):
        return ensure_future(_await_reply(value, keep_value=False))
    return None


def _forget_callbacks(pairs):
    """The page dropped these callbacks: [id, times it was sent them] pairs."""
    for key, times in pairs:
        entry = _callbacks.get(key)
        if entry is not None:
            entry[1] -= times
            if entry[1] <= 0:
                del _callbacks[key]
