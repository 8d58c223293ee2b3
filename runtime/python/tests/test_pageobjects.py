"""The interpreter-neutral page objects (pyworker/_pageobjects.py): what each
use of `window` and `document` asks the page, what its answers become, and
the references dropped, as both interpreters' adapters see them."""

import asyncio
import gc
import sys
import types
import unittest
from pathlib import Path

# The package without its __init__, which needs an interpreter's `js`: its modules' relative imports work.
package = types.ModuleType("pyworker")
package.__path__ = [str(Path(__file__).resolve().parent.parent / "pyworker")]
sys.modules.setdefault("pyworker", package)

from pyworker import _pageobjects  # noqa: E402
from pyworker._pageobjects import PageObject, document, window  # noqa: E402


class PageObjectsTest(unittest.TestCase):
    def setUp(self):
        self.asked = []
        self.answers = []
        _pageobjects.released()  # none left from another test

        def ask(op, ref, key, args, path):
            self.asked.append((op, ref, key, list(args)) + ((path,) if path else ()))
            return self.answers.pop(0)

        _pageobjects.connect(ask)

    def test_each_use_is_one_question(self):
        self.answers = [None, "a title", ("ref", 7, False), ("ref", 8, True), 3, None]
        document.title = "new"
        self.assertEqual(document.title, "a title")
        console = window.console
        log = console.log
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

    def test_a_chain_of_reads_is_one_question(self):
        self.answers = [[("ref", 7, False), ("ref", 8, False), "bench"], [("ref", 9, False), ("ref", 10, False), "again"]]
        read = lambda: document.body.dataset.test  # noqa: E731
        self.assertEqual(read(), "bench")
        self.assertEqual(read(), "again")
        self.assertEqual(self.asked, [("get", 1, "body", [], ("dataset", "test"))] * 2)
        gc.collect()
        self.assertEqual(sorted(_pageobjects.released()), [7, 8, 9, 10])

    def test_a_chain_stops_where_the_page_stops(self):
        # The title is a string: its .upper is Python's, and the page reads no further.
        self.answers = [["a title"]]
        upper = document.title.upper
        self.assertEqual(upper(), "A TITLE")
        self.assertEqual(self.asked, [("get", 1, "title", [], ("upper",))])

    def test_reads_answered_ahead_and_not_made_are_released(self):
        # PageObject.new is Python's own: the page's `new`, read ahead, is never asked for.
        self.answers = [[("ref", 5, True), ("ref", 6, False)], ("ref", 9, False)]
        new = window.Date.new  # not called here: 3.12 reads a method for a call as a plain read, 3.11 not
        day = new(2026, 0, 2)
        self.assertEqual(day._ref, 9)
        self.assertEqual(self.asked, [("get", 0, "Date", [], ("new",)), ("new", 5, None, [2026, 0, 2])])
        self.assertEqual(_pageobjects.released(), [6])

    def test_reads_made_otherwise_are_asked_alone(self):
        self.answers = ["a title", ("ref", 7, False)]
        self.assertEqual(getattr(document, "title"), "a title")
        body = document.body
        self.assertEqual(body._ref, 7)
        self.assertEqual(self.asked, [("get", 1, "title", []), ("get", 1, "body", [])])

    def test_new_and_items(self):
        self.answers = [("ref", 9, False), 2]
        day = PageObject(5, True).new(2026, 0, 2)
        self.assertEqual(day._ref, 9)
        self.assertEqual(day[0], 2)
        self.assertEqual(self.asked, [("new", 5, None, [2026, 0, 2]), ("get", 9, 0, [])])

    def test_dunder_names_are_not_asked(self):
        self.assertFalse(hasattr(document, "__len__"))
        self.assertEqual(self.asked, [])

    def awaited(self, settle):
        """`await` of page object #20, a promise whose `then` (#21) the page is asked to call; then
        `settle(fulfilled, rejected)` plays the page calling one back."""
        handlers = []

        def ask(op, ref, key, args, path):
            self.asked.append((op, ref, key))
            if (op, ref) == ("call", 21):
                handlers.extend(args)
                return None
            return self.answers.pop(0)

        _pageobjects.connect(ask)

        async def main():
            waiting = asyncio.ensure_future(_awaiting(PageObject(20)))
            while not handlers:
                await asyncio.sleep(0)
            self.assertFalse(waiting.done())  # nothing blocks: the event loop runs while the page has not answered
            settle(*handlers)
            return await waiting

        async def _awaiting(promise):
            return await promise

        return asyncio.run(main())

    def test_awaiting_a_promise_gives_its_value_once_the_page_calls_back(self):
        self.answers = [("ref", 21, True)]
        self.assertEqual(self.awaited(lambda fulfilled, rejected: fulfilled("done")), "done")
        self.assertEqual(self.asked, [("get", 20, "then"), ("call", 21, None)])

    def test_awaiting_a_rejected_promise_raises_its_error(self):
        self.answers = [("ref", 21, True), "TypeError", "Failed to fetch"]
        with self.assertRaisesRegex(RuntimeError, "^TypeError: Failed to fetch$"):
            self.awaited(lambda fulfilled, rejected: rejected(PageObject(22)))

    def test_awaiting_what_is_not_a_promise_gives_it_back(self):
        self.answers = [None]  # its `then` is undefined
        response = PageObject(30)

        async def main():
            return await response

        self.assertIs(asyncio.run(main()), response)

    def test_dropped_references_are_released_once(self):
        PageObject(12)
        PageObject(0)  # window: never released
        PageObject(2)  # nor the page's js_modules
        gc.collect()
        self.assertEqual(_pageobjects.released(), [12])
        self.assertIsNone(_pageobjects.released())

    def test_errors_name_the_operation(self):
        self.assertEqual(_pageobjects.describe("get", 1, "body"), "document.body")
        self.assertEqual(_pageobjects.describe("call", 0, "alert"), "window.alert")
        self.assertEqual(_pageobjects.describe("get", 2, "greeting"), "js_modules.greeting")
        self.assertEqual(_pageobjects.describe("call", 4, None), "page object call")

    def test_unconnected_says_so(self):
        _pageobjects.connect(_pageobjects._not_connected)
        with self.assertRaisesRegex(RuntimeError, "not connected"):
            document.title


if __name__ == "__main__":
    unittest.main()
