"""pyscript's interpreter-neutral parts in CPython: what display() writes
for a value (pyscript/display.py's content_of) and pyscript.util's helpers."""

import asyncio
import functools
import sys
import unittest
from pathlib import Path

# The files alone, not the package, whose __init__ needs a browser's `js`.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pyscript"))

from display import HTML, content_of  # noqa: E402
from storage import Storage, decode, encode  # noqa: E402
from util import NotSupported, is_awaitable  # noqa: E402


class Figure:
    """Stands for a matplotlib figure: savefig writes PNG bytes."""

    def savefig(self, out, format):
        assert format == "png"
        out.write(b"\x89PNG")


class ContentOf(unittest.TestCase):
    def test_a_string_is_escaped_text(self):
        self.assertEqual(content_of("<b>&'\"</b>"), ("&lt;b&gt;&amp;&#x27;&quot;&lt;/b&gt;", "text/plain"))

    def test_html_is_written_as_is(self):
        self.assertEqual(content_of(HTML("<i>x</i>")), ("<i>x</i>", "text/html"))

    def test_richest_representation_first(self):
        class Both:
            def _repr_html_(self):
                return "<p>html</p>"

            def _repr_svg_(self):
                return "<svg></svg>"

        self.assertEqual(content_of(Both()), ("<svg></svg>", "image/svg+xml"))

    def test_png_bytes_become_an_image_with_its_attributes(self):
        class Picture:
            def _repr_png_(self):
                return b"\x89PNG", {"width": 10, "alt": 'a "b"'}

        written, mime = content_of(Picture())
        self.assertEqual(mime, "image/png")
        self.assertEqual(written, '<img src="data:image/png;base64,iVBORw==" width="10" alt="a &quot;b&quot;">')

    def test_a_figure_is_saved_as_png(self):
        self.assertEqual(content_of(Figure()), ('<img src="data:image/png;base64,iVBORw==">', "image/png"))

    def test_a_mime_bundle_gives_the_first_type_display_knows(self):
        class Bundle:
            def _repr_mimebundle_(self):
                return {"application/x-unknown": "?", "image/jpeg": b"\xff\xd8"}, {"image/jpeg": {"height": 2}}

        self.assertEqual(content_of(Bundle()), ('<img src="data:image/jpeg;base64,/9g=" height="2">', "image/jpeg"))

    def test_an_empty_bundle_falls_back(self):
        class Empty:
            def _repr_mimebundle_(self):
                return {}

            def _repr_json_(self):
                return '{"a": 1}'

        self.assertEqual(content_of(Empty()), ('{"a": 1}', "application/json"))

    def test_anything_else_is_its_repr_escaped(self):
        self.assertEqual(content_of([1, "<x>"]), ("[1, &#x27;&lt;x&gt;&#x27;]", "text/plain"))


class StorageEncoding(unittest.TestCase):
    def test_values_keep_their_types(self):
        values = [None, False, 42, 3.14, "hello", b"\x00\xff", bytearray(b"hi"), memoryview(b"mv"),
                  [1, (2, 3)], {"a": {"b": [None]}, 1: "int key"}, (), []]
        for value in values:
            back = decode(encode(value))
            self.assertEqual(back, value)
            self.assertIs(type(back), type(value), value)
        self.assertIs(type(decode(encode([1, (2.0,)]))[1][0]), float)

    def test_what_cannot_be_stored_is_refused_naming_it(self):
        with self.assertRaisesRegex(TypeError, "a set cannot be stored"):
            encode({"k": {1, 2}})


class StorageWrites(unittest.TestCase):
    """Each change to a Storage is written to its store (here a recorder) as it is made."""

    def setUp(self):
        self.written = []
        recorder = self

        class Store:
            def put(self, key, text):
                recorder.written.append(("put", key, decode(text)))

            def delete(self, key):
                recorder.written.append(("delete", key))

            def clear(self):
                recorder.written.append(("clear",))

        self.store = Storage(Store())

    def test_update_takes_mappings_pairs_and_keywords_as_dict_does(self):
        self.store.update({"a": 1}, [("b", (2, 3))], c=None)
        self.assertEqual(self.store, {"a": 1, "b": (2, 3), "c": None})
        self.assertEqual(self.written, [("put", "a", 1), ("put", "b", (2, 3)), ("put", "c", None)])

    def test_removals_are_written(self):
        self.store.update(a=1, b=2, c=3)
        self.written.clear()
        del self.store["a"]
        self.assertEqual(self.store.pop("b"), 2)
        self.assertEqual(self.store.pop("missing", "default"), "default")
        self.store.clear()
        self.assertEqual(self.written, [("delete", "a"), ("delete", "b"), ("clear",)])

    def test_a_value_that_cannot_be_stored_changes_nothing(self):
        with self.assertRaises(TypeError):
            self.store["k"] = {1, 2}
        self.assertEqual((self.store, self.written), ({}, []))


class Util(unittest.TestCase):
    def test_not_supported_says_why_on_every_use(self):
        missing = NotSupported("pyscript.PyWorker", "only on the page")
        self.assertIn("pyscript.PyWorker", repr(missing))
        with self.assertRaisesRegex(AttributeError, "^only on the page$"):
            missing.start
        with self.assertRaisesRegex(AttributeError, "^only on the page$"):
            missing.x = 1
        with self.assertRaisesRegex(TypeError, "^only on the page$"):
            missing(1, 2)

    def test_is_awaitable(self):
        async def fetch(url):
            await asyncio.sleep(0)

        def plain():
            pass

        class Handlers:
            async def on_click(self, event):
                pass

            def on_key(self, event):
                pass

        self.assertTrue(is_awaitable(fetch))
        self.assertTrue(is_awaitable(functools.partial(fetch, "/")))
        self.assertTrue(is_awaitable(Handlers().on_click))
        self.assertFalse(is_awaitable(plain))
        self.assertFalse(is_awaitable(Handlers().on_key))
        self.assertFalse(is_awaitable(print))
        self.assertFalse(is_awaitable(lambda: None))


if __name__ == "__main__":
    unittest.main()
