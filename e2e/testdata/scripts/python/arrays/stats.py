# An export that tells what it got of an array.
from pyworker import export
@export
def stats(xs):
    return [xs.format, len(xs), xs[5], xs[-1], sum(xs[1:]), xs[0]]
