"""The worker's exports and `sync`, on every interpreter: the functions the
page may call (`await w.exports.NAME(...)`), and `sync.NAME(...)`, which
calls the page's function NAME (`sync.NAME = f` exports f instead, as
PyScript's worker side does). How a call reaches the page is the
interpreter's (see _page and _micropython)."""

# Exported functions, by name; names listed in a run's `__export__` are
# found in the globals at call time.
_exports = {}


def export(fn):
    """Decorator: makes `fn` callable from the page as `await worker.exports.NAME(...)`."""
    _exports[fn.__name__] = fn
    return fn


def exported(name, namespace):
    """The function the page calls as exports.NAME: exported, or listed in the namespace's `__export__`."""
    if name in _exports:
        return _exports[name]
    listed = namespace.get("__export__", ())
    if name in listed and name in namespace:
        return namespace[name]
    names = sorted(set(_exports) | {n for n in listed if n in namespace})
    raise AttributeError(
        "the worker exports no function %r; it exports: %s (use @export, __export__ = [...] or sync.NAME = f)"
        % (name, ", ".join(names) or "nothing")
    )


class Sync:
    """`sync.NAME` is the exported NAME if there is one, else the page's
    function NAME as `page_function(NAME)` makes it; `sync.NAME = f` exports f."""

    def __init__(self, page_function):
        object.__setattr__(self, "_page_function", page_function)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in _exports:
            return _exports[name]
        return self._page_function(name)

    def __setattr__(self, name, fn):
        _exports[name] = fn

    def __dir__(self):
        return sorted(_exports)
