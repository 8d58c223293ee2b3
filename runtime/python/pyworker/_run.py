"""Running the page's code: compiling it once, the call's context as `js`,
the lock-file packages it imports, and its result or exception as the
page gets it."""

import ast
import linecache
import sys
import textwrap
import traceback
import types
from asyncio import ensure_future
from functools import lru_cache
from importlib.util import find_spec
from inspect import CO_COROUTINE
from pathlib import Path

import js
from pyodide.ffi import ConversionError, JsProxy, to_js

from ._contract import RESULTS, USER_FILE, error_reply
from ._packages import load_packages, why_not_loaded

# The file names of user code (USER_FILE, and a worker's `src` file under its
# own name): a traceback shows frames from the first of these on.
_user_files = {USER_FILE}

# Module globals shared by every run, as Pyodide's own runPythonAsync shares
# pyodide.globals: a function defined in one call can be used by the next.
_globals = {"__name__": "__main__", "__builtins__": __builtins__}

# The folder of this package: frames of its files are the runtime's, not the user's.
_PACKAGE = Path(__file__).parent

# Top-level module names already known to be importable.
_importable = set(sys.builtin_module_names)


class _Compiled:
    """A source compiled once: the code objects to run in order (the body, then
    the last expression, whose value is the result) and the modules it imports.

    The source is dedented first, as Pyodide's runPythonAsync does: code in a
    JavaScript template string or an HTML tag is indented as a whole.
    Dedenting keeps every line where it was, so tracebacks keep the user's
    line numbers."""

    __slots__ = ("codes", "awaits", "imports", "lines", "source")

    def __init__(self, source, filename):
        flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
        self.source = source = textwrap.dedent(source)
        tree = ast.parse(source, filename, "exec")
        self.imports = frozenset(_imports_of(tree))
        last = None
        if tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(tree.body.pop().value)
        self.codes = []
        if tree.body:
            self.codes.append(compile(tree, filename, "exec", flags=flags))
        if last is not None:
            self.codes.append(compile(last, filename, "eval", flags=flags))
        self.awaits = any(code.co_flags & CO_COROUTINE for code in self.codes)
        self.lines = source.splitlines(True)


def _imports_of(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module.split(".")[0]


@lru_cache(maxsize=256)
def _compile(source, filename):
    return _Compiled(source, filename)


class _ContextModule(types.ModuleType):
    """Stands in for `js` during one run: the call's context first, then the worker's globals.

    Each run sees only its own context, so concurrent callers never read each
    other's values (the docs' pattern copies them onto the worker's globals).
    """

    def __init__(self, context):
        super().__init__("js")
        self._context = context

    def __getattr__(self, name):
        if js.Object.hasOwn(self._context, name):
            return getattr(self._context, name)
        return getattr(js, name)

    def __dir__(self):
        return sorted(set(js.Object.keys(self._context)) | set(dir(js)))


def _missing_imports(imports):
    """The names of `imports` (a set of top-level module names) that cannot be imported yet."""
    missing = []
    for name in imports - _importable:
        if name in sys.modules or find_spec(name) is not None:
            _importable.add(name)
        else:
            missing.append(name)
    return missing


def _run(source, context, filename=USER_FILE):
    """Run `source` with `context` visible through `js`; return the reply for the page.

    The reply is a JavaScript object, `{results}` or `{error, exception}`, or
    a bare scalar result (see _result_reply). Code that must wait (top-level
    await, packages to load) gives a Future instead (a Promise on the
    JavaScript side).
    """
    _user_files.add(filename)
    try:
        compiled = _compile(source, filename)
    except BaseException as exc:
        return _error_reply(exc)
    linecache.cache[filename] = (len(compiled.source), None, compiled.lines, filename)
    if compiled.awaits or (compiled.imports and _missing_imports(compiled.imports)):
        return ensure_future(_run_async(compiled, context))
    try:
        with _JsModule(context):
            value = None
            for code in compiled.codes:
                value = eval(code, _globals)
    except BaseException as exc:
        return _error_reply(exc)
    return _result_reply(value)


_SCALARS = frozenset((bool, int, float, str))


async def _run_async(compiled, context):
    load_errors = []
    try:
        missing = _missing_imports(compiled.imports)
        if missing:
            await load_packages(compiled.source, load_errors)
            _importable.update(m for m in missing if find_spec(m) is not None)
        # The context stays installed across awaits: the worker runs one call
        # at a time, so no other call can see it.
        with _JsModule(context):
            value = None
            for code in compiled.codes:
                value = eval(code, _globals)
                if code.co_flags & CO_COROUTINE:
                    value = await value
    except BaseException as exc:
        if isinstance(exc, ImportError) and load_errors:
            message = f"{exc.msg} (pyworker could not load {await why_not_loaded(exc.name, load_errors)})"
            exc = type(exc)(message, name=exc.name).with_traceback(exc.__traceback__)
        return _error_reply(exc)
    return _result_reply(value)


class _JsModule:
    """While entered, `js` is a _ContextModule for `context` (when there is one).

    A plain class, not @contextmanager: this is on every call's path."""

    __slots__ = ("context", "saved")

    def __init__(self, context):
        self.context = context

    def __enter__(self):
        if self.context is not None:
            self.saved = sys.modules.get("js")
            sys.modules["js"] = _ContextModule(self.context)

    def __exit__(self, *exc_info):
        if self.context is not None:
            sys.modules["js"] = self.saved


def _to_js(value, purpose="the result"):
    """Converts a Python value to plain JavaScript, or raises TypeError naming what cannot cross."""
    uncrossable = []

    def refuse(obj, convert, cache):
        uncrossable.append(obj)
        raise TypeError

    try:
        return to_js(
            value,
            dict_converter=js.Object.fromEntries,
            create_pyproxies=False,
            default_converter=refuse,
        )
    except ConversionError as exc:
        if uncrossable:
            obj = uncrossable[0]
            what = type(obj).__qualname__
            if isinstance(obj, types.ModuleType):
                what = f"module '{obj.__name__}'"
            elif callable(obj):
                what = f"{type(obj).__name__} '{getattr(obj, '__qualname__', '?')}'"
            else:
                what = f"'{what}'"
            raise TypeError(
                f"{purpose} cannot cross to the page: a Python {what} has no"
                " JavaScript equivalent (use plain data: numbers, strings,"
                " lists, dicts, bytes)"
            ) from None
        raise TypeError(f"{purpose} cannot cross to the page: {exc}") from None


def _result_reply(value):
    """The reply for a result. A scalar goes back bare, which the worker wraps:
    building the object would cost more than the rest of a `1+1`."""
    if value is None or type(value) in _SCALARS:
        return value
    # Other scalars (subclasses) and JavaScript objects convert on assignment; containers need to_js.
    if isinstance(value, (bool, int, float, str, JsProxy)):
        converted = value
    else:
        try:
            converted = _to_js(value)
        except TypeError as exc:
            return _error_reply(exc, user_frames=False)
    reply = js.Object.new()
    setattr(reply, RESULTS, converted)
    return reply


def _error_reply(exc, user_frames=True):
    """Formats an exception as the page sees it, without the runtime's own frames."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename not in _user_files:
        tb = tb.tb_next
    if not user_frames:
        tb = None
    parts = traceback.TracebackException(type(exc), exc, tb, compact=True)
    # Below the user's code, this package's frames (input(), sync calls) and the worker's JavaScript are noise too.
    parts.stack = traceback.StackSummary.from_list(
        [frame for frame in parts.stack if Path(frame.filename).parent != _PACKAGE and "://" not in frame.filename]
    )
    text = "".join(parts.format())
    line = None
    if isinstance(exc, SyntaxError) and exc.filename in _user_files:
        line = exc.lineno
    else:
        while tb is not None:
            if tb.tb_frame.f_code.co_filename in _user_files:
                line = tb.tb_lineno
            tb = tb.tb_next
    message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
    return to_js(error_reply(type(exc).__name__, message, text, line), dict_converter=js.Object.fromEntries)
