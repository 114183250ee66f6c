"""Order lines and numbers typed on the command line: ``ITEM=QUANTITY[@PRICE]``, ``0.10``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.problems import fail

LINE = re.compile(r"(?P<item>[^=\s]+)=(?P<quantity>\d+(?:\.\d+)?)(?:@(?P<price>\d+(?:\.\d+)?))?")


class TypedLine(NamedTuple):
    """One ``ITEM=QUANTITY[@PRICE]`` argument, read."""

    item: str
    quantity: Decimal
    price: Decimal | None


def typed_lines(texts: Iterable[str], *, prices: bool, example: str) -> list[TypedLine]:
    """Read the arguments; a price only where ``prices`` allows it; an item once."""
    lines: dict[str, TypedLine] = {}
    for text in texts:
        match = LINE.fullmatch(text)
        if match is None or (match["price"] and not prices):
            form = "ITEM=QUANTITY[@PRICE]" if prices else "ITEM=QUANTITY"
            raise fail("bad-order-line", f"cannot read {text!r}",
                       hint=f"write {form}, e.g. {example}")
        if match["item"] in lines:
            raise fail("bad-order-line", f"{match['item']} is given twice",
                       hint="give each item once, with its whole quantity")
        lines[match["item"]] = TypedLine(match["item"], Decimal(match["quantity"]),
                                         Decimal(match["price"]) if match["price"] else None)
    return list(lines.values())


def decimal_option(text: str | None, option: str) -> Decimal | None:
    """A non-negative decimal typed for ``option``, exactly as written."""
    if text is None:
        return None
    if not re.fullmatch(r"\d+(\.\d+)?", text):
        raise fail("bad-number", f"{option} must be a number like 0.10 or 12.50, not {text!r}",
                   hint="use '.' for decimals and no separators")
    return Decimal(text)
