# The first worker's run: state, a random number, a page call and an export.
import random
from pyworker import export, sync

@export
def triple(n):
    return 3 * n

state = "kept"
[sync.double(21), random.random()]
