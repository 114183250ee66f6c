"""Render a ``Report`` in one of the output formats; one function per format."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping

from bizcli.core.text import display_width, pad_left, pad_right, spreadsheet_safe
from bizcli.render.cells import cell_lines, json_value
from bizcli.reports.model import ColumnKind, Report, Row, RowKind

FORMATS = ("table", "plain", "csv", "json", "md")
EXTENSIONS = {".txt": "plain", ".csv": "csv", ".json": "json", ".md": "md"}


def _first_cell(row: Row, report: Report, tree_indent: str = "  ") -> str:
    if row.display is not None:
        return tree_indent * row.depth + row.display
    lines = cell_lines(row.values[0], report)
    return tree_indent * row.depth + lines[0]


def _row_lines(row: Row, report: Report) -> list[list[str]]:
    cells = [[_first_cell(row, report)]] + [cell_lines(v, report) for v in row.values[1:]]
    height = max(map(len, cells))
    if height == 1:
        return [[c[0] for c in cells]]
    return [[c[i] if i < len(c) else "" for c in cells] for i in range(height)]


def _widths(header: list[str], lines: list[list[str]]) -> list[int]:
    """Per column, the display width of its widest cell."""
    widths = []
    for title, column in zip(header, zip(*lines, strict=True) if lines else
                             [()] * len(header), strict=True):
        cells = (title, *column)
        widths.append(max(map(len, cells)) if "".join(cells).isascii()
                      else max(map(display_width, cells)))
    return widths


def render_plain(report: Report) -> str:
    """Aligned text columns (display width aware), with rules around totals."""
    numeric = [c.kind is not ColumnKind.TEXT for c in report.columns]
    body = [(row, _row_lines(row, report)) for row in report.rows]
    header = [c.title for c in report.columns]
    widths = _widths(header, [line for _, lines in body for line in lines])
    # str.rjust and str.ljust pad by characters: display width for plain ASCII
    pads: list[Callable[[str, int], str]] = [pad_left if n else pad_right for n in numeric]
    ascii_pads: list[Callable[[str, int], str]] = [str.rjust if n else str.ljust
                                                   for n in numeric]

    def fmt(cells: list[str]) -> str:
        chosen = ascii_pads if "".join(cells).isascii() else pads
        return "  ".join([pad(c, w) for pad, c, w in zip(chosen, cells, widths, strict=True)]
                         ).rstrip()

    rule = "  ".join("-" * w for w in widths)
    out = [report.title, "", fmt(header), rule]
    for row, lines in body:
        if row.kind is RowKind.TOTAL:
            out.append(rule)
        if row.kind is RowKind.SECTION and len(out) > 4:
            out.append("")
        out.extend(fmt(line) for line in lines)
    out.extend(f"note: {note}" for note in report.notes)
    out.extend(chart_lines(report))
    return "\n".join(out) + "\n"


BLOCKS = " ▏▎▍▌▋▊▉█"
"""Eighth-block characters: bars drawn to an eighth of a character."""


def chart_lines(report: Report, width: int = 40) -> list[str]:
    """The report's bars, scaled so the longest is ``width`` characters (none: [])."""
    if not report.bars:
        return []
    top = max((bar.value for bar in report.bars), default=0)
    label_width = max(display_width(bar.label) for bar in report.bars)
    lines = [""]
    for bar in report.bars:
        eighths = int(bar.value * width * 8 / top) if top > 0 and bar.value > 0 else 0
        drawn = "█" * (eighths // 8) + (BLOCKS[eighths % 8] if eighths % 8 else "")
        lines.append(f"{pad_right(bar.label, label_width)}  {pad_right(drawn, width)}  "
                     f"{bar.text}".rstrip())
    return lines


def render_table(report: Report, *, color: bool, width: int | None = None) -> str:
    """A rich table (colour only when asked), as text."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(title=report.title, title_justify="left", show_lines=False,
                  header_style="bold" if color else None, box=None, pad_edge=False)
    for column in report.columns:
        table.add_column(column.title, justify="right" if column.kind is not ColumnKind.TEXT
                         else "left", no_wrap=column.kind is not ColumnKind.TEXT)
    for row in report.rows:
        cells = [_first_cell(row, report)] + ["\n".join(cell_lines(v, report))
                                              for v in row.values[1:]]
        style = {RowKind.TOTAL: "bold", RowKind.SECTION: "bold underline",
                 RowKind.SUBTOTAL: "bold"}.get(row.kind, "")
        table.add_row(*(Text(c, style=style if color else "") for c in cells),
                      end_section=row.kind is RowKind.SUBTOTAL)
    buffer = io.StringIO()
    needed = _natural_width(report)
    console = Console(file=buffer, width=max(width or 100, needed),
                      color_system="auto" if color else None,
                      force_terminal=color, no_color=not color, legacy_windows=False,
                      highlight=False)
    console.print(table)
    for note in report.notes:
        console.print(f"note: {note}")
    text = buffer.getvalue()
    bars = chart_lines(report)
    return text + "\n".join(bars) + "\n" if bars else text


def _sections(report: Report) -> list[tuple[str, list[Row]]]:
    """The rows grouped under their section rows (rows before the first: the title's)."""
    groups: list[tuple[str, list[Row]]] = [(report.title, [])]
    for row in report.rows:
        if row.kind is RowKind.SECTION:
            groups.append((row.display or str(row.values[0]), []))
        else:
            groups[-1][1].append(row)
    return [(title, rows) for title, rows in groups if rows]


def render_panels(report: Report, *, color: bool, width: int | None = None) -> str:
    """A dashboard: one rich panel per section, side by side as the width allows."""
    from rich.columns import Columns
    from rich.console import Console
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    panels = []
    for title, rows in _sections(report):
        used = [i for i, c in enumerate(report.columns)
                if i == 0 or any(r.values[i] is not None for r in rows)]
        grid = Table(box=None, pad_edge=False, show_header=len(used) > 2,
                     header_style="dim" if color else None)
        for i in used:
            column = report.columns[i]
            grid.add_column("" if i == 0 else column.title,
                            justify="left" if column.kind is ColumnKind.TEXT else "right",
                            no_wrap=column.kind is not ColumnKind.TEXT)
        for row in rows:
            style = "bold" if color and row.kind in (RowKind.SUBTOTAL, RowKind.TOTAL) else ""
            cells = [_first_cell(row, report)] + ["\n".join(cell_lines(row.values[i], report))
                                                  for i in used[1:]]
            grid.add_row(*(Text(c, style=style) for c in cells))
        panels.append(Panel(grid, title=Text(title, style="bold" if color else ""),
                            title_align="left", expand=False))
    buffer = io.StringIO()
    console = Console(file=buffer, width=width or 100, color_system="auto" if color else None,
                      force_terminal=color, no_color=not color, legacy_windows=False,
                      highlight=False)
    console.print(Text(report.title, style="bold" if color else ""))
    console.print(Columns(panels, padding=(0, 1)))
    for note in report.notes:
        console.print(f"note: {note}")
    return buffer.getvalue()


def _natural_width(report: Report) -> int:
    """Columns a table needs so that no cell is cut (amounts must never be truncated)."""
    widths = [display_width(c.title) for c in report.columns]
    for row in report.rows:
        for cells in _row_lines(row, report):
            widths = [max(w, display_width(c)) for w, c in zip(widths, cells, strict=True)]
    return sum(widths) + 2 * len(widths) + 2


def _flat_value(value: object) -> str:
    return "" if value is None else str(value)


def render_csv(report: Report) -> str:
    """CSV for spreadsheets: one header row, amounts as plain numbers per commodity."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    commodity_columns = _commodities(report)
    header: list[str] = []
    for column in report.columns:
        if column.kind is ColumnKind.AMOUNT and len(commodity_columns) > 1:
            header.extend(f"{column.key} ({c})" for c in commodity_columns)
        else:
            header.append(column.key)
    writer.writerow(header)
    for row in report.rows:
        out: list[str] = []
        for column, value in zip(report.columns, row.values, strict=True):
            if column.kind is ColumnKind.AMOUNT:
                data = json_value(value, report) or {}
                assert isinstance(data, dict)
                if len(commodity_columns) > 1:
                    out.extend(data.get(c, "") for c in commodity_columns)
                else:
                    out.append(next(iter(data.values()), "" if value is None else "0"))
            else:
                out.append(spreadsheet_safe(_flat_value(json_value(value, report))))
        writer.writerow(out)
    return buffer.getvalue()


def _commodities(report: Report) -> list[str]:
    found: set[str] = set()
    for row in report.rows:
        for value in row.values:
            if isinstance(value, dict):
                found.update(value)
    return sorted(found)


def render_json(report: Report) -> str:
    """Stable keys, amounts as strings: ``{"report", "title", "columns", "rows"}``."""
    rows = []
    for row in report.rows:
        item: dict[str, object] = {"kind": row.kind.value, "depth": row.depth}
        for column, value in zip(report.columns, row.values, strict=True):
            item[column.key] = json_value(value, report)
        rows.append(item)
    data = {"report": report.name, "title": report.title,
            "columns": [c.key for c in report.columns], "rows": rows,
            "notes": list(report.notes)}
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def render_markdown(report: Report) -> str:
    """A pipe table (GitHub Markdown), headed by the report title."""
    from tabulate import tabulate

    aligns = ["right" if c.kind is not ColumnKind.TEXT else "left" for c in report.columns]
    body = []
    for row in report.rows:
        first = "\u00a0\u00a0" * row.depth + (row.display or str(row.values[0] or ""))
        if row.kind in (RowKind.TOTAL, RowKind.SECTION, RowKind.SUBTOTAL):
            first = f"**{first.strip()}**"
        body.append([first] + ["<br>".join(cell_lines(v, report)) for v in row.values[1:]])
    table = tabulate(body, headers=[c.title for c in report.columns], tablefmt="pipe",
                     colalign=aligns, disable_numparse=True)
    return f"## {report.title}\n\n{table}\n"


def render(report: Report, fmt: str, *, color: bool = False, width: int | None = None) -> str:
    """Dispatch to the renderer of ``fmt`` (one of ``FORMATS``)."""
    renderers: dict[str, Callable[[Report], str]] = {
        "plain": render_plain, "csv": render_csv, "json": render_json, "md": render_markdown,
    }
    if fmt == "table":
        if report.panels:
            return render_panels(report, color=color, width=width)
        return render_table(report, color=color, width=width)
    return renderers[fmt](report)


def render_json_stream(document: Mapping[str, object]) -> Iterator[str]:
    """A JSON object in pieces, as ``json.dumps(indent=2)`` would print it whole.

    A value that is an iterator (not a list) is written one element at a time, so a
    document of hundreds of thousands of records never sits in memory as one string.
    """
    yield "{"
    for index, (key, value) in enumerate(document.items()):
        yield ("," if index else "") + f"\n  {json.dumps(key, ensure_ascii=False)}: "
        if isinstance(value, Iterator):
            first = True
            for item in value:
                text = json.dumps(item, indent=2, ensure_ascii=False).replace("\n", "\n    ")
                yield ("[\n    " if first else ",\n    ") + text
                first = False
            yield "[]" if first else "\n  ]"
        else:
            yield json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
    yield "\n}\n"
