print('start')
print('computing')
while True:
    pass
