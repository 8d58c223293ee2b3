# Sets x, then sleeps long enough for a timeout queued behind it to expire.
import time
x = 1
time.sleep(1.5)
'queued ran'
