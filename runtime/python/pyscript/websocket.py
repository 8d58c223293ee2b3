"""pyscript.websocket: the browser's WebSocket with Python handlers.
`WebSocket(url=..., protocols=..., onopen=f, onmessage=g, ...)`; a
message's `data` is a str, or a memoryview of the bytes sent; `send` takes
str or bytes-like; handlers may be async. It is this side's own socket:
the worker's in a worker."""

import js

from .events import _start
from .ffi import create_proxy, to_js
from .util import as_bytearray, is_awaitable

_HANDLERS = ("onclose", "onerror", "onmessage", "onopen")


class MessageEvent:
    """A socket's event, its `data` as Python has it; its other attributes the event's own."""

    def __init__(self, event):
        self._event = event

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self._event, name)
        if name == "data" and not isinstance(value, str):
            return memoryview(as_bytearray(value))
        return value


class WebSocket:
    """A WebSocket: its handlers (onopen, onmessage, onerror, onclose) and the socket's own attributes."""

    CONNECTING = 0
    OPEN = 1
    CLOSING = 2
    CLOSED = 3

    def __init__(self, url, protocols=None, **handlers):
        socket = js.WebSocket.new(url, to_js(protocols)) if protocols else js.WebSocket.new(url)
        socket.binaryType = "arraybuffer"
        self._socket = socket
        self._handlers = {}  # the proxies given to the socket, by name
        for name, handler in handlers.items():
            setattr(self, name, handler)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in _HANDLERS:
            return self._handlers.get(name)
        return getattr(self._socket, name)

    def __setattr__(self, name, value):
        if name.startswith("_"):
            super().__setattr__(name, value)
        elif name in _HANDLERS:
            self._handlers[name] = value
            setattr(self._socket, name, create_proxy(_handler(value)))
        else:
            setattr(self._socket, name, value)

    def send(self, data):
        """Sends text (str) or bytes (bytes, bytearray, memoryview)."""
        self._socket.send(data if isinstance(data, str) else to_js(bytes(data)))

    def close(self, code=None, reason=None):
        if code is None:
            self._socket.close()
        else:
            self._socket.close(code, reason or "")


def _handler(function):
    if is_awaitable(function):
        return lambda event: _start(function(MessageEvent(event)))
    return lambda event: function(MessageEvent(event))
