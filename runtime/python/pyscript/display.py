"""pyscript.display: Python values shown in the page, as PyScript shows
them. A value is written as its richest representation display() knows
(IPython's convention: `_repr_mimebundle_`, then `_repr_png_`, `_repr_html_`
...), a plain string or a repr escaped as text; HTML("...") is HTML. It
goes to the element of the given id, or to the running script's own output
element (`current_target()`), each value in a <div> of its own unless
append=False replaces what is there."""

import base64
import html


class HTML:
    """A string display() writes into the page as HTML, not escaped."""

    def __init__(self, html):
        self._html = html

    def _repr_html_(self):
        return self._html


def _image(mime):
    def render(data, meta):
        if isinstance(data, (bytes, bytearray)):
            data = base64.b64encode(data).decode()
        attributes = "".join(' %s="%s"' % (key, html.escape(str(value))) for key, value in meta.items())
        return '<img src="data:%s;base64,%s"%s>' % (mime, data, attributes)

    return render


# How each MIME type's data becomes HTML.
_RENDERERS = {
    "text/plain": lambda data, meta: html.escape(data),
    "text/html": lambda data, meta: data,
    "image/png": _image("image/png"),
    "image/jpeg": _image("image/jpeg"),
    "image/svg+xml": lambda data, meta: data,
    "application/json": lambda data, meta: data,
    "application/javascript": lambda data, meta: "<script>%s</script>" % data,
}

# The representation methods display() tries, richest first (a figure's savefig before any).
_METHODS = (
    ("savefig", "image/png"),
    ("_repr_png_", "image/png"),
    ("_repr_jpeg_", "image/jpeg"),
    ("_repr_svg_", "image/svg+xml"),
    ("_repr_html_", "text/html"),
    ("_repr_json_", "application/json"),
    ("_repr_javascript_", "application/javascript"),
)


def _represent(value, method):
    if not hasattr(value, method):
        return None
    if method == "savefig":
        import io

        out = io.BytesIO()
        value.savefig(out, format="png")
        return out.getvalue()
    return getattr(value, method)()


def _with_meta(data, meta):
    """A representation may come as (data, meta)."""
    if isinstance(data, tuple):
        data, more = data
        meta = dict(meta)
        meta.update(more)
    return data, meta


def content_of(value):
    """The HTML for value and the MIME type it was written as."""
    if isinstance(value, str):
        return html.escape(value), "text/plain"
    bundle = _represent(value, "_repr_mimebundle_")
    if bundle:
        formats, metas = bundle if isinstance(bundle, tuple) else (bundle, {})
        for mime, data in formats.items():
            if mime in _RENDERERS:
                data, meta = _with_meta(data, metas.get(mime, {}))
                return _RENDERERS[mime](data, meta), mime
    for method, mime in _METHODS:
        data = _represent(value, method)
        if data is not None:
            data, meta = _with_meta(data, {})
            return _RENDERERS[mime](data, meta), mime
    return html.escape(repr(value)), "text/plain"


def _element(target):
    """The element display() writes to: by id ("#id" too), the script's own output element by default."""
    # Imported here, not above: content_of and HTML run in CPython's unit tests.
    from . import context
    from .ffi import is_none

    if is_none(target):
        target = context.current_target()
    if not isinstance(target, str):
        from .util import dom_elements_of

        return dom_elements_of(target)[0]  # an element, or pyscript.web's
    target = target[1:] if target.startswith("#") else target
    element = context.document.getElementById(target)
    if is_none(element):
        raise ValueError("Cannot find element with id='%s' in the page." % target)  # PyScript's words, which its apps test
    if element.tagName == "SCRIPT" and not is_none(getattr(element, "target", None)):
        element = element.target  # a script's output element
    return element


def display(*values, target=None, append=True):
    """Shows each value in the page: in the element whose id is target, or the running script's output element."""
    from .context import document

    element = _element(target)
    if not append:
        element.replaceChildren()
    for value in values:
        written, mime = content_of(value)
        if not written.strip():
            continue
        container = element
        if append:
            container = document.createElement("div")
            element.append(container)
        if mime in ("text/html", "application/javascript"):
            # A fragment runs its scripts, as innerHTML does not.
            container.append(document.createRange().createContextualFragment(written))
        else:
            container.innerHTML = written
