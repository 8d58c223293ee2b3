from pyworker import export


@export
def hello(name):
    return f"hi {name}"
