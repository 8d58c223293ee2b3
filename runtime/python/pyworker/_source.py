"""Python source as a run takes it, in terms every interpreter has:
MicroPython has no ast, tokenize or textwrap, so the common indentation
is removed and the last top-level statement is found by scanning the text.
Whether that statement is an expression, whose value the run returns, is
left to the interpreter's own compiler."""


def dedent(source):
    """The source without the indentation all its non-blank lines share
    (code pasted from an indented block runs); blank lines become empty,
    as textwrap.dedent makes them."""
    lines = source.split("\n")
    filled = [line for line in lines if line.strip()]
    prefix = filled[0][: len(filled[0]) - len(filled[0].lstrip())] if filled else ""
    for line in filled[1:]:
        while not line.startswith(prefix):
            prefix = prefix[:-1]
    return "\n".join(line[len(prefix) :] if line.strip() else "" for line in lines)


def last_statement(source):
    """Where the last statement that starts a top-level line (or follows a
    `;` on one) begins: (offset, line number from 1), or None when there
    is no statement. Strings, comments,
    brackets and backslash continuations are skipped as the tokenizer
    would, so a line inside them never counts; nor does a `;` after a
    top-level `:`, which may end a compound statement's one-line body."""
    n = len(source)
    i = 0
    line = 1
    depth = 0  # brackets open
    top = False  # the logical line being read starts at column 0
    colon = False  # ... and has had a `:` outside brackets
    last = None
    starts_line = True  # i is where a physical line starts a logical one
    while i < n:
        if starts_line:
            starts_line = False
            j = i
            while j < n and source[j] in " \t\f":
                j += 1
            if j < n and source[j] not in "#\r\n":
                top, colon = j == i, False
                if top:
                    last = (i, line)
            i = j
            continue
        c = source[i]
        if c == "#":
            while i < n and source[i] != "\n":
                i += 1
            continue
        if c == '"' or c == "'":
            quote = c * 3 if source.startswith(c * 3, i) else c
            i += len(quote)
            while i < n and not source.startswith(quote, i):
                if source[i] == "\\":
                    i += 1
                if i < n and source[i] == "\n":
                    line += 1
                i += 1
            i += len(quote)
            continue
        if c == "\\" and source.startswith("\n", i + 1):
            line += 1
            i += 2
            continue
        if c == "(" or c == "[" or c == "{":
            depth += 1
        elif c == ")" or c == "]" or c == "}":
            depth = max(depth - 1, 0)
        elif depth == 0 and top and c == ":":
            colon = True
        elif depth == 0 and top and not colon and c == ";":
            j = i + 1
            while j < n and source[j] in " \t\f":
                j += 1
            if j < n and source[j] not in "#\r\n":
                last = (j, line)
        elif c == "\n":
            line += 1
            starts_line = depth == 0
        i += 1
    return last


def compile_run(source, filename):
    """The code a run executes, and the expression after it whose value the
    run returns (None when the source ends in a statement). When the split
    does not compile, the whole source is compiled: a syntax error then
    names its own line."""
    last = last_statement(source)
    if last is not None:
        at, line = last
        try:
            # Newlines before the expression keep its line number in tracebacks; inside brackets,
            # since MicroPython's "eval" mode takes no blank line first.
            value = compile("(" + "\n" * (line - 1) + source[at:] + "\n)", filename, "eval")
            return compile(source[:at], filename, "exec"), value
        except SyntaxError:
            pass
    return compile(source, filename, "exec"), None
