"""The page's objects from a worker, on every interpreter: `window`,
`document` and what is got from them, each held by a reference the page
keeps in its table (see pageobjects.ts). How one operation reaches the page
is the interpreter's: it calls `connect(ask)` with a function
ask(op, ref, key, args, path) that returns a value or ("ref", ref, callable),
or for a `path` (see _path_after) a list of them, one for each key read.

A chain of attribute reads (`document.body.dataset.test`) is one question,
not one per read: where the interpreter shows its frames (Pyodide, not
MicroPython), the first read looks at the bytecode that follows it, and asks
for the reads that come straight after it too. Their answers wait in
`_ahead` until Python makes them; any other use of the page first drops
them (and releases the references they hold)."""

import sys

from ._contract import PAGE_ROOTS

try:
    from sys import _getframe
except ImportError:  # MicroPython
    _getframe = None

# Dropped references, sent to the page with the next op (see released()).
_released = []
# Reads answered ahead: (ref, key, answer), in the order Python makes them.
_ahead = []
# The attribute reads that follow an instruction, by (code, offset).
_paths = {}
_PATHS_KEPT = 4096


def _not_connected(op, ref, key, args, path=()):
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
    if _ahead:
        _drop_ahead()
    return _object(_ask(op, ref, key, args, ()))


def _object(answer):
    if isinstance(answer, tuple):
        return PageObject(answer[1], answer[2])
    return answer


def _get(ref, key):
    """A read of attribute `key`, with those that follow it in the caller's bytecode."""
    if _ahead:
        if _ahead[0][0] == ref and _ahead[0][1] == key:
            return _object(_ahead.pop(0)[2])
        _drop_ahead()
    path = _path_after(_getframe(2), key) if _getframe is not None else ()
    if not path:
        return _object(_ask("get", ref, key, (), ()))
    answers = list(_ask("get", ref, key, (), path))
    # The page stops at the first value that is not an object: answers[i] is path[i-1] of answers[i-1].
    for i in range(1, len(answers)):
        _ahead.append((answers[i - 1][1], path[i - 1], answers[i]))
    return _object(answers[0])


def _drop_ahead():
    for _, _, answer in _ahead:
        if isinstance(answer, tuple):
            _released.append(answer[1])
    _ahead.clear()


def _path_after(frame, key):
    """The attribute names read straight after the read of `key` the frame is at, if it is at one."""
    where = (frame.f_code, frame.f_lasti)
    path = _paths.get(where)
    if path is None:
        if len(_paths) >= _PATHS_KEPT:
            _paths.clear()
        path = _paths[where] = _read_path(*where, key)
    return path


def _read_path(code, offset, key):
    import dis

    method_bit = sys.version_info >= (3, 12)  # before, a method read is LOAD_METHOD

    instructions = dis.get_instructions(code)
    for instruction in instructions:
        if instruction.offset == offset:
            if instruction.opname != "LOAD_ATTR" or instruction.argval != key:
                return ()  # a read some other way: getattr(), a descriptor
            break
    else:
        return ()
    path = []
    for instruction in instructions:
        if instruction.opname != "LOAD_ATTR":
            break
        path.append(instruction.argval)
        if method_bit and instruction.arg & 1:  # a method read for a call, whose arguments come next
            break
    return tuple(path)


class PageObject:
    """An object of the page (`window`, `document`, and what is got from them).

    Every attribute read, assignment, call or `new` is one synchronous round
    trip to the page. Strings, numbers, booleans and None come back as values;
    anything else as another PageObject, which the page forgets once Python
    drops it (where the interpreter tells: MicroPython does not). Python
    functions passed in become callbacks the page can call (an event
    listener, say); they run when the worker is not busy, or while its call
    awaits. `await` of a page promise waits for it without blocking the worker.
    """

    __slots__ = ("_ref", "_callable", "__weakref__")

    def __init__(self, ref, callable=False):
        object.__setattr__(self, "_ref", ref)
        object.__setattr__(self, "_callable", callable)

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return _get(self._ref, name)

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

    def __await__(self):
        """A promise's value once it settles (its rejection raised); any other object is its own value, as in JavaScript."""
        return _settled(self).__await__()

    if sys.implementation.name == "micropython":

        def __iter__(self):
            """MicroPython awaits by iterating: a promise settles; other objects give their items, up to `length`."""
            if _thenable(self) is not None:
                return _settled(self)
            length = self.length
            if not isinstance(length, int):
                raise TypeError("%r is neither a promise nor a list (it has no length): it cannot be awaited or iterated" % self)
            return (self[i] for i in range(length))

    def __del__(self):
        if self._ref >= len(PAGE_ROOTS):  # the roots live as long as the page
            _released.append(self._ref)


def _thenable(obj):
    """obj's `then` method, when obj is a promise (or another thenable)."""
    then = obj.then
    return then if isinstance(then, PageObject) and then._callable else None


async def _settled(obj):
    then = _thenable(obj)
    if then is None:
        return obj
    import asyncio

    done = asyncio.Event()
    outcome = []

    def settles(fulfilled):
        def settled(value=None):  # the page calls it back, while the call that awaits is suspended
            outcome.append((fulfilled, value))
            done.set()

        return settled

    then(settles(True), settles(False))
    await done.wait()
    fulfilled, value = outcome[0]
    if fulfilled:
        return value
    if isinstance(value, PageObject):  # an Error, as page operations raise theirs
        raise RuntimeError("%s: %s" % (value.name, value.message))
    raise RuntimeError("the page's promise was rejected with %r" % (value,))


def describe(op, ref, key):
    """The operation as errors name it: document.title, window.alert, js_modules.name, or the op on another object."""
    if ref < len(PAGE_ROOTS):
        return "%s.%s" % (("window", "document", "js_modules")[ref], key)
    return "page object %s" % op


window = PageObject(PAGE_ROOTS.index("window"))
document = PageObject(PAGE_ROOTS.index("document"))
# The page's JavaScript modules (the config's js_modules.main), by name.
main_modules = PageObject(PAGE_ROOTS.index("jsModules"))
