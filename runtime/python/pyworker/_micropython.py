"""pyworker on MicroPython: runs and exported functions, with the replies
the worker gets from Pyodide's side (see _run), built from what MicroPython
has: no ast (see _source), sys.print_exception for tracebacks. Values
cross as JSON text, in both directions: MicroPython's own conversion
cuts integers to 32 bits, and its proxies of JavaScript objects can be
let go before the worker reads them."""

import io
import json
import sys

from ._source import compile_run, dedent

USER_FILE = "<exec>"

# The namespace every run shares, as Pyodide's globals: a function defined in one run is there for the next.
_globals = {"__name__": "__main__"}
_exports = {}
# The runtime's own frames, left out of tracebacks.
_OWN_FRAMES = '  File "' + __file__.rsplit("/", 1)[0] + "/"


def export(fn):
    """Makes fn callable from the page as `await w.exports.NAME(...)`."""
    _exports[fn.__name__] = fn
    return fn


def _run(source, filename=USER_FILE):
    """Runs source; the reply, as JSON: {"results": value} or {"error", "exception"}."""
    try:
        code, value = compile_run(dedent(source), filename)
        exec(code, _globals)
        result = None if value is None else eval(value, _globals)
    except BaseException as exc:  # noqa: B036 (every Python error is the run's reply)
        return _error_reply(exc, filename)
    return _result_reply(result)


def _call_export(name, args):
    """Calls exported function name with the arguments (a JSON array); the reply as _run's."""
    fn = _exports.get(name)
    if fn is None and name in _globals.get("__export__", ()):
        fn = _globals.get(name)  # PyScript's way: names listed in __export__
    try:
        if fn is None:
            raise NameError("no exported function is named %r" % name)
        result = fn(*json.loads(args))
    except BaseException as exc:  # noqa: B036
        return _error_reply(exc, USER_FILE)
    return _result_reply(result)


def _result_reply(value):
    try:
        _check_plain(value)
    except TypeError as exc:
        return _error_reply(exc, None)
    return json.dumps({"results": value})


def _check_plain(value):
    """Refuses what JSON cannot hold (MicroPython's json writes its repr instead)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_plain(item)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("the result cannot cross to the page: a dict key must be a str, not %s" % type(key).__name__)
            _check_plain(item)
        return
    raise TypeError("the result cannot cross to the page: a value of type %s is not plain data (JSON)" % type(value).__name__)


def _error_reply(exc, filename):
    out = io.StringIO()
    sys.print_exception(exc, out)
    lines = [line for line in out.getvalue().split("\n") if not line.startswith(_OWN_FRAMES)]
    text = "\n".join(lines)
    exception = {"type": type(exc).__name__, "message": str(exc), "traceback": text}
    where = '  File "%s", line ' % filename
    for entry in lines:
        if entry.startswith(where):
            exception["line"] = int(entry[len(where) :].split(",")[0])
    return json.dumps({"error": text, "exception": exception})
