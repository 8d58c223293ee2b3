"""The Python boundary's contract: pyworker/_contract.py against the
TypeScript declaration (src/shared/pythoncontract.ts), and the module's
files against the contract: the entry points the worker calls, the hooks
Python calls, a page operation's fields in their order."""

import ast
import json
import sys
import unittest
from pathlib import Path

RUNTIME = Path(__file__).resolve().parent.parent.parent
PACKAGE = RUNTIME / "python" / "pyworker"
sys.path.insert(0, str(PACKAGE))

import _contract  # noqa: E402


def typescript_contract():
    """CONTRACT from pythoncontract.ts: the JSON between its markers, less `export const CONTRACT =` and `as const;`."""
    text = (RUNTIME / "src" / "shared" / "pythoncontract.ts").read_text()
    body = text.split("// contract:begin\n", 1)[1].split("// contract:end", 1)[0]
    body = body.strip().removeprefix("export const CONTRACT =").removesuffix("as const;")
    return json.loads(body)


def tree_of(name):
    return ast.parse((PACKAGE / name).read_text(), name)


def attributes_read(tree, owner):
    """The names X of every `owner.X` in tree."""
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == owner
    }


def names_bound(nodes):
    """The names these statements define or import."""
    names = set()
    for node in nodes:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return names


def interpreter_branches():
    """The statements of pyworker/__init__.py for MicroPython and for Pyodide."""
    for node in tree_of("__init__.py").body:
        if isinstance(node, ast.If) and "micropython" in ast.unparse(node.test):
            return node.body, node.orelse
    raise AssertionError("pyworker/__init__.py has no `if sys.implementation.name == 'micropython'` branch")


class SameAsTypeScript(unittest.TestCase):
    def setUp(self):
        self.ts = typescript_contract()

    def test_every_name_matches(self):
        python = {
            "reply": _contract.REPLY,
            "exception": _contract.EXCEPTION_FIELDS,
            "pageOp": _contract.PAGE_OP,
            "pageRoots": _contract.PAGE_ROOTS,
            "hooks": _contract.HOOKS,
            "answer": _contract.ANSWER,
            "answerError": _contract.ANSWER_ERROR,
            "entryPoints": _contract.ENTRY_POINTS,
            "connect": _contract.CONNECT,
            "hooksModule": _contract.HOOKS_MODULE,
            "userFile": _contract.USER_FILE,
        }
        self.assertEqual(sorted(python), sorted(self.ts), "a key of CONTRACT has no Python name here, or back")
        for key, value in python.items():
            expected = self.ts[key]
            self.assertEqual(list(value) if isinstance(value, tuple) else value, expected, key)

    def test_error_reply_has_the_declared_keys(self):
        reply = _contract.error_reply("ValueError", "bad", "Traceback...\nValueError: bad\n", 3)
        self.assertEqual(sorted(reply), sorted(self.ts["reply"][1:]))
        self.assertEqual(sorted(reply["exception"]), sorted(self.ts["exception"]))
        self.assertNotIn("line", _contract.error_reply("E", "m", "t", None)["exception"])


class ModuleKeepsTheContract(unittest.TestCase):
    def test_pyodide_branch_has_every_entry_point_and_connect(self):
        _, pyodide = interpreter_branches()
        bound = names_bound(pyodide)
        for name in (*_contract.ENTRY_POINTS, _contract.CONNECT):
            self.assertIn(name, bound, f"pyworker/__init__.py gives Pyodide's worker no {name}")

    def test_micropython_branch_has_only_declared_entry_points(self):
        micropython, _ = interpreter_branches()
        private = {name for name in names_bound(micropython) if name.startswith("_") and not name.startswith("__")}
        self.assertIn("_run", private)
        self.assertLessEqual(private, set(_contract.ENTRY_POINTS), "an entry point the contract does not declare")

    def test_pyodide_reads_only_declared_hooks(self):
        read = attributes_read(tree_of("_page.py"), "hooks") - {"channel"}
        self.assertEqual(read, set(_contract.HOOKS))

    def test_micropython_calls_only_declared_hooks(self):
        called = attributes_read(tree_of("_micropython.py"), _contract.HOOKS_MODULE)
        self.assertEqual(called, set(_contract.HOOKS))

    def test_page_operations_pass_fields_in_order(self):
        """Both sides pass a page operation's fields first, in the contract's order."""
        page = [n for n in ast.walk(tree_of("_page.py")) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "_ask_page"]
        self.assertEqual(len(page), 1, "_page.py: one call of _ask_page")
        micropython = [
            n.value
            for n in ast.walk(tree_of("_micropython.py"))
            if isinstance(n, ast.Assign) and [ast.unparse(t) for t in n.targets] == ["fields"]
        ]
        self.assertEqual(len(micropython), 1, "_micropython.py: one `fields = [...]`")
        for name, fields in (("_page.py", page[0].args), ("_micropython.py", micropython[0].elts)):
            written = [ast.unparse(field) for field in fields[: len(_contract.PAGE_OP)]]
            # Each field is the variable of its name, or (args) the wires made of it.
            for field, text in zip(_contract.PAGE_OP, written):
                self.assertTrue(text == field or field in text or (field == "args" and "wire" in text), f"{name}: {field} is passed as {text}")

if __name__ == "__main__":
    unittest.main()
