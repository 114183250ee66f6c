"""Every code a document names is in the book's records.

The commands refuse an unknown customer, supplier, item or warehouse before they write
a document; these checks find the same mistakes in a document file edited by hand (or
a record removed from its YAML file), at the document's line, with the closest code.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator

from bizcli.core.codes import closest
from bizcli.core.documents.purchases import PurchaseOrder
from bizcli.core.documents.sales import CustomerPayment, SalesOrder
from bizcli.core.problems import Problem
from bizcli.core.source import SourceRef


class Known:
    """The codes of the book's records, by kind."""

    def __init__(self, *, customers: Collection[str], suppliers: Collection[str],
                 items: Collection[str], warehouses: Collection[str]) -> None:
        self.codes = {"customer": customers, "supplier": suppliers, "item": items,
                      "warehouse": warehouses}


_FILES = {"customer": "customers.yaml", "supplier": "suppliers.yaml",
          "item": "items.yaml", "warehouse": "warehouses.yaml"}


def check_document_references(sales: Iterable[SalesOrder], payments: Iterable[CustomerPayment],
                              purchases: Iterable[PurchaseOrder], known: Known
                              ) -> list[Problem]:
    """One problem per unknown code per document (``unknown-customer`` and the like)."""
    problems: list[Problem] = []
    for sale in sales:
        problems.extend(unknown_codes(known, sale.number, sale.source, [
            ("customer", sale.customer), ("warehouse", sale.warehouse),
            *(("item", line.item) for line in sale.lines)]))
    for payment in payments:
        problems.extend(unknown_codes(known, payment.number, payment.source,
                                 [("customer", payment.customer)]))
    for order in purchases:
        problems.extend(unknown_codes(known, order.number, order.source, [
            ("supplier", order.supplier), ("warehouse", order.warehouse),
            *(("item", line.item) for line in order.lines)]))
    return problems


def unknown_codes(known: Known, number: str, source: SourceRef | None,
                  named: list[tuple[str, str]]) -> Iterator[Problem]:
    """One ``unknown-KIND`` problem per code ``number`` names that the records lack."""
    seen: set[tuple[str, str]] = set()
    for kind, code in named:
        if (kind, code) in seen or code in known.codes[kind]:
            continue
        seen.add((kind, code))
        yield Problem(code=f"unknown-{kind}", source=source,
                      message=f"{number}: {kind} {code!r} is not in {_FILES[kind]}"
                              f"{closest(code, known.codes[kind])}",
                      hint=f"fix the code in the document, or add the {kind} "
                           f"to {_FILES[kind]}")
