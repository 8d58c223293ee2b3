"""input(), sys.stdin and time.sleep, which wait on the page, not on a
spinning core: install() puts them in builtins, sys and time."""

import builtins
import io
import sys
import time

from pyodide.ffi import JsException, jsnull

from . import _page

# stdin: input() and sys.stdin read lines from the page's `stdin` option,
# through the channel; the page shows the prompt on stdout first.


def _next_line(prompt):
    """The page's next line, or None at the end of input."""
    try:
        line = _page._read_line(prompt)
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
        waited = _page._sleep(part)
        if waited is False:
            _spinning_sleep(part)
        elif waited is not True:
            _page._wait(waited)
        seconds -= part


def install():
    builtins.input = _input
    sys.stdin = _Stdin()
    time.sleep = _sleep
