# 100,000 lines, one print each.
for i in range(100000):
    print(i)
