"""bizcli: a small business's books, stock, production and customers in plain text."""
from __future__ import annotations

__version__ = "0.1.0"
