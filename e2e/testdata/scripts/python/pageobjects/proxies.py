# Proxies of page objects made and dropped, as many as the page's `proxies`.
from js import proxies
from pyworker import document
for i in range(proxies):
    document.body
import gc
gc.collect()
document.title
