"""``biz crm segment``, ``biz crm churn`` and ``biz crm clv``: customers from their invoices.

The definitions are in ``bizcli.core.crm.customers`` and docs/crm.md: RFM scores by
rank-based quintiles (ties share a score), segments from R and F, churn against each
customer's usual interval between invoices, lifetime value to date and projected.
Amounts are invoices net of tax in the book's currency; costs are the cost of goods
shipped (returns negative).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from bizcli.core.crm.customers import SEGMENTS, CustomerScore
from bizcli.reports.crm.view import CrmView
from bizcli.reports.model import Column, ColumnKind, Report, Row, RowKind


def _money(view: CrmView, amount: Decimal) -> dict[str, Decimal]:
    return view.cell({view.currency: amount}) or {view.currency: Decimal(0)}


def _notes(other_currency: int) -> tuple[str, ...]:
    if not other_currency:
        return ()
    return (f"{other_currency} invoices in other currencies are left out",)


def segment_report(view: CrmView, scores: Sequence[CustomerScore], *, by: str = "customer",
                   other_currency: int = 0) -> Report:
    """Each customer's recency, frequency, monetary, scores and segment.

    By segment: how many customers each holds and how much they bought.
    """
    if by == "segment":
        return _by_segment(view, scores, other_currency)
    rows = [Row(values=(s.customer, s.last.isoformat(), Decimal(s.recency_days),
                        Decimal(s.frequency), _money(view, s.monetary), Decimal(s.r),
                        Decimal(s.f), Decimal(s.m), f"{s.r}{s.f}{s.m}", s.segment))
            for s in sorted(scores, key=lambda s: (-s.r - s.f - s.m, s.customer))]
    columns = (Column(key="customer", title="Customer"), Column(key="last", title="Last"),
               Column(key="recency_days", title="Days", kind=ColumnKind.NUMBER),
               Column(key="frequency", title="Invoices", kind=ColumnKind.NUMBER),
               Column(key="monetary", title="Bought", kind=ColumnKind.AMOUNT),
               Column(key="r", title="R", kind=ColumnKind.NUMBER),
               Column(key="f", title="F", kind=ColumnKind.NUMBER),
               Column(key="m", title="M", kind=ColumnKind.NUMBER),
               Column(key="rfm", title="RFM"), Column(key="segment", title="Segment"))
    return Report(name="segments", title=f"RFM segments of {len(scores)} customers, as of "
                  f"{view.as_of}", columns=columns, rows=tuple(rows),
                  precisions=dict(view.precisions), notes=_notes(other_currency))


def _by_segment(view: CrmView, scores: Sequence[CustomerScore], other: int) -> Report:
    rows = []
    for name, meaning in SEGMENTS:
        members = [s for s in scores if s.segment == name]
        bought = sum((s.monetary for s in members), Decimal(0))
        rows.append(Row(values=(name, Decimal(len(members)), _money(view, bought),
                                ", ".join(s.customer for s in members[:5])
                                + (" ..." if len(members) > 5 else ""), meaning)))
    total = sum((s.monetary for s in scores), Decimal(0))
    rows.append(Row(values=("Total", Decimal(len(scores)), _money(view, total), "", ""),
                    kind=RowKind.TOTAL, display="Total"))
    columns = (Column(key="segment", title="Segment"),
               Column(key="customers", title="Customers", kind=ColumnKind.NUMBER),
               Column(key="monetary", title="Bought", kind=ColumnKind.AMOUNT),
               Column(key="examples", title="Who"), Column(key="rule", title="Rule"))
    return Report(name="segments", title=f"Customers by RFM segment, as of {view.as_of}",
                  columns=columns, rows=tuple(rows), precisions=dict(view.precisions),
                  notes=_notes(other))


def churn_report(view: CrmView, scores: Sequence[CustomerScore], *, everyone: bool = False,
                 other_currency: int = 0) -> Report:
    """Customers whose gap since their last invoice is beyond their threshold."""
    rows = []
    for s in sorted(scores, key=lambda s: (not s.churned, -s.recency_days, s.customer)):
        if not (s.churned or everyone):
            continue
        rows.append(Row(values=(
            s.customer, s.last.isoformat(), Decimal(s.recency_days), Decimal(s.frequency),
            s.usual_interval, s.churn_threshold, s.churn_rule.value,
            "churned" if s.churned else "", _money(view, s.monetary))))
    columns = (Column(key="customer", title="Customer"), Column(key="last", title="Last"),
               Column(key="days_since", title="Days since", kind=ColumnKind.NUMBER),
               Column(key="invoices", title="Invoices", kind=ColumnKind.NUMBER),
               Column(key="usual_interval", title="Usual gap", kind=ColumnKind.NUMBER),
               Column(key="threshold", title="Threshold", kind=ColumnKind.NUMBER),
               Column(key="rule", title="Rule"), Column(key="flag", title="Flag"),
               Column(key="monetary", title="Bought", kind=ColumnKind.AMOUNT))
    flagged = sum(1 for s in scores if s.churned)
    return Report(name="churn", title=f"Churn: {flagged} of {len(scores)} customers, as of "
                  f"{view.as_of}", columns=columns, rows=tuple(rows),
                  precisions=dict(view.precisions), notes=_notes(other_currency))


def clv_report(view: CrmView, scores: Sequence[CustomerScore], *, horizon: Decimal,
               other_currency: int = 0) -> Report:
    """Revenue, cost and gross margin to date, and the projected margin, per customer."""
    rows = []
    totals = [Decimal(0)] * 4
    for s in sorted(scores, key=lambda s: (-s.gross_margin, s.customer)):
        figures = (s.monetary, s.cost, s.gross_margin, s.projected_value)
        totals = [t + f for t, f in zip(totals, figures, strict=True)]
        rows.append(Row(values=(s.customer, s.first.isoformat(), Decimal(s.tenure_days),
                                *(_money(view, f) for f in figures),
                                "churned" if s.churned else "")))
    rows.append(Row(values=("Total", "", None, *(_money(view, t) for t in totals), ""),
                    kind=RowKind.TOTAL, display="Total"))
    columns = (Column(key="customer", title="Customer"), Column(key="first", title="Since"),
               Column(key="tenure_days", title="Days", kind=ColumnKind.NUMBER),
               Column(key="revenue", title="Revenue", kind=ColumnKind.AMOUNT),
               Column(key="cost", title="Cost", kind=ColumnKind.AMOUNT),
               Column(key="margin", title="Gross margin", kind=ColumnKind.AMOUNT),
               Column(key="projected", title=f"Projected {horizon} y", kind=ColumnKind.AMOUNT),
               Column(key="flag", title="Flag"))
    return Report(name="clv", title=f"Customer lifetime value, as of {view.as_of}",
                  columns=columns, rows=tuple(rows), precisions=dict(view.precisions),
                  notes=(("projected = gross margin x 365 / max(days as a customer, 365) x "
                         f"{horizon} years; 0 once churned"), *_notes(other_currency)))
