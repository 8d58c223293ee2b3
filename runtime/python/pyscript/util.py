"""pyscript.util: small helpers on every interpreter and side: JavaScript
bytes as a bytearray, a name that is not available here, and whether a
function must be awaited."""

import inspect
import sys


def as_bytearray(buffer):
    """A JavaScript ArrayBuffer (or a typed array's bytes) as a Python bytearray, copied."""
    import js  # here, not above: the rest of this module runs in CPython's unit tests

    view = js.Uint8Array.new(buffer)
    if sys.implementation.name == "micropython":
        return bytearray(view)  # MicroPython reads a Uint8Array's bytes through the buffer protocol
    return bytearray(view.to_bytes())


class NotSupported:
    """Stands for a name that exists elsewhere but not here (say, `PyWorker` in a
    worker): using it in any way raises, with `error` saying why."""

    def __init__(self, name, error):
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "error", error)

    def __repr__(self):
        return "<NotSupported %s [%s]>" % (self.name, self.error)

    def __getattr__(self, attribute):
        raise AttributeError(self.error)

    def __setattr__(self, attribute, value):
        raise AttributeError(self.error)

    def __call__(self, *args, **kwargs):
        raise TypeError(self.error)


def dom_elements_of(value):
    """The DOM elements a value stands for: a pyscript.web element's or collection's, a list's
    items', or the value itself (a DOM element). pyscript.web is asked only when it was imported:
    a value cannot be its element before."""
    if isinstance(value, (list, tuple)):
        return [element for item in value for element in dom_elements_of(item)]
    web = sys.modules.get("pyscript.web")
    if web is not None and isinstance(value, web.Element):
        return [value._dom_element]
    if web is not None and isinstance(value, web.ElementCollection):
        return [element._dom_element for element in value]
    return [value]


def is_awaitable(obj):
    """Whether calling obj gives something to await: an async function, or a
    partial or bound method of one. (On MicroPython, where an async function
    is a generator function, a generator function counts too.)"""
    while hasattr(obj, "func") and callable(obj.func):  # functools.partial
        obj = obj.func
    kind = type(obj).__name__
    if kind in ("closure", "bound_method"):
        # MicroPython: a function using its enclosing one's names, or a method bound to its
        # object; inspect does not look inside, the repr names the function's kind
        # ("<closure <generator> ...>", "<bound_method 35990 <C object at 35820>.<generator>>").
        return "<generator>" in repr(obj).split(" at ")[0] if kind == "closure" else repr(obj).endswith(".<generator>>")
    return inspect.iscoroutinefunction(getattr(obj, "__func__", obj))
