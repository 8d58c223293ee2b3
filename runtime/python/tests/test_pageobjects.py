"""The interpreter-neutral page objects (pyworker/_pageobjects.py): what each
use of `window` and `document` asks the page, what its answers become, and
the references dropped, as both interpreters' adapters see them."""

import gc
import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pyworker"))

import _pageobjects  # noqa: E402
from _pageobjects import PageObject, document, window  # noqa: E402


class PageObjectsTest(unittest.TestCase):
    def setUp(self):
        self.asked = []
        self.answers = []
        _pageobjects.released()  # none left from another test

        def ask(op, ref, key, args):
            self.asked.append((op, ref, key, list(args)))
            return self.answers.pop(0)

        _pageobjects.connect(ask)

    def test_each_use_is_one_question(self):
        self.answers = [None, "a title", ("ref", 7, False), ("ref", 8, True), 3, None]
        document.title = "new"
        self.assertEqual(document.title, "a title")
        log = window.console.log
        self.assertIsInstance(log, PageObject)
        self.assertEqual(repr(log), "<page object #8>")
        self.assertEqual(log("x", 2), 3)
        window["k"] = [1]
        self.assertEqual(
            self.asked,
            [
                ("set", 1, "title", ["new"]),
                ("get", 1, "title", []),
                ("get", 0, "console", []),
                ("get", 7, "log", []),
                ("call", 8, None, ["x", 2]),
                ("set", 0, "k", [[1]]),
            ],
        )

    def test_new_and_items(self):
        self.answers = [("ref", 9, False), 2]
        day = PageObject(5, True).new(2026, 0, 2)
        self.assertEqual(day._ref, 9)
        self.assertEqual(day[0], 2)
        self.assertEqual(self.asked, [("new", 5, None, [2026, 0, 2]), ("get", 9, 0, [])])

    def test_dunder_names_are_not_asked(self):
        self.assertFalse(hasattr(document, "__len__"))
        self.assertEqual(self.asked, [])

    def test_dropped_references_are_released_once(self):
        PageObject(12)
        PageObject(0)  # window: never released
        gc.collect()
        self.assertEqual(_pageobjects.released(), [12])
        self.assertIsNone(_pageobjects.released())

    def test_errors_name_the_operation(self):
        self.assertEqual(_pageobjects.describe("get", 1, "body"), "document.body")
        self.assertEqual(_pageobjects.describe("call", 0, "alert"), "window.alert")
        self.assertEqual(_pageobjects.describe("call", 4, None), "page object call")

    def test_unconnected_says_so(self):
        _pageobjects.connect(_pageobjects._not_connected)
        with self.assertRaisesRegex(RuntimeError, "not connected"):
            document.title


if __name__ == "__main__":
    unittest.main()
