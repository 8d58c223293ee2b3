# time.sleep, and whether it is pyworker's own (not Pyodide's spinning one).
import time
from pyworker import _page
t = time.monotonic()
time.sleep(0.2)
time.sleep(0)
(time.monotonic() - t, _page._sleep(0) is not False)
