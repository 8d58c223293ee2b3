# install_imports of each of NAMES (a JSON list the page puts in): hello(), or the error's type, name and message.
from pyworker import install_imports
outcomes = []
for name in NAMES:
    try:
        await install_imports(f"import {name}")
        outcomes.append(__import__(name).hello())
    except Exception as exc:
        outcomes.append([type(exc).__name__, getattr(exc, "name", None), str(exc)])
outcomes
