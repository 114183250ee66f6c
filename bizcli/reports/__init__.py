"""Read-only computations over a loaded book: rows and totals, no formatting.

Every report returns a ``Report`` value (``reports.model``) that the render layer turns
into a table, CSV, JSON or Markdown. May import ``bizcli.core`` only.
"""
