"""Every record of a book as rows of a named table, for CSV, JSON and SQLite exports.

A ``Table`` has typed columns, a primary key and foreign keys, and builds its rows
from ``Sources`` (the loaded book and CRM) when asked. The same tables give ``biz
export csv|json ENTITY`` and the tables of ``biz export sqlite``. Values stay Python
values (``Decimal``, ``date``, ``bool``...) until a writer formats them; amounts of
postings carry their commodity's precision (``1200.00``).

``transactions`` is the one table that is a view: one row per posting with its entry's
date, description and tags, for spreadsheets; SQLite gets it as a view over
``entries`` and ``postings``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bizcli.core.book import Book
from bizcli.core.crm.book import Crm
from bizcli.core.ledger.accounts import parent_names
from bizcli.core.ledger.transactions import Posting, Tag, Transaction
from bizcli.core.source import SourceRef
from bizcli.storage.exports.journal import (
    exact_precisions,
    ordered_transactions,
    quantity_text,
)

Value = str | int | Decimal | dt.date | dt.datetime | bool | None
Row = tuple[Value, ...]


class Kind(str, enum.Enum):
    """What a column holds, and so how each format writes it."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    """An exact decimal number (money, quantities, rates), written as text."""
    DATE = "date"
    DATETIME = "datetime"
    BOOLEAN = "boolean"


class Need(str, enum.Enum):
    """What a table needs loaded besides the chart and settings."""

    TRANSACTIONS = "transactions"
    RECORDS = "records"
    """Master files, documents and stock moves."""
    CRM = "crm"


@dataclass(frozen=True, slots=True)
class Column:
    """A named, typed column."""

    name: str
    kind: Kind


@dataclass(frozen=True, slots=True)
class ForeignKey:
    """``columns`` of this table name a row of ``table`` by its ``target`` columns."""

    columns: tuple[str, ...]
    table: str
    target: tuple[str, ...]


class Sources:
    """What tables are built from: the book (with what the tables need) and the CRM."""

    def __init__(self, book: Book, crm: Crm | None = None) -> None:
        self.book = book
        self.crm = crm or Crm()
        self._entries: list[Transaction] | None = None
        self._scales: dict[str, int] | None = None

    def entries(self) -> list[Transaction]:
        """The journal entries in date order; an entry's id is its place in it, from 1."""
        if self._entries is None:
            self._entries = ordered_transactions(self.book)
        return self._entries

    def scales(self) -> dict[str, int]:
        """Per commodity, the decimals that make every posting amount a whole number."""
        if self._scales is None:
            self._scales = exact_precisions(self.book, self.entries())
        return self._scales


@dataclass(frozen=True, slots=True)
class Table:
    """One entity: its columns, keys and how to build its rows."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    build: Callable[[Sources], Iterable[Row]]
    needs: frozenset[Need] = frozenset()
    foreign_keys: tuple[ForeignKey, ...] = ()
    view: str | None = None
    """For SQLite: the SELECT that makes this table a view of others."""

    def rows(self, sources: Sources) -> Iterable[Row]:
        """The rows, in a stable order."""
        return self.build(sources)

    @property
    def column_names(self) -> list[str]:
        """The columns' names, in order."""
        return [column.name for column in self.columns]


def _columns(spec: str) -> tuple[Column, ...]:
    """``"code:text amount:decimal"`` -> columns (a bare name is text)."""
    out = []
    for word in spec.split():
        name, _, kind = word.partition(":")
        out.append(Column(name, Kind(kind or "text")))
    return tuple(out)


def _fk(columns: str, table: str, target: str) -> ForeignKey:
    return ForeignKey(tuple(columns.split()), table, tuple(target.split()))


def _tags_text(tags: Iterable[Tag]) -> str | None:
    """Tags as ``key=value; key=value`` (the form of a ``tag:KEY=VALUE`` query)."""
    text = "; ".join(f"{key}={value}" if value else key for key, value in tags)
    return text or None


def _where(source: SourceRef | None) -> tuple[str | None, int | None]:
    return (source.path, source.line) if source is not None else (None, None)


def _text(value: str | None) -> str | None:
    return value or None


# --- the books -------------------------------------------------------------------------

def _settings(sources: Sources) -> Iterator[Row]:
    settings = sources.book.settings
    month, day = settings.fiscal_year_start
    yield "company", settings.company
    yield "currency", settings.currency
    yield "fiscal_year_start", f"{month:02d}-{day:02d}"
    yield "lock_date", settings.lock_date.isoformat() if settings.lock_date else None
    yield "valuation", settings.valuation
    for role, account in sorted(settings.roles.items()):
        yield f"accounts.{role}", account



def _accounts(sources: Sources) -> Iterator[Row]:
    chart = sources.book.chart
    listed = set(chart.names())
    for account in chart.accounts:
        kind = chart.type_of(account.name)
        parent = next((p for p in parent_names(account.name) if p in listed), None)
        yield (account.name, kind.value if kind else None, chart.subtype_of(account.name),
               account.code, account.note, parent)


def _commodities(sources: Sources) -> Iterator[Row]:
    book = sources.book
    scales = sources.scales()
    for name in sorted(scales):
        yield name, book.precision(name), scales[name]


def _prices(sources: Sources) -> Iterator[Row]:
    ordered = sorted(sources.book.prices, key=lambda p: p.date)
    for number, price in enumerate(ordered, 1):
        yield (number, price.date, price.commodity, price.price.quantity,
               price.price.commodity, *_where(price.source))


def _entries(sources: Sources) -> Iterator[Row]:
    for number, txn in enumerate(sources.entries(), 1):
        yield (number, txn.date, txn.status.name.lower(), _text(txn.code), txn.description,
               _text(txn.comment), _tags_text(txn.tags), *_where(txn.source))


class _Amounts:
    """Posting amounts at their commodity's precision, and in minor units."""

    def __init__(self, sources: Sources) -> None:
        self.book = sources.book
        self.scales = sources.scales()
        self.places = {c: self.book.precision(c) for c in self.scales}

    def amount(self, posting: Posting) -> tuple[Decimal | None, str | None, int | None]:
        if posting.amount is None:
            return None, None, None
        quantity, commodity = posting.amount
        places = self.places[commodity]
        shown = quantity if quantity.as_tuple().exponent == -places else Decimal(
            quantity_text(quantity, places))
        return shown, commodity, int(quantity.scaleb(self.scales[commodity]))


def _postings(sources: Sources) -> Iterator[Row]:
    amounts = _Amounts(sources)
    for number, txn in enumerate(sources.entries(), 1):
        for seq, posting in enumerate(txn.postings, 1):
            cost, assertion = posting.cost, posting.assertion
            yield (number, seq, posting.account, *amounts.amount(posting),
                   cost.amount.quantity if cost else None,
                   cost.amount.commodity if cost else None,
                   cost.is_total if cost else None,
                   assertion.quantity if assertion else None,
                   assertion.commodity if assertion else None,
                   posting.status.name.lower(), _text(posting.comment),
                   _tags_text(posting.tags))


def _tags(sources: Sources) -> Iterator[Row]:
    for number, txn in enumerate(sources.entries(), 1):
        for seq, (key, value) in enumerate(txn.tags, 1):
            yield number, 0, seq, key, value
        for posting_seq, posting in enumerate(txn.postings, 1):
            for seq, (key, value) in enumerate(posting.tags, 1):
                yield number, posting_seq, seq, key, value


def _transactions(sources: Sources) -> Iterator[Row]:
    amounts = _Amounts(sources)
    for number, txn in enumerate(sources.entries(), 1):
        for seq, posting in enumerate(txn.postings, 1):
            cost = posting.cost
            amount, commodity, _ = amounts.amount(posting)
            yield (number, txn.date, txn.status.name.lower(), _text(txn.code),
                   txn.description, seq, posting.account, amount, commodity,
                   cost.amount.quantity if cost else None,
                   cost.amount.commodity if cost else None,
                   _tags_text((*txn.tags, *posting.tags)), _text(posting.comment),
                   *_where(txn.source))


_TRANSACTIONS_VIEW = (
    "SELECT e.id AS entry_id, e.date, e.status, e.code, e.description, p.seq AS posting, "
    "p.account, p.amount, p.commodity, p.cost, p.cost_commodity, "
    "CASE WHEN e.tags IS NULL THEN p.tags WHEN p.tags IS NULL THEN e.tags "
    "ELSE e.tags || '; ' || p.tags END AS tags, p.comment, e.file, e.line "
    "FROM entries e JOIN postings p ON p.entry_id = e.id")


# --- records ---------------------------------------------------------------------------

def _parties(kind: str) -> Callable[[Sources], Iterator[Row]]:
    def rows(sources: Sources) -> Iterator[Row]:
        parties = sources.book.customers if kind == "customers" else sources.book.suppliers
        for party in parties:
            fields = "; ".join(f"{key}={value}" for key, value in party.fields) or None
            common = (party.code, party.name, party.address, party.payment_terms_days)
            if kind == "customers":
                yield (*common, party.credit_limit, party.currency,
                       ", ".join(party.tags) or None, fields)
            else:
                yield (*common, party.lead_time_days, party.currency,
                       ", ".join(party.tags) or None, fields)
    return rows


def _contacts(kind: str) -> Callable[[Sources], Iterator[Row]]:
    def rows(sources: Sources) -> Iterator[Row]:
        parties = sources.book.customers if kind == "customers" else sources.book.suppliers
        for party in parties:
            for seq, contact in enumerate(party.contacts, 1):
                yield party.code, seq, contact.name, contact.email, contact.phone, contact.role
    return rows


def _items(sources: Sources) -> Iterator[Row]:
    for item in sources.book.items:
        lot = item.lot
        yield (item.code, item.name, item.unit, item.kind.value,
               item.valuation.value if item.valuation else None,
               item.cost.quantity if item.cost else None,
               item.cost.commodity if item.cost else None,
               item.sale_price.quantity if item.sale_price else None,
               item.sale_price.commodity if item.sale_price else None,
               item.tax_rate, item.reorder_point, item.reorder_quantity, item.safety_stock,
               item.lead_time_days, item.supplier, lot.rule.value, lot.quantity, lot.periods,
               lot.minimum, lot.maximum, lot.multiple)


def _warehouses(sources: Sources) -> Iterator[Row]:
    for warehouse in sources.book.warehouses:
        yield warehouse.code, warehouse.name, warehouse.address


def _stock_moves(sources: Sources) -> Iterator[Row]:
    for number, move in enumerate(sources.book.stock_moves or (), 1):
        cost = move.unit_cost
        yield (number, move.date, move.kind.value, move.item, move.quantity, move.unit,
               move.warehouse, move.to_warehouse, cost.quantity if cost else None,
               cost.commodity if cost else None, _text(move.document),
               _tags_text(move.tags), *_where(move.source))


# --- sales -----------------------------------------------------------------------------

def _sales_orders(sources: Sources) -> Iterator[Row]:
    for sale in sources.book.sales:
        yield (sale.number, sale.kind.value, sale.state.value, sale.customer, sale.date,
               sale.due, sale.warehouse, sale.currency, sale.link, sale.deal, sale.cancelled)


def _sales_order_lines(sources: Sources) -> Iterator[Row]:
    for sale in sources.book.sales:
        for line_no, line in enumerate(sale.lines, 1):
            yield sale.number, line_no, line.item, line.quantity, line.price, line.tax_rate


def _shipments(sources: Sources) -> Iterator[Row]:
    for sale in sources.book.sales:
        for seq, shipment in enumerate(sale.shipments, 1):
            yield sale.number, seq, shipment.date, shipment.returned


def _shipment_lines(sources: Sources) -> Iterator[Row]:
    for sale in sources.book.sales:
        for seq, shipment in enumerate(sale.shipments, 1):
            for line_no, line in enumerate(shipment.lines, 1):
                yield sale.number, seq, line_no, line.item, line.quantity, line.cost


def _invoices(sources: Sources) -> Iterator[Row]:
    for sale in sources.book.sales:
        for invoice in sale.invoices:
            yield (invoice.number, sale.number, invoice.date, invoice.due, invoice.tax,
                   invoice.total)


def _invoice_lines(sources: Sources) -> Iterator[Row]:
    for sale in sources.book.sales:
        for invoice in sale.invoices:
            for line_no, line in enumerate(invoice.lines, 1):
                yield invoice.number, line_no, line.item, line.quantity, line.price, line.tax_rate


def _payments(sources: Sources) -> Iterator[Row]:
    for payment in sources.book.payments:
        yield (payment.number, payment.customer, payment.date, payment.amount,
               payment.currency, payment.account, payment.unapplied)


def _payment_applications(sources: Sources) -> Iterator[Row]:
    for payment in sources.book.payments:
        for seq, (invoice, amount) in enumerate(payment.applied, 1):
            yield payment.number, seq, invoice, amount


# --- purchases -------------------------------------------------------------------------

def _purchase_orders(sources: Sources) -> Iterator[Row]:
    for order in sources.book.purchases:
        yield (order.number, order.state.value, order.supplier, order.date, order.expected,
               order.warehouse, order.currency, order.draft, order.cancelled)


def _purchase_order_lines(sources: Sources) -> Iterator[Row]:
    for order in sources.book.purchases:
        for line_no, line in enumerate(order.lines, 1):
            yield order.number, line_no, line.item, line.quantity, line.price


def _receipts(sources: Sources) -> Iterator[Row]:
    for order in sources.book.purchases:
        for seq, receipt in enumerate(order.receipts, 1):
            yield order.number, seq, receipt.date


def _receipt_lines(sources: Sources) -> Iterator[Row]:
    for order in sources.book.purchases:
        for seq, receipt in enumerate(order.receipts, 1):
            for line_no, (item, quantity) in enumerate(receipt.quantities, 1):
                yield order.number, seq, line_no, item, quantity


def _bills(sources: Sources) -> Iterator[Row]:
    for order in sources.book.purchases:
        for seq, bill in enumerate(order.bills, 1):
            yield (order.number, seq, bill.number, bill.date, bill.due, bill.tax, bill.total,
                   bill.paid, bill.open_amount)


def _bill_lines(sources: Sources) -> Iterator[Row]:
    for order in sources.book.purchases:
        for seq, bill in enumerate(order.bills, 1):
            for line_no, line in enumerate(bill.lines, 1):
                yield order.number, seq, line_no, line.item, line.quantity, line.price


def _bill_payments(sources: Sources) -> Iterator[Row]:
    for order in sources.book.purchases:
        for seq, bill in enumerate(order.bills, 1):
            for number, (day, amount) in enumerate(bill.payments, 1):
                yield order.number, seq, number, day, amount


# --- production ------------------------------------------------------------------------

def _boms(sources: Sources) -> Iterator[Row]:
    for bom in sources.book.boms:
        yield bom.item, bom.labour, bom.overhead


def _bom_lines(sources: Sources) -> Iterator[Row]:
    for bom in sources.book.boms:
        for line_no, line in enumerate(bom.components, 1):
            yield bom.item, line_no, line.item, line.quantity, line.scrap


def _bom_byproducts(sources: Sources) -> Iterator[Row]:
    for bom in sources.book.boms:
        for line_no, line in enumerate(bom.byproducts, 1):
            yield bom.item, line_no, line.item, line.quantity


def _work_orders(sources: Sources) -> Iterator[Row]:
    for order in sources.book.work_orders:
        yield (order.number, order.state.value, order.item, order.quantity, order.completed,
               order.date, order.due, order.warehouse, order.labour, order.overhead,
               order.draft, order.cancelled, order.planned)


def _work_order_components(sources: Sources) -> Iterator[Row]:
    for order in sources.book.work_orders:
        lines = [("component", use) for use in order.components]
        lines += [("byproduct", use) for use in order.byproducts]
        for line_no, (kind, use) in enumerate(lines, 1):
            yield order.number, line_no, kind, use.item, use.quantity


def _completions(sources: Sources) -> Iterator[Row]:
    for order in sources.book.work_orders:
        for seq, done in enumerate(order.completions, 1):
            yield order.number, seq, done.date, done.quantity, done.value


def _completion_lines(sources: Sources) -> Iterator[Row]:
    for order in sources.book.work_orders:
        for seq, done in enumerate(order.completions, 1):
            lines = [("consumed", use) for use in done.consumed]
            lines += [("byproduct", use) for use in done.byproducts]
            for line_no, (kind, use) in enumerate(lines, 1):
                yield order.number, seq, line_no, kind, use.item, use.quantity


# --- CRM -------------------------------------------------------------------------------

def _deals(sources: Sources) -> Iterator[Row]:
    for deal in sources.crm.deals:
        yield (deal.number, deal.customer, deal.title, deal.stage, deal.amount, deal.currency,
               deal.probability, deal.created, deal.closed, deal.expected_close, deal.owner,
               deal.source, deal.campaign, deal.lost_reason, deal.order, deal.lead,
               deal.notes)


def _deal_lines(sources: Sources) -> Iterator[Row]:
    for deal in sources.crm.deals:
        for line_no, line in enumerate(deal.lines, 1):
            yield deal.number, line_no, line.item, line.quantity, line.price


def _deal_history(sources: Sources) -> Iterator[Row]:
    for deal in sources.crm.deals:
        for seq, change in enumerate(deal.history, 1):
            yield deal.number, seq, change.date, change.stage


def _leads(sources: Sources) -> Iterator[Row]:
    for lead in sources.crm.leads:
        yield (lead.number, lead.name, lead.created, lead.company, lead.email, lead.phone,
               lead.source, lead.campaign, lead.owner, lead.converted, lead.deal,
               lead.disqualified, lead.notes)


def _activities(sources: Sources) -> Iterator[Row]:
    for act in sources.crm.activities:
        yield (act.number, act.kind, act.date, act.subject, act.customer, act.lead, act.deal,
               act.ticket, act.contact, act.owner, act.due, act.done, act.notes)


def _tickets(sources: Sources) -> Iterator[Row]:
    for ticket in sources.crm.tickets:
        yield (ticket.number, ticket.customer, ticket.subject, ticket.priority, ticket.opened,
               ticket.assignee, ticket.responded, ticket.closed, ticket.resolution,
               ticket.notes)


# --- the list --------------------------------------------------------------------------

_T = frozenset({Need.TRANSACTIONS})
_R = frozenset({Need.RECORDS})
_C = frozenset({Need.CRM})


def _table(name: str, columns: str, build: Callable[[Sources], Iterable[Row]],
           needs: frozenset[Need], *foreign_keys: ForeignKey, view: str | None = None
           ) -> Table:
    """A table; ``*`` marks the columns of its primary key (``"*code name"``)."""
    parsed = _columns(columns.replace("*", ""))
    key = tuple(word.lstrip("*").partition(":")[0] for word in columns.split()
                if word.startswith("*"))
    return Table(name=name, columns=parsed, key=key, build=build, needs=needs,
                 foreign_keys=foreign_keys, view=view)


TABLES: tuple[Table, ...] = (
    _table("settings",
           "*key value",
           _settings, frozenset()),
    _table("accounts",
           "*name type subtype code note parent",
           _accounts, frozenset(), _fk("parent", "accounts", "name")),
    _table("commodities",
           "*symbol precision:integer scale:integer",
           _commodities, _T),
    _table("prices",
           "*id:integer date:date commodity price:decimal price_commodity file line:integer",
           _prices, _T, _fk("commodity", "commodities", "symbol"),
           _fk("price_commodity", "commodities", "symbol")),
    _table("entries",
           "*id:integer date:date status code description comment tags file line:integer",
           _entries, _T),
    _table("postings",
           "*entry_id:integer *seq:integer account amount:decimal commodity amount_minor:integer "
           "cost:decimal cost_commodity cost_is_total:boolean assertion:decimal "
           "assertion_commodity status comment tags",
           _postings, _T, _fk("entry_id", "entries", "id"), _fk("account", "accounts", "name"),
           _fk("commodity", "commodities", "symbol"),
           _fk("cost_commodity", "commodities", "symbol"),
           _fk("assertion_commodity", "commodities", "symbol")),
    _table("tags",
           "*entry_id:integer *posting_seq:integer *seq:integer key value",
           _tags, _T, _fk("entry_id", "entries", "id")),
    _table("transactions",
           "*entry_id:integer date:date status code description *posting:integer account "
           "amount:decimal commodity cost:decimal cost_commodity tags comment file line:integer",
           _transactions, _T, view=_TRANSACTIONS_VIEW),
    _table("customers",
           "*code name address payment_terms_days:integer credit_limit:decimal currency tags "
           "fields",
           _parties("customers"), _R),
    _table("customer_contacts",
           "*customer *seq:integer name email phone role",
           _contacts("customers"), _R, _fk("customer", "customers", "code")),
    _table("suppliers",
           "*code name address payment_terms_days:integer lead_time_days:integer currency tags "
           "fields",
           _parties("suppliers"), _R),
    _table("supplier_contacts",
           "*supplier *seq:integer name email phone role",
           _contacts("suppliers"), _R, _fk("supplier", "suppliers", "code")),
    _table("items",
           "*code name unit kind valuation cost:decimal cost_currency sale_price:decimal "
           "sale_price_currency tax_rate:decimal reorder_point:decimal reorder_quantity:decimal "
           "safety_stock:decimal lead_time_days:integer supplier lot_size lot_quantity:decimal "
           "lot_periods:integer lot_min:decimal lot_max:decimal lot_multiple:decimal",
           _items, _R),
    _table("warehouses",
           "*code name address",
           _warehouses, _R),
    _table("stock_moves",
           "*id:integer date:date kind item quantity:decimal unit warehouse to_warehouse "
           "unit_cost:decimal cost_currency document tags file line:integer",
           _stock_moves, _R, _fk("item", "items", "code"), _fk("warehouse", "warehouses", "code"),
           _fk("to_warehouse", "warehouses", "code")),
    _table("sales_orders",
           "*number kind state customer date:date due:date warehouse currency link deal "
           "cancelled:boolean",
           _sales_orders, _R, _fk("customer", "customers", "code"),
           _fk("warehouse", "warehouses", "code"), _fk("deal", "deals", "number")),
    _table("sales_order_lines",
           "*sales_order *line:integer item quantity:decimal price:decimal tax_rate:decimal",
           _sales_order_lines, _R, _fk("sales_order", "sales_orders", "number"),
           _fk("item", "items", "code")),
    _table("shipments",
           "*sales_order *seq:integer date:date returned:boolean",
           _shipments, _R, _fk("sales_order", "sales_orders", "number")),
    _table("shipment_lines",
           "*sales_order *shipment:integer *line:integer item quantity:decimal cost:decimal",
           _shipment_lines, _R, _fk("sales_order shipment", "shipments", "sales_order seq"),
           _fk("item", "items", "code")),
    _table("invoices",
           "*number sales_order date:date due:date tax:decimal total:decimal",
           _invoices, _R, _fk("sales_order", "sales_orders", "number")),
    _table("invoice_lines",
           "*invoice *line:integer item quantity:decimal price:decimal tax_rate:decimal",
           _invoice_lines, _R, _fk("invoice", "invoices", "number"), _fk("item", "items", "code")),
    _table("payments",
           "*number customer date:date amount:decimal currency account unapplied:decimal",
           _payments, _R, _fk("customer", "customers", "code")),
    _table("payment_applications",
           "*payment *seq:integer invoice amount:decimal",
           _payment_applications, _R, _fk("payment", "payments", "number")),
    _table("purchase_orders",
           "*number state supplier date:date expected:date warehouse currency draft:boolean "
           "cancelled:boolean",
           _purchase_orders, _R, _fk("supplier", "suppliers", "code"),
           _fk("warehouse", "warehouses", "code")),
    _table("purchase_order_lines",
           "*purchase_order *line:integer item quantity:decimal price:decimal",
           _purchase_order_lines, _R, _fk("purchase_order", "purchase_orders", "number"),
           _fk("item", "items", "code")),
    _table("receipts",
           "*purchase_order *seq:integer date:date",
           _receipts, _R, _fk("purchase_order", "purchase_orders", "number")),
    _table("receipt_lines",
           "*purchase_order *receipt:integer *line:integer item quantity:decimal",
           _receipt_lines, _R, _fk("purchase_order receipt", "receipts", "purchase_order seq"),
           _fk("item", "items", "code")),
    _table("bills",
           "*purchase_order *seq:integer number date:date due:date tax:decimal total:decimal "
           "paid:decimal open:decimal",
           _bills, _R, _fk("purchase_order", "purchase_orders", "number")),
    _table("bill_lines",
           "*purchase_order *bill:integer *line:integer item quantity:decimal price:decimal",
           _bill_lines, _R, _fk("purchase_order bill", "bills", "purchase_order seq"),
           _fk("item", "items", "code")),
    _table("bill_payments",
           "*purchase_order *bill:integer *seq:integer date:date amount:decimal",
           _bill_payments, _R, _fk("purchase_order bill", "bills", "purchase_order seq")),
    _table("boms",
           "*item labour:decimal overhead:decimal",
           _boms, _R, _fk("item", "items", "code")),
    _table("bom_lines",
           "*bom *line:integer item quantity:decimal scrap:decimal",
           _bom_lines, _R, _fk("bom", "boms", "item"), _fk("item", "items", "code")),
    _table("bom_byproducts",
           "*bom *line:integer item quantity:decimal",
           _bom_byproducts, _R, _fk("bom", "boms", "item"), _fk("item", "items", "code")),
    _table("work_orders",
           "*number state item quantity:decimal completed:decimal date:date due:date warehouse "
           "labour:decimal overhead:decimal draft:boolean cancelled:boolean planned",
           _work_orders, _R, _fk("item", "items", "code"), _fk("warehouse", "warehouses", "code")),
    _table("work_order_components",
           "*work_order *line:integer kind item quantity:decimal",
           _work_order_components, _R, _fk("work_order", "work_orders", "number"),
           _fk("item", "items", "code")),
    _table("completions",
           "*work_order *seq:integer date:date quantity:decimal value:decimal",
           _completions, _R, _fk("work_order", "work_orders", "number")),
    _table("completion_lines",
           "*work_order *completion:integer *line:integer kind item quantity:decimal",
           _completion_lines, _R, _fk("work_order completion", "completions", "work_order seq"),
           _fk("item", "items", "code")),
    _table("deals",
           "*number customer title stage amount:decimal currency probability:decimal created:date "
           "closed:date expected_close:date owner source campaign lost_reason sales_order lead "
           "notes",
           _deals, _C, _fk("customer", "customers", "code"),
           _fk("sales_order", "sales_orders", "number"), _fk("lead", "leads", "number")),
    _table("deal_lines",
           "*deal *line:integer item quantity:decimal price:decimal",
           _deal_lines, _C, _fk("deal", "deals", "number"), _fk("item", "items", "code")),
    _table("deal_history",
           "*deal *seq:integer date:date stage",
           _deal_history, _C, _fk("deal", "deals", "number")),
    _table("leads",
           "*number name created:date company email phone source campaign owner converted deal "
           "disqualified notes",
           _leads, _C, _fk("deal", "deals", "number")),
    _table("activities",
           "*number kind date:date subject customer lead deal ticket contact owner due:date "
           "done:date notes",
           _activities, _C, _fk("customer", "customers", "code"), _fk("lead", "leads", "number"),
           _fk("deal", "deals", "number"), _fk("ticket", "tickets", "number")),
    _table("tickets",
           "*number customer subject priority opened:datetime assignee responded:datetime "
           "closed:datetime resolution notes",
           _tickets, _C, _fk("customer", "customers", "code")),
)
BY_NAME: Mapping[str, Table] = {table.name: table for table in TABLES}


def find_table(name: str) -> Table | None:
    """The table called ``name`` (``sales-orders`` and ``sales_orders`` alike)."""
    return BY_NAME.get(name.strip().lower().replace("-", "_"))


def needs_of(tables: Sequence[Table]) -> frozenset[Need]:
    """What loading the book must provide for these tables."""
    return frozenset().union(*(table.needs for table in tables))
