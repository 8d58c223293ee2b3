# input() and sys.stdin, reading the page's stdin option.
print('before')
name = input('Name? ')
n = int(input())
try:
    input('more? ')
except EOFError as e:
    eof = str(e)
import sys
(name, n, eof, sys.stdin.readline(), sys.stdin.readline())
