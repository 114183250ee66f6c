"""Load the records side of a book: items, warehouses, customers, suppliers, stock moves.

The checks run on every cold load (their problems go into the load cache): references
to items and warehouses, negative stock, and the inventory invariant of DESIGN.md §5.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bizcli.core.book import Book
from bizcli.core.documents.references import Known, check_document_references
from bizcli.core.problems import Problem
from bizcli.core.production.boms import Bom, check_boms
from bizcli.core.production.work_orders import WorkOrder, check_work_orders
from bizcli.core.stock.invariant import inventory_drift, stock_value_by_document
from bizcli.core.stock.items import check_move_references
from bizcli.core.stock.ledger import quantities_on_hand, stock_valuation
from bizcli.core.stock.moves import StockMove
from bizcli.storage.stock_reader import read_stock

if TYPE_CHECKING:
    from bizcli.storage.loader import _Files


def load_stock(files: _Files, book: Book, *, keep: bool) -> tuple[Book, list[Problem]]:
    """Read items.yaml, warehouses.yaml and stock/*.stock into the book and check them."""
    from bizcli.storage.loader import (
        CUSTOMERS_FILE,
        ITEMS_FILE,
        PURCHASES_DIR,
        SALES_DIR,
        STOCK_DIR,
        SUPPLIERS_FILE,
        WAREHOUSES_FILE,
        stock_paths,
    )
    from bizcli.storage.master_files import read_items, read_parties, read_warehouses
    from bizcli.storage.purchases_file import read_purchases
    from bizcli.storage.sales_file import read_sales

    settings = book.settings
    problems: list[Problem] = []
    items_text, warehouses_text = files.read(ITEMS_FILE), files.read(WAREHOUSES_FILE)
    items, found = read_items(ITEMS_FILE, items_text, settings.currency) if (
        items_text is not None) else ([], [])
    problems.extend(found)
    warehouses, found = read_warehouses(WAREHOUSES_FILE, warehouses_text) if (
        warehouses_text is not None) else ([], [])
    problems.extend(found)
    parties = {}
    for rel, what in ((CUSTOMERS_FILE, "customers"), (SUPPLIERS_FILE, "suppliers")):
        text = files.read(rel)
        parties[what], found = read_parties(rel, text, what) if text is not None else ([], [])
        problems.extend(found)
    orders = []
    for rel in (p for p in stock_paths(files.root) if p.startswith(f"{PURCHASES_DIR}/")):
        text = files.read(rel)
        if text is not None:
            found_orders, found = read_purchases(rel, text, settings.currency)
            orders.extend(found_orders)
            problems.extend(found)
    sales, payments = [], []
    for rel in (p for p in stock_paths(files.root) if p.startswith(f"{SALES_DIR}/")):
        text = files.read(rel)
        if text is not None:
            found_sales, found_payments, found = read_sales(rel, text, settings.currency)
            sales.extend(found_sales)
            payments.extend(found_payments)
            problems.extend(found)
    boms, work_orders = _production(files, problems)
    moves: list[StockMove] = []
    for rel in (p for p in stock_paths(files.root) if p.startswith(f"{STOCK_DIR}/")):
        text = files.read(rel)
        if text is not None:
            parsed = read_stock(rel, text, settings.currency)
            moves.extend(parsed.moves)
            problems.extend(parsed.problems)
    moves.sort(key=lambda m: m.date)  # stable: file order within a day
    by_code = {i.code: i for i in items}
    problems.extend(check_move_references(moves, by_code, {w.code: w for w in warehouses}))
    problems.extend(check_document_references(sales, payments, orders, Known(
        customers={p.code for p in parties["customers"]},
        suppliers={p.code for p in parties["suppliers"]},
        items=set(by_code), warehouses={w.code for w in warehouses})))
    problems.extend(check_boms(boms, by_code))
    problems.extend(check_work_orders(work_orders, by_code, {w.code: w for w in warehouses}))
    book = replace(book, items=tuple(items), warehouses=tuple(warehouses),
                   customers=tuple(parties["customers"]),
                   suppliers=tuple(parties["suppliers"]), purchases=tuple(orders),
                   sales=tuple(sales), payments=tuple(payments), boms=tuple(boms),
                   work_orders=tuple(work_orders))
    valuation = stock_valuation(book, moves)
    problems.extend(valuation.problems)
    inventory = settings.role("inventory")
    if moves and inventory is not None:
        problems.extend(inventory_drift(valuation, book.balances, inventory,
                                        settings.currency, book.precision(settings.currency)))
    book = replace(book, stock_moves=tuple(moves) if keep else None,
                   stock_values=stock_value_by_document(valuation),
                   on_hand_final=quantities_on_hand(moves),
                   last_move_date=max((m.date for m in moves), default=None))
    return book, problems


def _production(files: _Files, problems: list[Problem]) -> tuple[list[Bom], list[WorkOrder]]:
    """Read boms.yaml and production/*.yaml."""
    from bizcli.storage.loader import BOMS_FILE, PRODUCTION_DIR, stock_paths
    from bizcli.storage.production_file import read_boms, read_work_orders

    text = files.read(BOMS_FILE)
    boms, found = read_boms(BOMS_FILE, text) if text is not None else ([], [])
    problems.extend(found)
    work_orders = []
    for rel in (p for p in stock_paths(files.root) if p.startswith(f"{PRODUCTION_DIR}/")):
        text = files.read(rel)
        if text is not None:
            found_orders, found = read_work_orders(rel, text)
            work_orders.extend(found_orders)
            problems.extend(found)
    return boms, work_orders
