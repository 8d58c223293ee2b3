def f():  # raises in f, at line 2
    raise ValueError('bad input')
f()
