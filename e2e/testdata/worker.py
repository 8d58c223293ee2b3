# The PyScript docs' worker examples, unchanged.
from pyscript import sync
import sys

# Use any methods from main.py on the main thread.
sync.greetings()

# Expose any methods meant to be used from main.
sync.heavy_computation = lambda: 6 * 7


def version():
    return sys.version

# Define what to export to the main thread.
__export__ = ["version", ]
