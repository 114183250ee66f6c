"""Supplier bills and payments on a purchase order (procure-to-pay, second half).

A bill clears goods received not invoiced at the order price and owes the supplier
the billed amount: GRNI (order price) + price variance (bill price - order price) +
input tax = payable. A payment pays the supplier from the bank: payable / bank. The
payable postings carry the supplier's code as a ``supplier:`` tag, so what is owed is
per supplier without an account per supplier.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import NamedTuple

from bizcli.core.documents.purchases import Bill, OrderLine, PurchaseOrder
from bizcli.core.ledger.transactions import Posting, Status, Transaction
from bizcli.core.money import ZERO, Amount, round_half_up
from bizcli.core.problems import Problem


class BillTerms(NamedTuple):
    """How to bill: the supplier's number, dates, tax, and the book's accounts."""

    number: str
    date: dt.date
    due: dt.date
    tax_rate: Decimal | None
    tax_amount: Decimal | None
    roles: Mapping[str, str]
    places: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Billed:
    """The order with its new bill, and the entry."""

    order: PurchaseOrder
    entry: Transaction


def bill(order: PurchaseOrder, prices: Mapping[str, Decimal] | None,
         quantities: Mapping[str, Decimal] | None, terms: BillTerms
         ) -> tuple[Billed | None, list[Problem]]:
    """Bill received, not yet billed quantities (all of them when ``quantities`` is None)."""
    billable = {line.item: order.received(line.item) - order.billed(line.item)
                for line in order.lines}
    wanted = dict(quantities) if quantities else {i: q for i, q in billable.items() if q > 0}
    problems = _bill_problems(order, billable, wanted, terms)
    if problems:
        return None, problems
    ordered = {line.item: line.price for line in order.lines}
    lines = tuple(OrderLine(item=i, quantity=q, price=(prices or {}).get(i, ordered[i]))
                  for i, q in wanted.items())
    places = terms.places
    at_order = sum((round_half_up(x.quantity * ordered[x.item], places) for x in lines), ZERO)
    net = sum((round_half_up(x.quantity * x.price, places) for x in lines), ZERO)
    tax = terms.tax_amount if terms.tax_amount is not None else (
        round_half_up(net * terms.tax_rate, places) if terms.tax_rate else ZERO)
    entry = _bill_entry(order, terms, (at_order, net - at_order, tax, net + tax))
    if entry is None:
        return None, [Problem(code="missing-role", message="the bill's price differs from the "
                              "order's, and biz.yaml names no price_variance account",
                              hint="add 'price_variance: Expenses:Purchase Price Variance' "
                                   "under accounts: in biz.yaml (and the account to the chart)")]
    new_bill = Bill(number=terms.number, date=terms.date, due=terms.due, lines=lines, tax=tax,
                    total=net + tax)
    return Billed(order=replace(order, bills=(*order.bills, new_bill)), entry=entry), []


def _bill_problems(order: PurchaseOrder, billable: Mapping[str, Decimal],
                   wanted: Mapping[str, Decimal], terms: BillTerms) -> list[Problem]:
    if terms.date < order.date:
        return [Problem(code="bad-date", message=f"{terms.date} is before the order date "
                        f"{order.date}", hint="date the bill on or after the order date")]
    if any(b.number == terms.number for b in order.bills):
        return [Problem(code="duplicate-bill", message=f"bill {terms.number} is already on "
                        f"{order.number}", hint="a supplier's invoice is billed once")]
    if not wanted:
        return [Problem(code="nothing-to-bill", message=f"nothing received on {order.number} "
                        "is waiting for its bill", hint="receive the goods first "
                        "('biz purchase show' lists what was received and billed)")]
    return [Problem(code="over-bill", message=f"cannot bill {q} of {i} on {order.number}: "
                    f"{max(billable.get(i, ZERO), ZERO)} received and not billed",
                    hint="bill at most what was received")
            for i, q in wanted.items() if q <= 0 or q > billable.get(i, ZERO)]


def _bill_entry(order: PurchaseOrder, terms: BillTerms,
                amounts: tuple[Decimal, Decimal, Decimal, Decimal]) -> Transaction | None:
    at_order, variance, tax, total = amounts
    roles, currency = terms.roles, order.currency
    postings = [Posting(roles.get("grni", "Liabilities:Goods Received Not Invoiced"),
                        Amount(at_order, currency))]
    if variance:
        if "price_variance" not in roles:
            return None
        postings.append(Posting(roles["price_variance"], Amount(variance, currency)))
    if tax:
        postings.append(Posting(roles.get("input_tax", "Assets:Input Tax"),
                                Amount(tax, currency)))
    postings.append(Posting(roles.get("payable", "Liabilities:Payable"),
                            Amount(-total, currency), tags=(("supplier", order.supplier),)))
    return Transaction(terms.date, f"Bill {terms.number} from {order.supplier}",
                       tuple(postings), Status.CLEARED, terms.number, "",
                       (("doc", order.number), ("bill", terms.number),
                        ("supplier", order.supplier)))


def pay(order: PurchaseOrder, number: str, amount: Decimal | None, date: dt.date,
        accounts: tuple[str, str]) -> tuple[tuple[PurchaseOrder, Transaction] | None,
                                            list[Problem]]:
    """Pay a bill (its open amount when ``amount`` is None) from ``accounts`` = (payable, bank)."""
    found = next((b for b in order.bills if b.number == number), None)
    if found is None:
        known = ", ".join(b.number for b in order.bills) or "none yet"
        return None, [Problem(code="unknown-bill", message=f"{order.number} has no bill "
                              f"{number} (bills: {known})", hint="bill it first with "
                              "'biz purchase bill'")]
    if found.open_amount <= 0:
        return None, [Problem(code="over-payment", message=f"bill {number} is paid in full",
                              hint="'biz purchase show' lists the bills and their payments")]
    paying = found.open_amount if amount is None else amount
    if paying <= 0 or paying > found.open_amount:
        return None, [Problem(code="over-payment", message=f"cannot pay {paying} on bill "
                              f"{number}: {found.open_amount} is open",
                              hint="pay at most the open amount")]
    payable, bank = accounts
    money = Amount(paying, order.currency)
    entry = Transaction(date, f"Payment of bill {number} to {order.supplier}",
                        (Posting(payable, money, tags=(("supplier", order.supplier),)),
                         Posting(bank, -money)), Status.CLEARED, number, "",
                        (("doc", order.number), ("bill", number),
                         ("supplier", order.supplier)))
    paid = replace(found, payments=(*found.payments, (date, paying)))
    bills = tuple(paid if b.number == number else b for b in order.bills)
    return (replace(order, bills=bills), entry), []
