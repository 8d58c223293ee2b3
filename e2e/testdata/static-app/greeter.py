from pyworker import export, sync


@export
def greet(name):
    return sync.hello(name) + "!"
