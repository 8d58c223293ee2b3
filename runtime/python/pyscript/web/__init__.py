"""pyscript.web: the page's elements as Python objects, as PyScript has
them: `web.page` (find, by id, append, title), a class for every HTML tag
(`web.div("hi", id="x", classes=["a"], on_click=handler)`), elements'
attributes, classes, style, children, options and events, collections of
them. The same on the page and in a worker, on both interpreters.

    element  Element, ElementCollection, Classes, Style
    tags     the tag classes, Options, the page"""

from .element import Classes, Element, ElementCollection, Style  # noqa: F401
from .tags import ELEMENT_CLASSES, ContainerElement, HasOptions, Options, Page  # noqa: F401

globals().update(ELEMENT_CLASSES)

# The page, read once: its <html>, <head> and <body> stay the same elements.
page = Page()
