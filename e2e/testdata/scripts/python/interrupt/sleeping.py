import time  # prints, then sleeps at line 3
print('sleeping')
time.sleep(30)
