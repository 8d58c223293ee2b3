# install_imports of each name in the list the page writes in for the placeholder below: hello(), or the error's type, name and message.
from pyworker import install_imports
outcomes = []
for name in NAMES:
    try:
        await install_imports(f"import {name}")
        outcomes.append(__import__(name).hello())
    except Exception as exc:
        outcomes.append([type(exc).__name__, getattr(exc, "name", None), str(exc)])
outcomes
