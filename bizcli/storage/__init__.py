"""The book on disk: find it, read and write its files, cache what was read, lock writes.

Turns text into core values (with file:line on every one) and back. May import
``bizcli.core`` and third-party file libraries; never ``typer`` or ``rich``.
"""
