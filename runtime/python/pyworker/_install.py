"""install_imports: what the imports of some source need, from the lock file or PyPI."""

import ast
import sys

from ._packages import load_packages, lock_file_packages, why_not_loaded
from ._run import _imports_of, _missing_imports


async def install_imports(source):
    """Installs what the imports of `source` need and the worker lacks; returns
    the top-level names it installed, sorted. Await it: `await install_imports(src)`.

    A name in Pyodide's lock file is loaded from there, as a run loads its own
    imports; any other goes to micropip (itself loaded from the lock file on
    first need), which looks for a project of that name on PyPI. Standard
    library modules are left alone. Whatever cannot be installed raises one
    ModuleNotFoundError naming each name and why, after the rest are in.
    """
    lock_file = lock_file_packages()
    missing = sorted(
        name
        for name in _missing_imports(frozenset(_imports_of(ast.parse(source))))
        if name in lock_file or name not in sys.stdlib_module_names
    )
    failures = {}
    if any(name in lock_file for name in missing):
        load_errors = []
        await load_packages(source, load_errors)
        for name in missing:
            if name in lock_file and _missing_imports({name}):
                failures[name] = f"it is in Pyodide's lock file, but pyworker could not load {await why_not_loaded(name, load_errors)}"
    from_pypi = [name for name in missing if name not in lock_file]
    if from_pypi:
        micropip, why_not = await _micropip()
        for name in from_pypi:
            if micropip is None:
                failures[name] = f"it is not in Pyodide's lock file, and micropip (to look on PyPI) {why_not}"
                continue
            try:
                await micropip.install(name)
            except Exception as exc:
                failures[name] = f"it is not in Pyodide's lock file, and micropip could not install it: {exc}"
    if failures:
        raise ModuleNotFoundError(
            "; ".join(f"cannot install {name!r}: {why}" for name, why in failures.items()),
            name=next(iter(failures)) if len(failures) == 1 else None,
        )
    return missing


async def _micropip():
    """micropip, loaded from the lock file on first need: (module, None), or (None, why not)."""
    load_errors = []
    if _missing_imports({"micropip"}):
        await load_packages("import micropip", load_errors)
    try:
        import micropip
    except ImportError:
        return None, f"is not there: pyworker could not load {await why_not_loaded('micropip', load_errors)}"
    return micropip, None
