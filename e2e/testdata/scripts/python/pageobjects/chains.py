# Chains of reads of window.chain, the last with a read that throws.
from pyworker import window
v = window.chain.inner.v
doubled = window.chain.inner.f()
try:
    window.chain.boom.x
except Exception as e:
    boom = str(e)
(v, doubled, boom)
