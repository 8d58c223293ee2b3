# Values of every kind, to come back as JavaScript.
{'dict': {'a': 1}, 'list': [1, 'two', 3.5], 'tuple': (1, 2), 'none': None, 'bool': True, 'bytes': b'hi', 'big': 2**70, 'nested': [{'x': [None]}]}
