"""The page's objects from a worker, on every interpreter: `window`,
`document` and what is got from them, each held by a reference the page
keeps in its table (see pageobjects.ts). How one operation reaches the page
is the interpreter's: it calls `connect(ask)` with a function
ask(op, ref, key, args) that returns a value or ("ref", ref, callable)."""

# Dropped references, sent to the page with the next op (see released()).
_released = []


def _not_connected(op, ref, key, args):
    raise RuntimeError("page objects are not connected to the page yet")


_ask = _not_connected


def connect(ask):
    """Sets how an operation on a page object reaches the page."""
    global _ask
    _ask = ask


def released():
    """The references Python dropped since the last call, which the page may forget."""
    if not _released:
        return None
    refs = _released[:]
    _released.clear()
    return refs


def _op(op, ref, key=None, args=()):
    answer = _ask(op, ref, key, args)
    if isinstance(answer, tuple):
        return PageObject(answer[1], answer[2])
    return answer


class PageObject:
    """An object of the page (`window`, `document`, and what is got from them).

    Every attribute read, assignment, call or `new` is one synchronous round
    trip to the page. Strings, numbers, booleans and None come back as values;
    anything else as another PageObject, which the page forgets once Python
    drops it (where the interpreter tells: MicroPython does not). Python
    functions passed in become callbacks the page can call (an event
    listener, say); they run when the worker is not busy.
    """

    __slots__ = ("_ref", "_callable", "__weakref__")

    def __init__(self, ref, callable=False):
        object.__setattr__(self, "_ref", ref)
        object.__setattr__(self, "_callable", callable)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _op("get", self._ref, name)

    def __setattr__(self, name, value):
        _op("set", self._ref, name, [value])

    def __getitem__(self, key):
        return _op("get", self._ref, key)

    def __setitem__(self, key, value):
        _op("set", self._ref, key, [value])

    def __call__(self, *args):
        return _op("call", self._ref, None, args)

    def new(self, *args):
        """`new` of a page constructor: `window.Date.new(2026, 0, 1)`."""
        return _op("new", self._ref, None, args)

    def __repr__(self):
        return "<page object #%d>" % self._ref

    def __del__(self):
        if self._ref > 1:  # window and document live as long as the page
            _released.append(self._ref)


def describe(op, ref, key):
    """The operation as errors name it: document.title, window.alert, or the op on another object."""
    if ref == 1:
        return "document.%s" % key
    if ref == 0:
        return "window.%s" % key
    return "page object %s" % op


window = PageObject(0)
document = PageObject(1)
