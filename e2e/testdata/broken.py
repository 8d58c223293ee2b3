# A worker file that fails while starting.
x = 1
raise RuntimeError("cannot start: no config")
