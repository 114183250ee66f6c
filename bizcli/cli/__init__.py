"""The ``biz`` command line: Typer apps, one module per noun, thin.

Commands parse options, load the book (storage), call core or reports, and hand the
result to render. Only typer and the standard library are imported at module level;
everything else inside the command functions, so ``biz --version`` starts fast.
"""
