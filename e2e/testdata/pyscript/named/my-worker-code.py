import sys

def version():
    return sys.version

# Define what to export to the main thread.
__export__ = ["version", ]
