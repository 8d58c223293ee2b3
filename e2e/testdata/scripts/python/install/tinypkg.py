# The source names tinypkg only in a string: install_imports loads it, not the run.
import importlib
from pyworker import install_imports
installed = await install_imports("import tinypkg\nimport json\nfrom . import sibling\n")
installed, importlib.import_module("tinypkg").hello(), await install_imports("import tinypkg")
