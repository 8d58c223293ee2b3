from test import test
from pyscript.js_modules import shouting

with open("texts/greeting.txt") as f:
    print(test(), "|", shouting.shout("hi"), "|", f.read().strip())
