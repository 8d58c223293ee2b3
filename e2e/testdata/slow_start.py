# A worker file that is still running when the page calls it.
import asyncio

from pyworker import export, sync

sync.started()
await asyncio.sleep(0.3)


@export
def late():
    return "defined after the sleep"
