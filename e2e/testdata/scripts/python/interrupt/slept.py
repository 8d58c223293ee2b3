# How long time.sleep(0.1) sleeps.
t = time.monotonic()
time.sleep(0.1)
time.monotonic() - t
