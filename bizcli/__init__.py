"""bizcli: a small business's books, stock, production and customers in plain text."""

__version__ = "0.1.0"
