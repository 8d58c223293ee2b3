# A loop that calls into the runtime, until stopped.
import time
while True:
    time.perf_counter()
