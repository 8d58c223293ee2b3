"""The callbacks the page holds (pyworker/_callbacks.py): kept while the
page holds any copy it was sent, let go when it has dropped them all."""

import sys
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pyworker"))

import _callbacks  # noqa: E402


class Callbacks(unittest.TestCase):
    def setUp(self):
        _callbacks._kept.clear()

    def test_a_function_sent_twice_is_kept_until_both_are_dropped(self):
        def handler(event):
            return "handled " + event

        key = _callbacks.keep(handler)
        self.assertEqual(_callbacks.keep(handler), key)
        self.assertEqual(_callbacks.call(key, ["click"]), "handled click")
        _callbacks.forget([[key, 1]])
        self.assertEqual(_callbacks.held(), 1)
        _callbacks.forget([[key, 1]])
        self.assertEqual(_callbacks.held(), 0)

    def test_a_callback_let_go_says_so(self):
        key = _callbacks.keep(print)
        _callbacks.forget([[key, 1]])
        with self.assertRaisesRegex(RuntimeError, "was let go"):
            _callbacks.call(key, [])

    def test_forgetting_what_is_not_kept_is_harmless(self):
        _callbacks.forget([[12345, 3]])
        self.assertEqual(_callbacks.held(), 0)


if __name__ == "__main__":
    unittest.main()
