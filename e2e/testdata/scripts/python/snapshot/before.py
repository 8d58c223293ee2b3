# Sets state and draws a random number.
import random
state = "kept"
random.random()
