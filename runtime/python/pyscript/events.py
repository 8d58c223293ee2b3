"""pyscript.events: `when`, which has a Python function handle page events
(or Python Events), and `Event`, Python's own events with listeners.

A handler may take the event or nothing, and may be async; an async one
runs as a task, its error printed. In a worker, the page calls the handler
through pyworker's callbacks (Pyodide workers)."""

import asyncio
import sys

from . import context
from .ffi import create_proxy, to_js
from .util import dom_elements_of, is_awaitable


class Event:
    """A Python event: trigger(result) calls every listener with result (an
    async listener as a task)."""

    def __init__(self):
        self._listeners = []

    def trigger(self, result):
        for listener in list(self._listeners):
            if is_awaitable(listener):
                _start(listener(result))
            else:
                listener(result)

    def add_listener(self, listener):
        """Adds a function (or async function) to call on trigger; one already added is not added twice."""
        if not callable(listener):
            raise ValueError("Listener must be callable: add_listener takes a function")
        if listener not in self._listeners:
            self._listeners.append(listener)

    def remove_listener(self, *listeners):
        """Removes these listeners (those not added are ignored), or with none given, every listener."""
        if not listeners:
            self._listeners = []
        for listener in listeners:
            if listener in self._listeners:
                self._listeners.remove(listener)


def when(event_type, selector=None, **options):
    """Decorator: the function handles `event_type` ("click") on the elements
    `selector` names (a CSS selector, an element, pyscript.web's elements or
    a list of them), with addEventListener's options (once, capture, passive,
    signal); or, given an Event or a list of Events, listens to them."""
    events = event_type if isinstance(event_type, (list, tuple)) else [event_type]
    python_events = all(isinstance(event, Event) for event in events)
    if not python_events:
        if not isinstance(event_type, str):
            raise TypeError("when() takes an event's name (\"click\"), an Event or a list of Events, not %s" % type(event_type).__name__)
        if not selector:
            raise ValueError("Selector required for DOM event handling: when(%r, \"#id\") names the elements" % event_type)
        elements = _elements(selector)
        if not elements:
            raise ValueError("No elements found for selector: %s" % selector)

    def decorator(function):
        handler = _handler(function)
        if python_events:
            for event in events:
                event.add_listener(handler)
            return handler
        listener = handler if context.RUNNING_IN_WORKER else create_proxy(handler)
        listen_options = (options if context.RUNNING_IN_WORKER else to_js(options)) if options else False
        for element in elements:
            element.addEventListener(event_type, listener, listen_options)
        return handler

    return decorator


def _elements(selector):
    if isinstance(selector, str):
        found = context.document.querySelectorAll(selector)
        return [found.item(i) for i in range(found.length)]
    return dom_elements_of(selector)


def _takes_argument(function):
    """Whether function takes an argument (the event), looked through decorators' __wrapped__."""
    while hasattr(function, "__wrapped__"):
        function = function.__wrapped__
    try:
        import inspect

        return len(inspect.signature(function).parameters) > 0
    except (TypeError, ValueError, ImportError):
        return True


def _handler(function):
    """A handler calling function with the event (if it takes one); an async function as a task."""
    with_event = _takes_argument(function)
    # One parameter, which another `when` stacked on this one reads as taking the event.
    if is_awaitable(function):

        def handler(event=None):
            _start(function(event) if with_event else function())

    else:

        def handler(event=None):
            return function(event) if with_event else function()

    try:
        handler.__wrapped__ = function
        handler.__name__ = function.__name__
    except AttributeError:  # MicroPython's functions take no attributes
        pass
    return handler


def _start(coroutine):
    """Runs a coroutine as a task, its error printed as an uncaught one would be."""

    async def guarded():
        try:
            await coroutine
        except Exception as error:  # noqa: BLE001 (a handler's error goes to stderr, as the page's would)
            if hasattr(sys, "print_exception"):
                sys.print_exception(error)
            else:
                import traceback

                traceback.print_exception(error)

    return asyncio.create_task(guarded())
