"""pyworker on MicroPython: runs, exported functions, sync calls to the
page, `window`/`document` (see _pageobjects), input() and time.sleep(), with the replies the worker gets from Pyodide's side (see _run),
built from what MicroPython has: no ast (see _source), sys.print_exception
for tracebacks. Values cross as JSON text, in both directions:
MicroPython's own conversion cuts integers to 32 bits, and its proxies of
JavaScript objects can be let go before the worker reads them."""

import builtins
import io
import json
import sys
import time

import _pyworker_js

from . import _callbacks, _pageobjects
from ._contract import ANSWER_ERROR, RESULTS, USER_FILE, error_reply
from ._exports import Sync, export, exported  # noqa: F401  (export is pyworker's)
from ._pageobjects import PageObject, document, window  # noqa: F401  (pyworker's names)
from ._source import compile_run, dedent, last_statement

# The namespace every run shares, as Pyodide's globals: a function defined in one run is there
# for the next. It is __main__'s, where MicroPython's own async runner runs code (see _awaiting).
_globals = __import__("__main__").__dict__
# The runtime's own frames, left out of tracebacks.
_OWN_FRAMES = '  File "' + __file__.rsplit("/", 1)[0] + "/"


class _PageFunction:
    """A function the page assigned to `worker.sync`; calling it blocks until the page answers."""

    def __init__(self, name):
        self.name = name

    def __call__(self, *args):
        _check_plain(args, "the arguments of sync.%s()" % self.name)
        return _answer(_pyworker_js.callPage(self.name, json.dumps(args)))

    def __repr__(self):
        return "<page function sync.%s>" % self.name


def _answer(text):
    """The page's answer (JSON, see micropython.ts): its value, or its error raised in Python."""
    answer = json.loads(text)
    if "error" not in answer:
        return answer.get("value")
    name, message = (answer["error"][field] for field in ANSWER_ERROR)
    if name == "KeyboardInterrupt":
        raise KeyboardInterrupt()
    if name == "EOFError":  # the page has no stdin to read
        raise EOFError(message)
    raise RuntimeError("%s: %s" % (name, message))


sync = Sync(_PageFunction)


def _page_op(op, ref, key, args, path):
    """One operation on a page object (see _pageobjects): its fields as a JSON array in the
    contract's order, the answer as JSON. MicroPython has no frames to read a path from, so
    `path` is always empty, and crosses as None."""
    values = []  # the worker's JavaScript values among the arguments, which JSON cannot hold
    fields = [op, ref, key, [_to_wire(a, values) for a in args], path or None]
    # MicroPython never finalizes a PageObject: nothing is released (the page forgets all when the worker ends).
    answer = _answer(_pyworker_js.pageOp(json.dumps(fields), _pageobjects.describe(op, ref, key), *values))
    if isinstance(answer, dict):  # the page answers a primitive as itself, an object as its reference
        return ("ref", answer["ref"], answer["callable"])
    return answer


def _to_wire(value, values):
    if isinstance(value, PageObject):
        return {"ref": value._ref}
    if type(value).__name__ == "JsProxy":  # from the worker's `js`: passed beside the JSON (see micropython.ts)
        values.append(value)
        return {"js": len(values) - 1}
    if callable(value):
        return {"callback": _callbacks.keep(value)}
    _check_plain(value, "an argument")
    return {"value": value}


_pageobjects.connect(_page_op)


def _input(prompt=""):
    """input(): the page's next line (it shows the prompt), EOFError at the end of input."""
    line = _answer(_pyworker_js.readLine(str(prompt)))
    if line is None:
        raise EOFError("EOF when reading a line")
    return line


builtins.input = _input

_own_sleep = time.sleep


def _sleep(seconds):
    """time.sleep(): the worker waits (an interrupt ends it with KeyboardInterrupt), or without a
    channel MicroPython's own sleep."""
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    if not _answer(_pyworker_js.sleep(seconds)):
        _own_sleep(seconds)


time.sleep = _sleep


# Compiled sources, as Pyodide's side keeps them: a page often runs the same code again.
_compiled = {}
_COMPILED_KEPT = 64


def _compile(source, filename):
    key = (source, filename)
    if key not in _compiled:
        if len(_compiled) >= _COMPILED_KEPT:
            _compiled.clear()
        _compiled[key] = compile_run(dedent(source), filename)
    return _compiled[key]


def _run(source, filename=USER_FILE):
    """Runs source; the reply, as JSON: {"results": value} or {"error", "exception"}."""
    try:
        code, value = _compile(source, filename)
        exec(code, _globals)
        result = None if value is None else eval(value, _globals)
    except BaseException as exc:  # noqa: B036 (every Python error is the run's reply)
        return _error_reply(exc, filename)
    return _result_reply(result)


# Where code run by MicroPython's own async runner leaves its last expression's value.
_AWAITED = "__pyworker_awaited__"


def _awaiting(source):
    """Source that awaits at top level, as MicroPython's own async runner (runPythonAsync, which
    alone compiles top-level await) takes it: its last expression, if it ends in one, assigned
    to _AWAITED, on the same lines. See _awaited."""
    source = dedent(source)
    _globals[_AWAITED] = None
    last = last_statement(source)
    if last is None:
        return source
    kept = source[: last[0]] + _AWAITED + " = (" + source[last[0] :] + "\n)"
    try:
        compile(kept, USER_FILE, "exec")
    except SyntaxError as exc:
        # The await is refused only once the source parses: another error means the last statement is no expression.
        if "await" not in str(exc):
            return source
    return kept


def _awaited():
    """The reply for code _awaiting readied, once it has run."""
    return _result_reply(_globals.pop(_AWAITED, None))


def _awaited_error(traceback, filename):
    """The reply for code _awaiting readied that raised: its traceback as the async runner gives it, naming the file "<stdin>"."""
    lines = traceback.replace('File "<stdin>"', 'File "%s"' % filename).split("\n")
    type_name, _, message = [line for line in lines if line][-1].partition(": ")
    return _reply_from(lines, type_name, message, filename)


def _from_wire(wire):
    if "ref" in wire:
        return PageObject(wire["ref"], wire["callable"])
    return wire.get("value")


def _call_callback(key, args):
    """Runs callback `key` for the page with the arguments (JSON wires); an async one as a task.
    Its value is dropped; the reply is {} or, for its error, as _run's."""
    try:
        value = _callbacks.call(key, [_from_wire(wire) for wire in json.loads(args)])
    except BaseException as exc:  # noqa: B036
        return _error_reply(exc, USER_FILE)
    if type(value).__name__ == "generator":  # a coroutine: MicroPython's are generators
        import asyncio

        asyncio.create_task(_reported(value))
    return "{}"


async def _reported(coroutine):
    """Awaits a callback's coroutine; its error goes to stderr, as nobody awaits it."""
    try:
        await coroutine
    except Exception as exc:  # noqa: BLE001
        sys.print_exception(exc)


def _forget_callbacks(pairs):
    """The page dropped these callbacks: [id, times sent] pairs, as JSON."""
    _callbacks.forget(json.loads(pairs))


def _call_export(name, args):
    """Calls exported function name with the arguments (a JSON array); the reply as _run's."""
    try:
        result = exported(name, _globals)(*json.loads(args))
    except BaseException as exc:  # noqa: B036
        return _error_reply(exc, USER_FILE)
    return _result_reply(result)


def _result_reply(value):
    try:
        _check_plain(value, "the result")
    except TypeError as exc:
        return _error_reply(exc, None)
    return json.dumps({RESULTS: value})


def _check_plain(value, what):
    """Refuses what JSON cannot hold (MicroPython's json writes its repr instead)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_plain(item, what)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("%s cannot cross to the page: a dict key must be a str, not %s" % (what, type(key).__name__))
            _check_plain(item, what)
        return
    raise TypeError("%s cannot cross to the page: a value of type %s is not plain data (JSON)" % (what, type(value).__name__))


def _error_reply(exc, filename):
    out = io.StringIO()
    sys.print_exception(exc, out)
    return _reply_from(out.getvalue().split("\n"), type(exc).__name__, str(exc), filename)


def _reply_from(traceback, type_name, message, filename):
    """The reply for an exception: its traceback's lines without the runtime's frames, the line in `filename` it was raised at."""
    lines = [line for line in traceback if not line.startswith(_OWN_FRAMES)]
    text = "\n".join(lines)
    line = None
    where = '  File "%s", line ' % filename
    for entry in lines:
        if entry.startswith(where):
            line = int(entry[len(where) :].split(",")[0])
    return json.dumps(error_reply(type_name, message, text, line))
