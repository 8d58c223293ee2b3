"""The page from Pyodide: its sync functions, the worker's exports, how an
operation on `window`/`document` reaches it (see _pageobjects), and the
callbacks Python hands it."""

from asyncio import ensure_future
from inspect import iscoroutine

import js
from pyodide.ffi import JsException, JsProxy, jsnull, run_sync, to_js

from . import _callbacks, _pageobjects
from ._run import _SCALARS, _error_reply, _globals, _result_reply, _to_js
from ._exports import Sync, export, exported  # noqa: F401  (export is pyworker's)
from ._pageobjects import PageObject, document, window  # noqa: F401  (pyworker's names)


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


def _not_connected(*args):
    raise RuntimeError("pyworker is not connected to its worker yet")


# How Python reaches the page: through the worker's hooks, which connect()
# gives once the interpreter has started. Nothing here holds a JavaScript
# object before that, so a memory snapshot of the imported module can be
# made and restored in any worker.
_call_page = _ask_page = _read_line = _sleep = _not_connected


def connect(hooks):
    """Calls the page through `hooks` (the worker's callPage, pageOp, readLine, sleep and channel)."""
    global _call_page, _ask_page, _read_line, _sleep
    if hooks.channel == "jspi":

        def _call_page(*args):
            return _wait(hooks.callPage(*args))

        def _ask_page(*args):
            return _wait(hooks.pageOp(*args))

        def _read_line(prompt):
            return _wait(hooks.readLine(prompt))

    else:
        _call_page, _ask_page, _read_line = hooks.callPage, hooks.pageOp, hooks.readLine
    _sleep = hooks.sleep


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


def _page_op(op, ref, key, args, path):
    """One operation on a page object (see _pageobjects): its value, or ("ref", ref, callable); a list of them for a path."""
    released = _pageobjects.released()
    wires = to_js([_to_wire(a) for a in args], dict_converter=js.Object.fromEntries) if args else None
    describe = _pageobjects.describe(op, ref, key)
    # The fields in the contract's order (see _contract.PAGE_OP), then what the page needs besides.
    answer = _ask_page(op, ref, key, wires, to_js(path) if path else None, released and to_js(released), describe)
    return [_answer(a) for a in answer] if path else _answer(answer)


def _answer(answer):
    if answer is None or answer is jsnull or type(answer) in _SCALARS:
        return answer
    return ("ref", answer.ref, answer.callable)


_pageobjects.connect(_page_op)


def _to_wire(value):
    if isinstance(value, PageObject):
        return {"ref": value._ref}
    if callable(value):
        return {"callback": _callbacks.keep(value)}
    return {"value": _to_js(value, "an argument")}


def _from_wire(wire):
    if hasattr(wire, "ref"):
        return PageObject(wire.ref, wire.callable)
    return getattr(wire, "value", None)  # an undefined value arrives as no key


def _call_callback(key, args):
    """Runs callback `key` for the page; its result is dropped (an async one's too), its error reported."""
    try:
        value = _callbacks.call(key, [_from_wire(a) for a in args])
    except BaseException as exc:
        return _error_reply(exc)
    if iscoroutine(value):
        return ensure_future(_await_reply(value, keep_value=False))
    return None


def _forget_callbacks(pairs):
    """The page dropped these callbacks: [id, times it was sent them] pairs."""
    _callbacks.forget(pairs)
