# A greeting for a name read with input().
print('hi')
name = input('Name? ')
print('Hello,', name)
