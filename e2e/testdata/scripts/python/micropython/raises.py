# f raises at line 3, called at line 4.
def f():
    return 1 / 0
f()
