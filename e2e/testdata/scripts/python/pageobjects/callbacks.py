# Python functions the page gets and drops, as many as the page's `proxies`.
from js import proxies
from pyworker import window
for i in range(proxies):
    window.Array.of(lambda: None)
