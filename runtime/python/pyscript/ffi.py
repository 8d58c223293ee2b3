"""pyscript.ffi: Python and JavaScript values, alike on both interpreters:
create_proxy (a Python function JavaScript may keep and call later), to_js
(a dict becomes a plain object), jsnull and is_none (None, or JavaScript's
null), and assign (Object.assign, taking dicts)."""

import sys

import js

if sys.implementation.name == "micropython":
    from jsffi import create_proxy  # noqa: F401  (pyscript.ffi's)
    from jsffi import to_js as _to_js

    jsnull = None  # MicroPython gives JavaScript's null as None

    def to_js(value, **options):
        """The value as JavaScript (MicroPython takes no conversion options)."""
        return _to_js(value)

    def is_none(value):
        """Whether value is None or JavaScript's null (which MicroPython gives as None)."""
        return value is None

else:
    from pyodide.ffi import create_proxy  # noqa: F401  (pyscript.ffi's)
    from pyodide.ffi import jsnull  # noqa: F401  (pyscript.ffi's)
    from pyodide.ffi import to_js as _to_js

    def to_js(value, **options):
        """The value as JavaScript, a dict as a plain object unless `dict_converter` says otherwise."""
        options.setdefault("dict_converter", js.Object.fromEntries)
        return _to_js(value, **options)

    def is_none(value):
        """Whether value is None or JavaScript's null."""
        return value is None or value is jsnull


def assign(target, *sources):
    """Copies each source's entries (a dict or a JavaScript object) onto target, as
    Object.assign does; returns target. A page object in a worker gets each entry set."""
    for source in sources:
        if type(target).__name__ == "PageObject":
            for key, value in (source.items() if isinstance(source, dict) else js.Object.entries(source)):
                target[key] = value
        else:
            js.Object.assign(target, to_js(source) if isinstance(source, dict) else source)
    return target
