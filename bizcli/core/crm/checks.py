"""The CRM's ties to the books: every code a deal names exists, and deal and order agree.

A deal names a customer and items (from the master files) and, once won with product
lines, the sales document it became; that document names the deal back. A crash
between writing the order and the deal, or a hand edit, breaks the pair; these checks
find it at the deal's line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from bizcli.core.codes import closest
from bizcli.core.crm.book import Crm
from bizcli.core.documents.references import Known, unknown_codes
from bizcli.core.documents.sales import SalesOrder
from bizcli.core.problems import Problem


def check_crm(crm: Crm, known: Known, sales: Iterable[SalesOrder]) -> list[Problem]:
    """Unknown customers and items on deals, and deals and orders that disagree."""
    problems: list[Problem] = []
    for deal in crm.deals:
        problems.extend(unknown_codes(known, deal.number, deal.ref, [
            ("customer", deal.customer), *(("item", line.item) for line in deal.lines)]))
    problems.extend(_links(crm, sales))
    for ticket in crm.tickets:
        problems.extend(unknown_codes(known, ticket.number, ticket.ref,
                                      [("customer", ticket.customer)]))
    for activity in crm.activities:
        if activity.customer is not None:
            problems.extend(unknown_codes(known, activity.number, activity.ref,
                                          [("customer", activity.customer)]))
    problems.extend(_named(crm))
    return problems


def _named(crm: Crm) -> Iterator[Problem]:
    """Deals, leads and tickets that an activity or a deal names and the CRM lacks."""
    numbers = {"deal": {d.number for d in crm.deals}, "lead": {x.number for x in crm.leads},
               "ticket": {t.number for t in crm.tickets}}
    codes = {"deal": "unknown-deal", "lead": "unknown-lead", "ticket": "unknown-ticket"}
    named = [(a.number, a.ref, kind, getattr(a, kind)) for a in crm.activities
             for kind in ("deal", "lead", "ticket")]
    named += [(d.number, d.ref, "lead", d.lead) for d in crm.deals]
    named += [(x.number, x.ref, "deal", x.deal) for x in crm.leads]
    for number, ref, kind, value in named:
        if value is not None and value not in numbers[kind]:
            yield Problem(code=codes[kind], source=ref, message=f"{number}: {kind} {value!r} "
                          "does not exist" + closest(value, numbers[kind]),
                          hint=f"fix the {kind} number, or remove '{kind}:'")


def _links(crm: Crm, sales: Iterable[SalesOrder]) -> Iterator[Problem]:
    documents = {s.number: s for s in sales}
    deals = {d.number: d for d in crm.deals}
    for deal in crm.deals:
        if deal.order is None:
            continue
        sale = documents.get(deal.order)
        if sale is None:
            yield Problem(code="deal-link", source=deal.ref, message=f"{deal.number} became "
                          f"{deal.order}, which is not in the sales files",
                          hint="fix 'order:' on the deal, or restore the document")
        elif sale.deal != deal.number:
            yield Problem(code="deal-link", source=deal.ref, message=f"{deal.number} became "
                          f"{deal.order}, but {deal.order} does not name it (deal: "
                          f"{sale.deal or 'none'})", hint=f"add 'deal: {deal.number}' to "
                          f"{deal.order}, or fix 'order:' on the deal")
    for sale in documents.values():
        if sale.deal is None:
            continue
        named = deals.get(sale.deal)
        if named is None:
            yield Problem(code="deal-link", source=sale.source, message=f"{sale.number} "
                          f"names deal {sale.deal}, which is not in crm/deals.yaml",
                          hint="fix 'deal:' on the document, or restore the deal")
        elif named.order is None or named.order not in (sale.number, sale.link):
            yield Problem(code="deal-link", source=sale.source, message=f"{sale.number} "
                          f"names deal {sale.deal}, which is {named.stage} and names "
                          f"{named.order or 'no order'}", hint=f"'biz crm deal won "
                          f"{named.number}' links it (a win that stopped half way)")
