"""What crosses between the worker's JavaScript and this module, on every
interpreter: the reply of a call, a page operation's fields, the hooks the
worker gives Python and their answers, the entry points the worker calls.

The same names are declared in TypeScript, in
runtime/src/shared/pythoncontract.ts; tests/test_contract.py fails when the
two differ. Pyodide's side (_run, _page) and MicroPython's (_micropython)
build their replies here, each then encodes them its own way: a JavaScript
object on Pyodide, JSON on MicroPython."""

# A call's reply: {results} for a value, {error, exception} for an exception.
REPLY = ("results", "error", "exception")
RESULTS, ERROR, EXCEPTION = REPLY
# The exception's parts, as pyworker.d.ts's PythonException.
EXCEPTION_FIELDS = ("type", "message", "traceback", "line")
# A page operation's fields, in the order Python passes them (see _pageobjects).
PAGE_OP = ("op", "ref", "key", "args", "path")
# The page's objects Python holds from the start, each referenced by its index.
PAGE_ROOTS = ("window", "document", "jsModules")
# What the worker gives Python to ask the page with.
HOOKS = ("callPage", "readLine", "sleep", "pageOp")
# A hook's answer on MicroPython (JSON): {value}, or {error: {name, message}} for what it threw.
ANSWER = ("value", "error")
ANSWER_ERROR = ("name", "message")
# What the worker calls in the module `pyworker`.
ENTRY_POINTS = ("_run", "_call_export", "_call_callback", "_forget_callbacks", "_unpack_archive")
# Pyodide gives the module its hooks by calling this; MicroPython's module imports them from HOOKS_MODULE.
CONNECT = "_connect"
HOOKS_MODULE = "_pyworker_js"
# The file name code given to run() runs under; tracebacks show it with the user's lines.
USER_FILE = "<exec>"


def error_reply(type_name, message, traceback, line):
    """The reply for an exception, as a dict (each interpreter encodes it)."""
    exception = {"type": type_name, "message": message, "traceback": traceback}
    if line is not None:
        exception["line"] = line
    return {ERROR: traceback, EXCEPTION: exception}
