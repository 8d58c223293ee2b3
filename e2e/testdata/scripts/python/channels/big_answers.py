# Answers bigger than the channel's buffer.
from pyworker import sync
a = sync.big(200_000)
b = sync.big(3_000_000)
(a.length, sum(a.to_py()), b.length, b[2_999_999], sync.hello('again'))
