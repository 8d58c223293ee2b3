# Exports of every kind; fails() raises at line 16.
from pyworker import export, sync
@export
def double(n):
    return 2 * n
def version():
    import sys
    return sys.version
__export__ = ['version']
sync.heavy = lambda: 6 * 7
@export
def pair(xs, d):
    return {'sum': sum(xs), 'keys': sorted(d)}
@export
def fails():
    raise ValueError('no')
@export
async def slow(x):
    import asyncio
    await asyncio.sleep(0.01)
    return x
