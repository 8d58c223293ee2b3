import sys

from pyworker import export


@export
def shout(word):
    return word.upper() + "!"


def version():
    return sys.implementation.name


__export__ = ["version"]
print("mpy_worker.py ran")
