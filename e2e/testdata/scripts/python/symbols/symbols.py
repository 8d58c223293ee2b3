# Symbols from the worker's own JavaScript (`js`), passed to page functions,
# and a symbol read from the page, passed back: what brand checks in
# third-party libraries do.
import js
from pyscript import window

iterator = js.Symbol.iterator
app = getattr(js.Symbol, "for")("app")
page_iterator = window.Symbol.iterator
[
    window.getSymbol(iterator, []) is not None,
    window.hasSymbol(iterator, []),
    window.hasIterator([]),
    window.isAppSymbol(app),
    window.hasSymbol(page_iterator, [1]),
]
