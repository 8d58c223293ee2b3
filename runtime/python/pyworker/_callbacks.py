"""The Python functions the page holds as callbacks, on every interpreter:
kept by id with how many times they were sent, so that the page can call
them and, once its garbage collector has dropped them, let them go (see
pageobjects.ts)."""

# [function, times sent], by id.
_kept = {}


def keep(function):
    """The id the page calls function by; counts one more sending."""
    key = id(function)
    entry = _kept.get(key)
    if entry is None:
        _kept[key] = [function, 1]
    else:
        entry[1] += 1
    return key


def call(key, args):
    """Calls callback `key` with args."""
    entry = _kept.get(key)
    if entry is None:
        raise RuntimeError("the page called a Python callback that was let go (#%d)" % key)
    return entry[0](*args)


def forget(pairs):
    """The page dropped these callbacks: [id, times it was sent them] pairs."""
    for key, times in pairs:
        entry = _kept.get(key)
        if entry is not None:
            entry[1] -= times
            if entry[1] <= 0:
                del _kept[key]


def held():
    """How many callbacks are kept (for tests)."""
    return len(_kept)
