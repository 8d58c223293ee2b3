from .words import GREETING


def greet(name):
    return f"{GREETING}, {name}!"
