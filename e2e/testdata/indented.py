    # A worker file indented as a whole, as code pasted from a page often is.
    from pyworker import export

    @export
    def shout(text):
        return text.upper() + "!"
