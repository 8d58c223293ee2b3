# A typed array from the context: what Python sees of it.
from js import a
assert type(a).__name__.startswith('JsProxy') or 'Js' in type(a).__name__, type(a)
(a.constructor.name, a.length, a[999999], a.subarray(10, 13))
