# The bridge figures for PyScript's worker: what pages/bridge measures for
# pyworker, written with PyScript's names.
import time
from pyscript import sync, document


def per_call(n, f):
    start = time.perf_counter()
    for i in range(n):
        f(i)
    return (time.perf_counter() - start) / n * 1e6


def sync_call(n):
    return per_call(n, sync.ping)


def dom_read(n):
    return per_call(n, lambda i: document.body.dataset.test)


def dom_read_cached(n):
    dataset = document.body.dataset
    return per_call(n, lambda i: dataset.test)


def echo(x):
    return x


sync.sync_call = sync_call
sync.dom_read = dom_read
sync.dom_read_cached = dom_read_cached
sync.echo = echo
