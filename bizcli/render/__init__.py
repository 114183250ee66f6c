"""Turn report values and problems into text: rich table, plain, CSV, JSON, Markdown.

The only layer that imports rich (and tabulate). May import ``bizcli.core`` and
``bizcli.reports.model``; never storage or the CLI.
"""
