# The calls' order, and busy(s), which holds the worker s seconds.
import time
order = []
def busy(s):
    t = time.perf_counter()
    while time.perf_counter() - t < s: pass
