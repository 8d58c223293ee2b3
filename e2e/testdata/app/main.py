from pyworker import export

from greeter import greet


@export
def welcome(name):
    return greet(name)
