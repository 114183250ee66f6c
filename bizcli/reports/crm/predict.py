"""``biz crm predict``: each open deal's stage probability beside a predicted one, and why.

The prediction (``bizcli.core.crm.predict``) is a naive-Bayes estimate from the book's
own closed deals that reached the deal's stage, over its source, owner and customer
segment. It is shown beside the stage's default, never instead of it: the pipeline and
the forecast keep using the stage's (or the deal's own) probability.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from bizcli.core.crm.deals import TERMINAL
from bizcli.core.crm.predict import predict, train
from bizcli.reports.crm.view import CrmView, one_place
from bizcli.reports.model import Column, ColumnKind, Report, Row


def predictions(view: CrmView, segments: Mapping[str, str], min_closed: int) -> Report:
    """One row per open deal: stage %, predicted %, the training deals and the factors."""
    settings = view.crm.settings
    model = train(view.crm.deals, settings, view.as_of, segments, min_closed=min_closed)
    rows = []
    for deal in sorted(view.deals(), key=lambda d: d.number):
        stage = deal.stage_on(view.as_of)
        if stage is None or stage in TERMINAL:
            continue
        found = predict(model, deal, segments)
        if isinstance(found, str):
            rows.append(Row(values=(deal.number, deal.customer, stage,
                                    deal.win_probability(settings, stage), None, "", found)))
            continue
        factors = ", ".join(f"{f.name}={f.value} x{f.ratio.quantize(Decimal('0.01'))}"
                            for f in found.factors)
        rows.append(Row(values=(
            deal.number, deal.customer, stage, deal.win_probability(settings, stage),
            one_place(found.probability),
            f"{found.closed} ({found.won} won, {found.lost} lost)",
            f"prior {one_place(found.prior)} %" + (f"; {factors}" if factors else ""))))
    columns = (Column(key="number", title="Deal"), Column(key="customer", title="Customer"),
               Column(key="stage", title="Stage"),
               Column(key="probability", title="Used %", kind=ColumnKind.NUMBER),
               Column(key="predicted", title="Predicted %", kind=ColumnKind.NUMBER),
               Column(key="closed", title="Closed deals that got this far"),
               Column(key="why", title="Why"))
    return Report(name="predict", title=f"Predicted win probability, {view.label()}",
                  columns=columns, rows=tuple(rows), precisions=dict(view.precisions),
                  notes=(_NOTE,))


_NOTE = ("predicted = naive Bayes over source, owner and RFM segment, trained on the closed "
         "deals that reached the deal's stage (docs/crm.md); the pipeline keeps the stage %")
