"""The demand forecast as a report: per item, the method chosen and how far off it was."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bizcli.core.money import round_half_up
from bizcli.core.production.demand import ItemForecast, MrpOptions
from bizcli.reports.model import Column, ColumnKind, Report, Row


def _one(value: Decimal | None, places: int = 2) -> Decimal | None:
    return None if value is None else round_half_up(value, places)


def forecast_report(found: Sequence[ItemForecast], options: MrpOptions, periods: int
                    ) -> Report:
    """One row per item: history total, method, forecast per bucket, MAD, MAPE, bias."""
    word = "week" if options.bucket_days == 7 else "day"
    rows = [Row(values=(f.item, sum(f.history, Decimal(0)), f.fit.method, f.fit.parameter,
                        Decimal(f.fit.periods), _one(f.fit.next), _one(f.fit.mad),
                        _one(f.fit.mape, 1), _one(f.fit.bias)))
            for f in found]
    columns = (Column(key="item", title="Item"),
               Column(key="history", title=f"Sold in {periods} {word}s",
                      kind=ColumnKind.NUMBER),
               Column(key="method", title="Method"), Column(key="parameter", title="Parameter"),
               Column(key="periods", title="Periods scored", kind=ColumnKind.NUMBER),
               Column(key="forecast", title=f"Forecast per {word}", kind=ColumnKind.NUMBER),
               Column(key="mad", title="MAD", kind=ColumnKind.NUMBER),
               Column(key="mape", title="MAPE %", kind=ColumnKind.NUMBER),
               Column(key="bias", title="Bias", kind=ColumnKind.NUMBER))
    notes = (("each item's method is the one with the lowest MAD (mean absolute deviation) "
             "of one-step-ahead forecasts over its history; MAPE skips periods that sold "
             "nothing; bias > 0 means the forecast ran low"),)
    return Report(name="forecast", title=f"Demand forecast from the last {periods} {word}s "
                  "of sales orders", columns=columns, rows=tuple(rows), notes=notes)
