def test():
    return "test() from beside a config in a folder"
