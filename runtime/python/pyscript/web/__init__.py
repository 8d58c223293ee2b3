"""pyscript.web: the page's elements as Python objects, as PyScript has
them: `web.page` (find, by id, append, title), a class for every HTML tag
(`web.div("hi", id="x", classes=["a"], on_click=handler)`), elements'
attributes, classes, style, children, options and events, collections of
them. The same on the page and in a worker, on both interpreters.

    element  Element, ElementCollection, Classes, Style
    tags     the tag classes, Options, the page"""

from ..events import Event  # noqa: F401  (PyScript's web has it too)
from ..ffi import is_none
from .element import Classes, Element, ElementCollection, Style, find_by_id  # noqa: F401
from .tags import ELEMENT_CLASSES, ContainerElement, HasOptions, Options, Page  # noqa: F401

globals().update(ELEMENT_CLASSES)


# PyScript's helpers, by its names, which its apps and tests use.
_find_by_id = find_by_id


def _wrap_if_not_none(dom_element):
    """The element for a DOM element, or None for none."""
    return None if is_none(dom_element) else Element.wrap_dom_element(dom_element)


def _find_and_wrap(dom_node, selector):
    """The elements under dom_node that match a CSS selector."""
    return ElementCollection.wrap_dom_elements(dom_node.querySelectorAll(selector))

# The page, read once: its <html>, <head> and <body> stay the same elements.
page = Page()
