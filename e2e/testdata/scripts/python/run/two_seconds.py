# Counts loops of Python's clock for two seconds.
import time
end = time.time() + 2
n = 0
while time.time() < end:
    n += 1
n
