"""pyscript.web's element classes, one for each HTML tag (`web.div`,
`web.input_`...), the options of a <select>, <datalist> or <optgroup>,
a <canvas> and a <video>'s extras, and the page."""

from .. import context
from ..ffi import is_none
from .element import Element, ElementCollection, find_by_id, items_of


class ContainerElement(Element):
    """An element that holds others: made with its children, elements or
    HTML text (`web.div(web.p("a"), "<b>b</b>", id="x")`); iterating it
    gives its children."""

    def __init__(self, *args, children=None, dom_element=None, style=None, classes=None, **kwargs):
        super().__init__(dom_element=dom_element, style=style, classes=classes, **kwargs)
        for child in list(args) + list(children or []):
            if isinstance(child, (Element, ElementCollection)):
                self.append(child)
            else:
                self._dom_element.insertAdjacentHTML("beforeend", str(child))

    def __iter__(self):
        return iter(self.children)


class Options:
    """The <option>s of a select, datalist or optgroup: index, iterate, add, remove, clear, the selected one."""

    def __init__(self, element):
        self._element = element

    def __getitem__(self, key):
        return self.options[key]

    def __iter__(self):
        return iter(self.options)

    def __len__(self):
        return len(self.options)

    def __repr__(self):
        return "%s (length: %d) %s" % (type(self).__name__, len(self), self.options)

    @property
    def options(self):
        """The options, as elements."""
        return [Element.wrap_dom_element(option) for option in items_of(self._element._dom_element.options)]

    @property
    def selected(self):
        """The selected option (None when none is)."""
        dom = self._element._dom_element
        index = dom.selectedIndex
        return None if index is None or index < 0 else Element.wrap_dom_element(dom.options.item(index))

    def add(self, value=None, html=None, text=None, before=None, **kwargs):
        """Adds an option (its value, its HTML or text, any attribute), at the end or before an option or index."""
        if value is not None:
            kwargs["value"] = value
        if html is not None:
            kwargs["innerHTML"] = html
        if text is not None:
            kwargs["text"] = text
        option = Element.element_classes_by_tag_name["option"](**kwargs)
        if isinstance(before, Element):
            before = before._dom_element
        self._element._dom_element.add(option._dom_element, before)

    def clear(self):
        """Removes every option."""
        self._element._dom_element.options.length = 0

    def remove(self, index):
        """Removes the option at index."""
        self._element._dom_element.remove(index)


class HasOptions:
    """What holds <option>s: `element.options`."""

    @property
    def options(self):
        return Options(self)


class canvas(ContainerElement):
    """A <canvas>, which can draw an image or video frame and download what it shows."""

    def download(self, filename="snapped.png"):
        """Downloads the canvas as a PNG file."""
        link = Element.element_classes_by_tag_name["a"](download=filename, href=self._dom_element.toDataURL())
        self.append(link)
        link._dom_element.click()
        link._dom_element.remove()

    def draw(self, what, width=None, height=None):
        """Draws an image, video or canvas (an element) at the top left, scaled to width and height if given."""
        if isinstance(what, Element):
            what = what._dom_element
        context2d = self._dom_element.getContext("2d")
        if width or height:
            context2d.drawImage(what, 0, 0, width, height)
        else:
            context2d.drawImage(what, 0, 0)


class video(ContainerElement):
    """A <video>, which can snap its current frame onto a canvas."""

    def snap(self, to=None, width=None, height=None):
        """Draws the current frame on a canvas (a new one, an element, or a selector's); returns the canvas."""
        width = width if width is not None else self.videoWidth
        height = height if height is not None else self.videoHeight
        if is_none(to):
            to = canvas(width=width, height=height)
        elif isinstance(to, str):
            found = context.document.querySelector(to)
            if is_none(found):
                raise TypeError("No element with selector %s to snap to: name a <canvas>" % to)
            to = Element.wrap_dom_element(found)
        elif not isinstance(to, Element):
            to = Element.wrap_dom_element(to)
        if to.get_tag_name() != "canvas":
            raise TypeError("Element to snap to must be a canvas, not a <%s>" % to._dom_element.tagName.lower())
        to.draw(self, width, height)
        return to


class datalist(ContainerElement, HasOptions):
    """A <datalist>."""


class optgroup(ContainerElement, HasOptions):
    """An <optgroup>."""


class select(ContainerElement, HasOptions):
    """A <select>."""


# The tags whose elements hold others, and the void ones, which cannot.
CONTAINER_TAGS = (
    "a abbr address article aside audio b blockquote body button caption cite code colgroup data dd del "
    "details dialog div dl dt em fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 head header "
    "hgroup html i iframe ins kbd label legend li main map mark menu meta meter nav object ol option "
    "output p param picture pre progress q s script section small span strong style sub summary sup "
    "table tbody td template textarea tfoot th thead time title tr u ul var wbr"
).split()
VOID_TAGS = "area base br col embed hr img input link source track".split()
# Tags that are Python keywords or builtins get a trailing underscore: web.del_, web.input_.
_RENAMED = ("del", "map", "object", "input")

_special = [canvas, video, datalist, optgroup, select]
ELEMENT_CLASSES = {cls.__name__: cls for cls in _special}
for _tag in CONTAINER_TAGS + VOID_TAGS:
    _name = _tag + "_" if _tag in _RENAMED else _tag
    if _name not in ELEMENT_CLASSES:
        _base = ContainerElement if _tag in CONTAINER_TAGS else Element
        ELEMENT_CLASSES[_name] = type(_name, (_base,), {"__doc__": "An HTML <%s> element." % _tag})
Element.register_element_classes(ELEMENT_CLASSES.values())


class Page:
    """The page: its <html>, <head> and <body>, its title, elements by id and selector."""

    def __init__(self):
        document = context.document
        self.html = Element.wrap_dom_element(document.documentElement)
        self.head = Element.wrap_dom_element(document.head)
        self.body = Element.wrap_dom_element(document.body)

    def __getitem__(self, id):
        """The element with this id ("#" optional), or None."""
        return find_by_id(context.document, id)

    @property
    def title(self):
        return context.document.title

    @title.setter
    def title(self, value):
        context.document.title = value

    def append(self, *items):
        """Appends to the body."""
        self.body.append(*items)

    def find(self, selector):
        """The elements matching a CSS selector."""
        return ElementCollection.wrap_dom_elements(context.document.querySelectorAll(selector))
