# An export that a page function calls back.
from pyworker import sync, export

@export
def f():
    return "f ran"
