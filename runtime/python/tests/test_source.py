"""The interpreter-neutral source handling (pyworker/_source.py), checked
against CPython's own parser: MicroPython runs the same code without one."""

import ast
import sys
import textwrap
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pyworker"))

from _source import compile_run, dedent, last_statement  # noqa: E402

# Sources whose last statement is or is not an expression, in the shapes a
# scanner can get wrong: strings, comments, brackets, continuations,
# semicolons, blocks, decorators.
SOURCES = [
    "1 + 1",
    "x = 1\nx + 1",
    "x = 1\nx + 1\n",
    "x = 1\nx + 1\n\n# a comment\n   \n",
    "x = 1",
    "print('hi')",
    "x = 1; x + 1",
    "x = 1; y = 2",
    "x = 1;",
    "s = '# not a comment'\ns",
    "s = 'a;b'; s",
    's = """\nnot top\n"""\nlen(s)',
    "s = '''\nx = 1\n'''",
    "t = (1,\n2,\n3)\nt",
    "t = (\n  1\n)\n[\n  t,\n  2,\n]",
    "x = 1 + \\\n  2\nx",
    "if True:\n    x = 1\nelse:\n    x = 2",
    "if True:\n    x = 1\nx",
    "for i in range(3): print(i)",
    "if True: a = 1; b = 2",
    "def f():\n    return 1\nf()",
    "def f():\n    return 1\n\n    # indented comment\n",
    "@staticmethod\ndef f():\n    pass",
    "class A:\n    x = 1\nA.x",
    "f = lambda: 1; f()",
    "x: int = 1; x",
    "d = {'a': 1}\nd['a']",
    "s = 'it\\'s'\ns",
    's = "a\\\\"\ns',
    "r'\\''\n",
    "x = [i for i in range(3)]\nx",
    "try:\n    1/0\nexcept ZeroDivisionError:\n    pass",
    "import sys\nsys.version_info[0]",
    "x = 1\n\tx",
    "x = 1\r\nx + 1\r\n",
    "",
    "# only a comment",
]


def expected(source):
    """What CPython's parser says: the line of the last statement when it is an expression."""
    body = ast.parse(source).body
    if body and isinstance(body[-1], ast.Expr):
        return body[-1].lineno
    return None


class LastStatement(unittest.TestCase):
    def test_agrees_with_the_parser(self):
        for source in SOURCES:
            with self.subTest(source=source):
                try:
                    want = expected(source)
                except SyntaxError:
                    with self.assertRaises(SyntaxError):
                        compile_run(source, "<exec>")
                    continue
                _, value = compile_run(source, "<exec>")
                if want is None:
                    # Some statements the scanner keeps whole: then there is no value either.
                    self.assertIsNone(value)
                elif source in CONSERVATIVE:
                    self.assertIsNone(value, "a top-level ':' makes the scanner keep the line whole")
                else:
                    self.assertIsNotNone(value)
                    at, line = last_statement(source)
                    self.assertEqual(line, want)

    def test_values_and_lines(self):
        namespace = {}
        code, value = compile_run("x = 20\ny = x + 1\ny * 2", "<exec>")
        exec(code, namespace)
        self.assertEqual(eval(value, namespace), 42)
        code, value = compile_run("x = 0\n\n\n1 / x", "<exec>")
        exec(code, namespace)
        try:
            eval(value, namespace)
            self.fail("1 / 0 raised nothing")
        except ZeroDivisionError as error:
            self.assertEqual(error.__traceback__.tb_next.tb_lineno, 4)

    def test_syntax_error_names_its_line(self):
        with self.assertRaises(SyntaxError) as raised:
            compile_run("x = 1\ny = (\n1 +\n", "<exec>")
        self.assertIn(raised.exception.lineno, (2, 3, 4))
        with self.assertRaises(SyntaxError) as raised:
            compile_run("x = 1\ndef f(:\n    pass\nx", "<exec>")
        self.assertEqual(raised.exception.lineno, 2)


# Expressions after a top-level ':' on their line, which the scanner
# leaves in the statement before them (it cannot tell a lambda or an
# annotation from a one-line block).
CONSERVATIVE = {"f = lambda: 1; f()", "x: int = 1; x"}


class Dedent(unittest.TestCase):
    def test_as_textwrap(self):
        for source in [
            "    x = 1\n    x",
            "  a\n\n    b\n  c",
            "\tx = 1\n\tx",
            "x = 1\n  y",
            "    x = 1\n  \n    x\n",
            "",
            "   ",
        ]:
            with self.subTest(source=source):
                self.assertEqual(dedent(source), textwrap.dedent(source))


if __name__ == "__main__":
    unittest.main()
