# A MicroPython worker's src that awaits at top level, as PyScript's test runner does.
import asyncio

from pyworker import export

await asyncio.sleep(0.01)
started = "after the await"


@export
def state():
    return started
