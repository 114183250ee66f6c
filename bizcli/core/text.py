"""Text: display width, spreadsheet-safe cells, how long a number read from it may be.

In a terminal, East Asian wide characters take two columns.
"""

from __future__ import annotations

import re
import unicodedata


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospace terminal (CJK characters count two)."""
    if text.isascii():
        return len(text)
    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def pad_right(text: str, width: int) -> str:
    """Pad with spaces to ``width`` display columns."""
    return text + " " * max(0, width - display_width(text))


def pad_left(text: str, width: int) -> str:
    """Right-align in ``width`` display columns."""
    return " " * max(0, width - display_width(text)) + text


WHOLE_DIGITS = 18
"""The most digits a whole number read from a file may have. ``int()`` refuses more than
4,300, and no count, day, schema or column number comes near 18."""


def abbreviated(text: str, width: int = 40) -> str:
    """``text`` cut to ``width`` characters, ending in ``...`` (a message quotes it)."""
    return text if len(text) <= width else text[:width - 3] + "..."


_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(cell: str) -> str:
    """The text of a cell ``spreadsheet_safe`` protected: ``'=A1`` is ``=A1`` again."""
    if cell[:1] == "'" and cell[1:2] and (cell[1] == "'" or (
            cell[1] in _FORMULA_STARTS and _NUMBER.fullmatch(cell[1:]) is None)):
        return cell[1:]
    return cell


def spreadsheet_safe(text: str) -> str:
    """Keep a spreadsheet from running a CSV cell as a formula.

    Text starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    ``'`` in front (a spreadsheet shows the text and hides the ``'``); a plain number
    such as ``-12.50`` stays a number. Text that starts with ``'`` gets one more, so
    ``spreadsheet_text`` gives back exactly what was written.
    """
    if text[:1] == "'" or (text[:1] in _FORMULA_STARTS and _NUMBER.fullmatch(text) is None):
        return "'" + text
    return text
