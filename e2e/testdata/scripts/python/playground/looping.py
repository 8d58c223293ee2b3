# A loop that never ends, after setting x and printing a line.
x = 41
print('looping')
while True:
    pass
