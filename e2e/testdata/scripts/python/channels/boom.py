from pyworker import sync  # the page function raises, uncaught, at line 3

sync.boom()
