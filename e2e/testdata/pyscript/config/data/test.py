def test():
    return "test() from a config's file"
