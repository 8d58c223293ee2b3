# What Python sees of the array a.
from js import a
(a.buffer.constructor.name, a.length, a[5], a[a.length - 1])
