"""``biz crm pipeline``: the open deals by stage, owner or source, and what they weigh.

A deal is open on the as-of day when its stage that day (the last history line dated on
or before it) is neither won nor lost. Its weighted amount is amount x probability / 100,
with its own probability if it has one, else its stage's; the weighted total is the sum
of the deals' weighted amounts (never the total amount times an average probability).
With a period, only the deals expected to close in it count.
"""

from __future__ import annotations

from decimal import Decimal

from bizcli.core.crm.deals import HUNDRED, TERMINAL, Deal
from bizcli.reports.crm.view import CrmView, add
from bizcli.reports.model import Bar, Column, ColumnKind, Report, Row, RowKind

GROUPS = ("stage", "owner", "source", "campaign", "customer")
NONE = "(none)"


def open_deals(view: CrmView) -> list[tuple[Deal, str]]:
    """The deals open on the as-of day and expected to close in the period.

    Each with its stage that day; a deal with no expected close counts only without a
    period.
    """
    out = []
    day, whole = view.as_of, view.period.start is None and view.period.end is None
    for deal in view.deals():
        last = deal.history[-1]  # the stage on the day, unless the history goes beyond it
        stage = last.stage if last.date <= day else deal.stage_on(day)
        if stage is None or stage in TERMINAL:
            continue
        if whole or view.in_period(deal.expected_close):
            out.append((deal, stage))
    return out


def _key(deal: Deal, stage: str, by: str) -> str:
    if by == "stage":
        return stage
    value = getattr(deal, by)
    return value if isinstance(value, str) and value else NONE


_Group = tuple[list[int], dict[str, Decimal], dict[str, Decimal]]


def _tally(view: CrmView, by: str) -> dict[str, _Group]:
    """Per group: [count], amount and weighted amount per currency (exact).

    Each deal adds amount x percent; the sum is divided by 100 once per group and
    currency, which is the same exact number as adding each deal's amount x percent / 100.
    """
    settings = view.crm.settings
    groups: dict[str, _Group] = {}
    if by == "stage":
        for known in settings.stages:
            groups[known.name] = ([0], {}, {})
    for deal, stage in open_deals(view):
        count, amount, weighted = groups.setdefault(_key(deal, stage, by), ([0], {}, {}))
        count[0] += 1
        add(amount, deal.currency, deal.amount)
        add(weighted, deal.currency, deal.amount * deal.win_probability(settings, stage))
    for _, _, weighted in groups.values():
        for currency in weighted:
            weighted[currency] /= HUNDRED
    return groups


def pipeline(view: CrmView, by: str = "stage") -> Report:
    """Open deals per group: how many, their amount, their weighted amount."""
    if by not in GROUPS:
        msg = f"cannot group by {by!r}"
        raise ValueError(msg)
    settings = view.crm.settings
    groups = _tally(view, by)
    total_count = sum(count[0] for count, _, _ in groups.values())
    total_amount: dict[str, Decimal] = {}
    total_weighted: dict[str, Decimal] = {}
    for _, amount, weighted in groups.values():
        for currency, value in amount.items():
            add(total_amount, currency, value)
        for currency, value in weighted.items():
            add(total_weighted, currency, value)
    names = list(groups) if by == "stage" else sorted(groups, key=lambda g: (g == NONE, g))
    rows = []
    for name in names:
        count, amount, weighted = groups[name]
        probability = (settings.probability(name),) if by == "stage" else ()
        rows.append(Row(values=(name, *probability, Decimal(count[0]), view.cell(amount),
                                view.cell(weighted))))
    rows.append(Row(values=("Total", *((None,) if by == "stage" else ()),
                            Decimal(total_count), view.cell(total_amount),
                            view.cell(total_weighted)), kind=RowKind.TOTAL, display="Total"))
    columns = (Column(key=by, title=by.capitalize()),
               *((Column(key="probability", title="Stage %", kind=ColumnKind.NUMBER),)
                 if by == "stage" else ()),
               Column(key="deals", title="Deals", kind=ColumnKind.NUMBER),
               Column(key="amount", title="Amount", kind=ColumnKind.AMOUNT),
               Column(key="weighted", title="Weighted", kind=ColumnKind.AMOUNT))
    bars: tuple[Bar, ...] = ()
    if len(total_amount) <= 1:  # bars of one currency only
        bars = tuple(Bar(str(r.values[0]), sum(w.values(), Decimal(0)),
                         " ".join(f"{q} {c}" for c, q in w.items()))
                     for r in rows[:-1] for w in [r.values[-1]] if isinstance(w, dict))
    return Report(name="pipeline", title=f"Open pipeline by {by}, {view.label()}",
                  columns=columns, rows=tuple(rows), precisions=dict(view.precisions),
                  notes=(_WEIGHTED,), bars=bars)


_WEIGHTED = ("weighted = the sum over deals of amount x probability / 100 (a deal's own "
             "probability, else its stage's)")
