# An export, then a sync call.
from pyworker import sync, export
@export
def double(n):
    return 2 * n
sync.hello()
