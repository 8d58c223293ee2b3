"""pyworker: the Python side of a pyworker Web Worker.

User code imports `sync`, `export`, `window`, `document` and `install_imports`
from here (or from `pyscript`):

    from pyworker import sync, export
    greeting = sync.hello("x")      # calls the page's w.sync.hello, synchronously

    @export                         # the page calls: await w.exports.double(21)
    def double(n):
        return 2 * n

    await install_imports(source)   # loads the packages source imports

The worker's JavaScript calls `_run` for every `run`/`asyncRun` and
`_call_export` for every call of an exported function.
"""

import ast
import builtins
import io
import linecache
import sys
import textwrap
import time
import traceback
import types
from asyncio import ensure_future
from functools import lru_cache
from inspect import CO_COROUTINE, iscoroutine
from importlib.util import find_spec

import _pyworker_js
import js
import pyodide_js
from pyodide.ffi import ConversionError, JsException, JsProxy, create_proxy, jsnull, run_sync, to_js

__all__ = ["sync", "export", "window", "document", "install_imports"]

# The file name code given to run() runs under; tracebacks show it with the
# user's lines. A worker's `src` file runs under its own name.
USER_FILE = "<exec>"

# The file names of user code: a traceback shows frames from the first of these on.
_user_files = {USER_FILE}

# Module globals shared by every run, as Pyodide's own runPythonAsync shares
# pyodide.globals: a function defined in one call can be used by the next.
_globals = {"__name__": "__main__", "__builtins__": __builtins__}

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
            await _load_packages(compiled.source, load_errors)
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
            reason = " ".join(load_errors)
            message = f"{exc.msg} (pyworker could not load its package: {reason})"
            exc = type(exc)(message, name=exc.name).with_traceback(exc.__traceback__)
        return _error_reply(exc)
    return _result_reply(value)


async def _load_packages(source, errors):
    """Loads the lock-file packages that source imports; their errors go to `errors`."""
    on_error = create_proxy(errors.append)
    on_message = create_proxy(lambda message: None)
    try:
        options = js.Object.new()
        options.errorCallback = on_error
        options.messageCallback = on_message
        await pyodide_js.loadPackagesFromImports(source, options)
    finally:
        on_error.destroy()
        on_message.destroy()


async def install_imports(source):
    """Installs what the imports of `source` need and the worker lacks; returns
    the top-level names it installed, sorted. Await it: `await install_imports(src)`.

    A name in Pyodide's lock file is loaded from there, as a run loads its own
    imports; any other goes to micropip (itself loaded from the lock file on
    first need), which looks for a project of that name on PyPI. Standard
    library modules are left alone. Whatever cannot be installed raises one
    ModuleNotFoundError naming each name and why, after the rest are in.
    """
    lock_file = _lock_file_packages()
    missing = sorted(
        name
        for name in _missing_imports(frozenset(_imports_of(ast.parse(source))))
        if name in lock_file or name not in sys.stdlib_module_names
    )
    failures = {}
    if any(name in lock_file for name in missing):
        load_errors = []
        await _load_packages(source, load_errors)
        for name in missing:
            if name in lock_file and _missing_imports({name}):
                package = lock_file[name]
                failures[name] = (
                    f"its package {package.name!r} is in Pyodide's lock file but"
                    f" {_not_loaded(package, load_errors)}"
                )
    from_pypi = [name for name in missing if name not in lock_file]
    if from_pypi:
        micropip, why_not = await _micropip()
        for name in from_pypi:
            if micropip is None:
                failures[name] = f"it is not in Pyodide's lock file, and micropip (to look on PyPI) {why_not}"
                continue
            try:
                await micropip.install(name)
            except Exception as exc:
                failures[name] = f"it is not in Pyodide's lock file, and micropip could not install it: {exc}"
    if failures:
        raise ModuleNotFoundError(
            "; ".join(f"cannot install {name!r}: {why}" for name, why in failures.items()),
            name=next(iter(failures)) if len(failures) == 1 else None,
        )
    return missing


@lru_cache(maxsize=None)
def _lock_file_packages():
    """Import name → the lock-file entry of the package that provides it."""
    return {name: package for package in js.Object.values(pyodide_js.lockfile.packages) for name in package.imports}


def _not_loaded(package, load_errors):
    """Says that a lock-file package did not load, and from where: Pyodide's
    own errors ("Failed to fetch") do not say which file it asked for."""
    url = js.URL.new(package.file_name, pyodide_js.lockfileBaseUrl).href
    return f"could not be loaded from {url}: {' '.join(load_errors) or 'it loaded, yet the module is not there'}"


async def _micropip():
    """micropip, loaded from the lock file on first need: (module, None), or (None, why not)."""
    load_errors = []
    if _missing_imports({"micropip"}):
        await _load_packages("import micropip", load_errors)
    try:
        import micropip
    except ImportError as exc:
        package = _lock_file_packages().get("micropip")
        return None, _not_loaded(package, load_errors) if package else f"could not be loaded: {exc}"
    return micropip, None


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
    reply.results = converted
    return reply


def _error_reply(exc, user_frames=True):
    """Formats an exception as the page sees it, without the runtime's own frames."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_frame.f_code.co_filename not in _user_files:
        tb = tb.tb_next
    if not user_frames:
        tb = None
    parts = traceback.TracebackException(type(exc), exc, tb, compact=True)
    # Below the user's code, this module's frames (input(), sync calls) and the worker's JavaScript are noise too.
    parts.stack = traceback.StackSummary.from_list(
        [frame for frame in parts.stack if frame.filename != __file__ and "://" not in frame.filename]
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
    exception = js.Object.new()
    exception.type = type(exc).__name__
    exception.message = exc.msg if isinstance(exc, SyntaxError) else str(exc)
    exception.traceback = text
    exception.line = line
    reply = js.Object.new()
    reply.error = text
    reply.exception = exception
    return reply


# Functions the page may call (`await w.exports.NAME(...)`), by name; names
# listed in a run's `__export__` are found in the globals at call time.
_exports = {}


def export(fn):
    """Decorator: makes `fn` callable from the page as `await worker.exports.NAME(...)`."""
    _exports[fn.__name__] = fn
    return fn


class _Sync:
    """`sync.NAME(...)` calls the page's function NAME and returns its value.

    `sync.NAME = f` exports `f` instead, as PyScript's worker side does.
    """

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name in _exports:
            return _exports[name]
        return _PageFunction(name)

    def __setattr__(self, name, fn):
        _exports[name] = fn

    def __dir__(self):
        return sorted(_exports)


sync = _Sync()

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


# stdin: input() and sys.stdin read lines from the page's `stdin` option,
# through the channel; the page shows the prompt on stdout first.


def _next_line(prompt):
    """The page's next line, or None at the end of input."""
    try:
        line = _read_line(prompt)
    except JsException as exc:
        if exc.name == "EOFError":  # the page has no stdin to read
            raise EOFError(exc.message) from None
        raise
    return None if line is jsnull else line


def _input(prompt=""):
    line = _next_line(str(prompt))
    if line is None:
        raise EOFError("EOF when reading a line")
    return line


class _Stdin(io.TextIOBase):
    """sys.stdin: each line comes from the page when Python asks for it."""

    def readable(self):
        return True

    def readline(self, size=-1):
        line = _next_line("")
        return "" if line is None else line + "\n"

    def read(self, size=-1):
        lines = []
        while line := self.readline():
            lines.append(line)
        return "".join(lines)


builtins.input = _input
sys.stdin = _Stdin()


# Archives of the user's code (createWorker's `archive` option).


def _unpack_archive(data, name, format, extract_dir=None):
    """Unpacks the archive's bytes into extract_dir (by default the working
    folder) and puts that on sys.path; returns what was wrong, if anything.
    Every entry must land inside the folder: one that would not (`../x`,
    `/etc/x`, a link leading out) refuses the whole archive, naming the
    entry, before anything is written."""
    import os
    import tarfile
    import zipfile

    folder = os.path.realpath(extract_dir or os.getcwd())
    stream = io.BytesIO(data.to_py())

    def outside(path):
        target = os.path.realpath(os.path.join(folder, path))
        return os.path.isabs(path) or os.path.commonpath([folder, target]) != folder

    def escaping(entries):
        """What is wrong with the first (name, where it links to or None) that leads out."""
        for entry, link in entries:
            if outside(entry):
                return f"entry {entry!r} would land outside {folder}"
            if link is not None and outside(link):
                return f"entry {entry!r} is a link leading outside {folder}"
        return None

    try:
        if format == "zip":
            with zipfile.ZipFile(stream) as archive:
                why = escaping((entry, None) for entry in archive.namelist())
                if why is None:
                    os.makedirs(folder, exist_ok=True)
                    archive.extractall(folder)
        else:
            with tarfile.open(fileobj=stream, mode="r:*") as archive:
                members = archive.getmembers()
                # A symbolic link's target is relative to its folder, a hard link's to the archive's.
                why = escaping(
                    (m.name, os.path.join(os.path.dirname(m.name), m.linkname) if m.issym() else m.linkname if m.islnk() else None)
                    for m in members
                )
                if why is None:
                    # The data filter refuses what is not plain data (a FIFO, a device): asked about
                    # every member first, it refuses the archive before anything is written.
                    for member in members:
                        tarfile.data_filter(member, folder)
                    os.makedirs(folder, exist_ok=True)
                    archive.extractall(folder, members, filter="data")
    except tarfile.FilterError as exc:
        why = str(exc)
    except (zipfile.BadZipFile, tarfile.TarError, EOFError, OSError) as exc:
        return f"{name} is not a valid {format} archive: {exc}"
    if why is not None:
        return f"{name} was refused: {why}; nothing was unpacked"
    if folder not in sys.path:
        sys.path.insert(0, folder)
    import importlib

    importlib.invalidate_caches()
    return None


# time.sleep: Pyodide's spins a core and cannot be interrupted. The worker
# waits on the interrupt buffer instead, or asks the page to answer when the
# time is up; interrupt() ends either. With no channel, Pyodide's own is all
# there is.

_spinning_sleep = time.sleep


def _sleep(seconds):
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise TypeError(f"'{type(seconds).__name__}' object cannot be interpreted as a number of seconds")
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    while seconds > 0:  # in slices: a service worker holds a request for a minute at most
        part = min(seconds, 60)
        waited = _pyworker_js.sleep(part)
        if waited is False:
            _spinning_sleep(part)
        elif waited is not True:
            _wait(waited)
        seconds -= part


time.sleep = _sleep


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


def _exported(name):
    if name in _exports:
        return _exports[name]
    listed = _globals.get("__export__", ())
    if name in listed and name in _globals:
        return _globals[name]
    names = sorted(set(_exports) | {n for n in listed if n in _globals})
    raise AttributeError(
        f"the worker exports no function {name!r}; it exports: {', '.join(names) or 'nothing'}"
        " (use @export, __export__ = [...] or sync.NAME = f)"
    )


def _call_export(name, *args):
    """Calls exported function `name` for the page; returns a reply as `_run` does."""
    try:
        fn = _exported(name)
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
