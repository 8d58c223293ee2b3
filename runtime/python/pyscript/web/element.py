"""pyscript.web's elements: a Python object for a page element, whose
attributes are the element's (`div.innerHTML`, `a.href`), with its
`classes` and `style` as a set and a dict, its children and `find`, and
its events as `on_NAME`; and ElementCollection, many elements as one.

On the page an element holds the DOM element itself; in a worker,
pyworker's reference to it (see pyworker._pageobjects), so that the same
code runs on both sides. Everything here goes through the element's own
attributes and methods, which both sides have."""

from .. import context
from ..events import Event
from ..ffi import create_proxy, is_none


def items_of(dom_list):
    """The items of a NodeList or HTMLCollection, as a list (read by index: a worker's reference has no iterator)."""
    return [dom_list.item(i) for i in range(dom_list.length)]


def same(a, b):
    """Whether two page values are the same object (Object.is, asked where they live)."""
    return getattr(context.window.Object, "is")(a, b)


class Element:
    """A page element. Made new (`web.div("hi")`) or wrapped (`web.page["id"]`)."""

    # The class of each tag's elements, by tag name (see tags.py).
    element_classes_by_tag_name = {}

    @classmethod
    def get_tag_name(cls):
        """The HTML tag of this class's elements (its name without the "_" a keyword needs)."""
        return cls.__name__.replace("_", "")

    @classmethod
    def register_element_classes(cls, element_classes):
        for element_class in element_classes:
            cls.element_classes_by_tag_name[element_class.get_tag_name()] = element_class

    @classmethod
    def unregister_element_classes(cls, element_classes):
        for element_class in element_classes:
            cls.element_classes_by_tag_name.pop(element_class.get_tag_name(), None)

    @classmethod
    def wrap_dom_element(cls, dom_element):
        """The element of the class registered for its tag (Element for one not registered)."""
        return cls.element_classes_by_tag_name.get(dom_element.tagName.lower(), cls)(dom_element=dom_element)

    def __init__(self, dom_element=None, classes=None, style=None, **kwargs):
        if is_none(dom_element):
            dom_element = context.document.createElement(type(self).get_tag_name())
        self._dom_element = dom_element
        self._on_events = {}
        self._classes = self._style = None  # made on first use
        self.update(classes=classes, style=style, **kwargs)

    def __eq__(self, other):
        return isinstance(other, Element) and same(self._dom_element, other._dom_element)

    def __repr__(self):
        return "<%s %s>" % (type(self).__name__, self._dom_element.tagName.lower())

    def __getitem__(self, key):
        """A child by index, children by slice, or a descendant by id ("#id" or "id")."""
        if isinstance(key, (int, slice)):
            return self.children[key]
        if isinstance(key, str):
            return find_by_id(self._dom_element, key)
        raise TypeError("Element indices must be integers, slices, or strings, not %s" % type(key).__name__)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name.startswith("on_"):
            return self.get_event(name)
        return getattr(self._dom_element, _dom_name(name))

    def __setattr__(self, name, value):
        if name.startswith("_"):
            super().__setattr__(name, value)
        elif name.startswith("on_"):
            self.get_event(name).add_listener(value)
        else:
            setattr(self._dom_element, _dom_name(name), value)

    def get_event(self, name):
        """The Event triggered, with the DOM event, each time the element's event `on_NAME` fires."""
        if not name.startswith("on_"):
            raise ValueError("Event names must start with 'on_': on_click, on_input...")
        event_name = name[3:]
        if name not in self._on_events:
            if not context.window.Reflect.has(self._dom_element, "on" + event_name):
                raise ValueError("Element has no '%s' event: a <%s> has no on%s" % (event_name, self._dom_element.tagName.lower(), event_name))
            event = Event()
            listener = event.trigger if context.RUNNING_IN_WORKER else create_proxy(event.trigger)
            self._dom_element.addEventListener(event_name, listener)
            self._on_events[name] = event
        return self._on_events[name]

    @property
    def children(self):
        return ElementCollection.wrap_dom_elements(self._dom_element.children)

    @property
    def classes(self):
        """The element's classes, a set kept in step with its classList."""
        if self._classes is None:
            self._classes = Classes(self)
        return self._classes

    @property
    def style(self):
        """The element's inline style, a dict of CSS properties (hyphenated names) kept in step with it."""
        if self._style is None:
            self._style = Style(self)
        return self._style

    @property
    def parent(self):
        parent = self._dom_element.parentElement
        return None if is_none(parent) else Element.wrap_dom_element(parent)

    def append(self, *items):
        """Appends elements, collections, lists of them, DOM elements or node lists, and text (str, numbers)."""
        for item in items:
            if isinstance(item, Element):
                self._dom_element.appendChild(item._dom_element)
            elif isinstance(item, ElementCollection):
                for element in item:
                    self._dom_element.appendChild(element._dom_element)
            elif isinstance(item, (list, tuple)):
                self.append(*item)
            elif isinstance(item, (str, int, float, bool)):
                self._dom_element.append(str(item) if not isinstance(item, str) else item)
            elif _present(getattr(item, "tagName", None)):
                self._dom_element.appendChild(item)
            elif _present(getattr(item, "length", None)):
                for node in items_of(item):
                    self._dom_element.appendChild(node)
            else:
                raise TypeError("Cannot append %s to element: append elements, lists of them, or text" % type(item).__name__)

    def clone(self, clone_id=None):
        """A deep copy of the element (not in the page), with id clone_id."""
        copy = Element.wrap_dom_element(self._dom_element.cloneNode(True))
        copy.id = clone_id
        return copy

    def find(self, selector):
        """The descendants matching a CSS selector."""
        return ElementCollection.wrap_dom_elements(self._dom_element.querySelectorAll(selector))

    def show_me(self):
        """Scrolls the page to the element."""
        self._dom_element.scrollIntoView()

    def update(self, classes=None, style=None, **kwargs):
        """Adds classes (a name, names with spaces, or a list), sets style properties, and sets attributes and on_* handlers."""
        if classes:
            for name in [classes] if isinstance(classes, str) else classes:
                self.classes.add(name)
        if style:
            for key, value in style.items():
                self.style[key] = value
        for name, value in kwargs.items():
            setattr(self, name, value)


def _present(value):
    """Whether a JavaScript property read found something (MicroPython gives undefined as an object of its own)."""
    return not is_none(value) and type(value).__name__ != "undefined"


def _dom_name(name):
    """The DOM's name for a Python attribute: `for_` is htmlFor, `class_` className; a trailing _ dropped."""
    if name.endswith("_"):
        name = name[:-1]
    return {"for": "htmlFor", "class": "className"}.get(name, name)


def find_by_id(dom_node, id):
    """The element with this id under dom_node ("#" optional), or None."""
    found = dom_node.querySelector("#" + (id[1:] if id.startswith("#") else id))
    return None if is_none(found) else Element.wrap_dom_element(found)


class Classes(set):
    """An element's classes: a set that adds to and removes from its classList too."""

    def __init__(self, element):
        super().__init__(str(element._dom_element.className).split())
        self._class_list = element._dom_element.classList

    def add(self, class_name):
        for name in class_name.split():
            super().add(name)
            self._class_list.add(name)

    def remove(self, class_name):
        """Removes classes; one the element does not have is a warning in the console, as PyScript has it."""
        for name in class_name.split():
            if name not in self:
                context.window.console.warn("Class '%s' not found in element classes." % name)
                continue
            super().remove(name)
            self._class_list.remove(name)

    def discard(self, class_name):
        for name in class_name.split():
            super().discard(name)
            self._class_list.remove(name)

    def clear(self):
        for name in list(self):
            self._class_list.remove(name)
        super().clear()


class Style(dict):
    """An element's inline style: a dict whose entries are set on, and removed from, element.style."""

    def __init__(self, element):
        super().__init__()
        self._style = element._dom_element.style

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._style.setProperty(key, value)

    def __delitem__(self, key):
        super().__delitem__(key)
        self._style.removeProperty(key)


class ElementCollection:
    """Elements as one: index, slice, find by id, iterate, find within all, update all."""

    @classmethod
    def wrap_dom_elements(cls, dom_elements):
        return cls([Element.wrap_dom_element(element) for element in items_of(dom_elements)])

    def __init__(self, elements):
        self._elements = list(elements)

    def __eq__(self, other):
        return isinstance(other, ElementCollection) and self._elements == other._elements

    def __getitem__(self, key):
        if isinstance(key, int):
            return self._elements[key]
        if isinstance(key, slice):
            return ElementCollection(self._elements[key])
        if isinstance(key, str):
            id = key[1:] if key.startswith("#") else key
            for element in self._elements:
                if element.id == id:
                    return element
                found = find_by_id(element._dom_element, id)
                if found is not None:
                    return found
            return None
        raise TypeError("Collection indices must be integers, slices, or strings, not %s" % type(key).__name__)

    def __iter__(self):
        return iter(self._elements)

    def __len__(self):
        return len(self._elements)

    def __repr__(self):
        return "%s (length: %d) %s" % (type(self).__name__, len(self._elements), self._elements)

    @property
    def elements(self):
        return self._elements

    def find(self, selector):
        found = []
        for element in self._elements:
            found.extend(element.find(selector))
        return ElementCollection(found)

    def update_all(self, classes=None, style=None, **kwargs):
        for element in self._elements:
            element.update(classes=classes, style=style, **kwargs)
