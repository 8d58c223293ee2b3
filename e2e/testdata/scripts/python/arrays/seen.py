# What Python sees of the big arrays a and text.
from js import a, text
(a.constructor.name, a.buffer.constructor.name, a.length, a[5], a[a.length - 1], a.to_py().format, sum(a.to_py()),
 text.buffer.constructor.name, len(text.to_string()), text.to_bytes()[:3].decode())
