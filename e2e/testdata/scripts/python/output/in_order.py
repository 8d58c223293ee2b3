import sys
for i in range(100_000):
    print(i, file=sys.stderr if i % 1000 == 999 else sys.stdout)
