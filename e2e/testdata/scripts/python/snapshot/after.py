# Whether state is there, and a random number.
import random
["state" in globals(), random.random()]
