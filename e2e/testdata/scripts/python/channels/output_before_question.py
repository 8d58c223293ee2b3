# Lines printed, then a question whose answer is the last line the page saw.
import time
from pyworker import sync
wrong = []
for i in range(100):
    print('before', i)
    time.sleep(0)
    print(i)
    time.sleep(0)
    if sync.lastLine() != str(i): wrong.append(i)
wrong
