# install_imports of what cannot be installed: each outcome, or the error's type, name and message.
from pyscript import install_imports
outcomes = []
for source in ["import surely_not_a_package", "import numpy", "import tamperedpkg", "import tinypkg\nx = ("]:
    try:
        outcomes.append(await install_imports(source))
    except Exception as exc:
        outcomes.append([type(exc).__name__, getattr(exc, "name", None), str(exc)])
outcomes
