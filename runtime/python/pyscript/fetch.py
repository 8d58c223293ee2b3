"""pyscript.fetch: the browser's fetch with Python values. `await
fetch(url, method=..., headers={...}, body=...)` is the response (its
`ok`, `status`, `headers`...), whose `text()`, `json()`, `bytearray()`,
`arrayBuffer()` and `blob()` are awaited; or, in one step, `await
fetch(url).json()`. It is this side's own fetch: the worker's in a worker."""

import json

import js

from .ffi import to_js
from .util import as_bytearray


class FetchResponse:
    """A response: the JavaScript Response's attributes, its body as Python values."""

    def __init__(self, response):
        self._response = response

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._response, name)

    async def text(self):
        return await self._response.text()

    async def json(self):
        return json.loads(await self.text())

    async def bytearray(self):
        return as_bytearray(await self._response.arrayBuffer())

    async def arrayBuffer(self):
        """The body's bytes, as a memoryview."""
        return memoryview(await self.bytearray())

    async def blob(self):
        """The body as a JavaScript Blob."""
        return await self._response.blob()


class Fetching:
    """A fetch under way: awaited, its response; its body's methods await both."""

    def __init__(self, url, options):
        self._url = url
        self._options = options
        self._got = None

    async def _response(self):
        if self._got is None:
            self._got = FetchResponse(await js.fetch(self._url, to_js(self._options)))
        return self._got

    def __await__(self):
        coroutine = self._response()
        # CPython's coroutines give an iterator through __await__; MicroPython's are generators already.
        return coroutine.__await__() if hasattr(coroutine, "__await__") else coroutine

    __iter__ = __await__  # MicroPython awaits through __iter__

    async def text(self):
        return await (await self._response()).text()

    async def json(self):
        return await (await self._response()).json()

    async def bytearray(self):
        return await (await self._response()).bytearray()

    async def arrayBuffer(self):
        return await (await self._response()).arrayBuffer()

    async def blob(self):
        return await (await self._response()).blob()


def fetch(url, **options):
    """Fetches url with the options of JavaScript's fetch (method, headers, body...): await it, or its body's methods."""
    return Fetching(str(url), options)
