# A page function that throws, caught in Python.
from pyworker import sync
try:
    sync.boom()
except Exception as e:
    caught = str(e)
caught
