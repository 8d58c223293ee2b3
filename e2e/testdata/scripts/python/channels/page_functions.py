# Page functions called from Python, with values of every kind.
from pyworker import sync
a = sync.hello('PyScript')
b = sync.later(21)
f = sync.floats()
sync.record('x', 1, [2, 3], {'k': None}, b'\x01')
(a, b, f.constructor.name, list(f))
