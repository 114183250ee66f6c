"""The book: an immutable bundle of everything loaded from one book folder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from bizcli.core.documents.purchases import PurchaseOrder
from bizcli.core.documents.sales import CustomerPayment, SalesOrder
from bizcli.core.ledger.accounts import Chart
from bizcli.core.ledger.balance_index import BalanceIndex
from bizcli.core.ledger.transactions import Price, Transaction
from bizcli.core.parties import Party
from bizcli.core.production.boms import Bom
from bizcli.core.production.work_orders import WorkOrder
from bizcli.core.settings import Settings
from bizcli.core.stock.items import Item, Warehouse
from bizcli.core.stock.moves import StockMove


@dataclass(frozen=True, slots=True, kw_only=True)
class Book:
    """Settings, chart and journal of a book.

    ``balances`` (running totals per account and day) are always there; ``transactions``
    only when the command asked for them, since a cached load does not rebuild every
    posting. ``cash_flows`` index the cash moved per counter-account.
    """

    settings: Settings
    chart: Chart
    balances: BalanceIndex = field(default_factory=BalanceIndex)
    cash_flows: BalanceIndex = field(default_factory=BalanceIndex)
    prices: tuple[Price, ...] = ()
    commodities: Mapping[str, int] = field(default_factory=dict)
    transactions: tuple[Transaction, ...] | None = None
    journal_files: tuple[str, ...] = ()
    transaction_count: int = 0
    asserted: tuple[tuple[dt.date, str], ...] = ()
    items: tuple[Item, ...] = ()
    customers: tuple[Party, ...] = ()
    suppliers: tuple[Party, ...] = ()
    purchases: tuple[PurchaseOrder, ...] = ()
    sales: tuple[SalesOrder, ...] = ()
    payments: tuple[CustomerPayment, ...] = ()
    """Payments received from customers."""
    warehouses: tuple[Warehouse, ...] = ()
    boms: tuple[Bom, ...] = ()
    work_orders: tuple[WorkOrder, ...] = ()
    stock_moves: tuple[StockMove, ...] | None = None
    """Stock moves in (date, file) order, when the command asked for them (a write
    about a few items may ask for theirs only)."""
    on_hand_final: Mapping[tuple[str, str], Decimal] | None = None
    """Quantity of each item and warehouse after every move, whichever moves were asked
    for (None: the stock was not loaded)."""
    last_move_date: dt.date | None = None
    """The date of the last stock move (None: there is none)."""
    stock_values: Mapping[tuple[dt.date, str], Decimal] = field(default_factory=dict)
    """Per (day, document), the change of the whole stock's value (what the inventory
    invariant compares with the inventory account), whichever moves were asked for."""
    """(date, account) of every balance assertion, so a write can tell if it may break one."""

    def precision(self, commodity: str) -> int:
        """Display precision: biz.yaml first, then the journal's commodity directives."""
        if commodity in self.settings.precisions:
            return self.settings.precisions[commodity]
        seen = self.commodities.get(commodity, -1)
        return seen if seen >= 0 else self.settings.precision(commodity)

    def precisions(self) -> dict[str, int]:
        """Precision of every commodity the book uses."""
        names = set(self.commodities) | self.balances.commodities() | set(
            self.settings.precisions)
        names.add(self.settings.currency)
        return {name: self.precision(name) for name in sorted(names)}

    def is_cash(self, account: str) -> bool:
        """True for bank and cash accounts (subtype ``cash``)."""
        return self.chart.subtype_of(account) == "cash"
