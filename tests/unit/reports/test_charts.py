"""Bar charts under a report: scaled to the longest bar, to an eighth of a character."""

from __future__ import annotations

from decimal import Decimal

from bizcli.render.formats import chart_lines, render
from bizcli.reports.model import Bar, Column, Report, Row


def report(*bars: Bar) -> Report:
    return Report(name="r", title="T", columns=(Column(key="a", title="A"),),
                  rows=(Row(values=("x",)),), bars=bars)


def test_bars_scale_to_the_longest() -> None:
    lines = chart_lines(report(Bar("new", Decimal(100), "100"), Bar("won", Decimal(25), "25"),
                               Bar("lost", Decimal(0), "0")), width=8)
    # 100 -> 8 full blocks; 25 -> 2 blocks; 0 -> nothing.
    assert lines == ["", "new   ████████  100", "won   ██        25", "lost            0"]


def test_eighths() -> None:
    lines = chart_lines(report(Bar("a", Decimal(8), ""), Bar("b", Decimal(3), "")), width=1)
    assert lines[2] == "b  ▍"  # 3/8 of a character


def test_only_terminal_formats_draw() -> None:
    chart = report(Bar("a", Decimal(1), "1"))
    assert "█" in render(chart, "plain")
    assert "█" in render(chart, "table", width=80)
    for fmt in ("csv", "json", "md"):
        assert "█" not in render(chart, fmt)
    assert chart_lines(report()) == []
