"""Starting charts of accounts for ``biz init --template trading|manufacturing|services``."""

from __future__ import annotations

from collections.abc import Mapping

# (name, type or None to inherit, subtype or None, code)
Entry = tuple[str, str | None, str | None, str]

_COMMON: tuple[Entry, ...] = (
    ("Assets", "asset", None, "1000"),
    ("Assets:Bank:Checking", None, "cash", "1010"),
    ("Assets:Bank:Savings", None, "cash", "1020"),
    ("Assets:Cash", None, "cash", "1030"),
    ("Assets:Receivable", None, "receivable", "1100"),
    ("Assets:Input Tax", None, None, "1150"),
    ("Assets:Prepaid Expenses", None, None, "1160"),
    ("Assets:Equipment", None, "fixed", "1500"),
    ("Assets:Accumulated Depreciation", None, "fixed", "1590"),
    ("Liabilities", "liability", None, "2000"),
    ("Liabilities:Payable", None, "payable", "2010"),
    ("Liabilities:Sales Tax", None, "tax", "2100"),
    ("Liabilities:Payroll", None, None, "2200"),
    ("Liabilities:Credit Card", None, None, "2300"),
    ("Liabilities:Loan", None, "long-term", "2500"),
    ("Equity", "equity", None, "3000"),
    ("Equity:Owner Capital", None, None, "3010"),
    ("Equity:Owner Drawings", None, None, "3020"),
    ("Equity:Retained Earnings", None, "retained", "3100"),
    ("Equity:Opening Balances", None, None, "3900"),
    ("Income", "income", None, "4000"),
    ("Income:Sales", None, None, "4010"),
    ("Income:Interest", None, "other", "4900"),
    ("Expenses", "expense", None, "6000"),
    ("Expenses:Wages", None, None, "6010"),
    ("Expenses:Payroll Taxes", None, None, "6020"),
    ("Expenses:Rent", None, None, "6100"),
    ("Expenses:Utilities", None, None, "6110"),
    ("Expenses:Insurance", None, None, "6120"),
    ("Expenses:Office", None, None, "6200"),
    ("Expenses:Marketing", None, None, "6300"),
    ("Expenses:Professional Fees", None, None, "6400"),
    ("Expenses:Bank Fees", None, None, "6500"),
    ("Expenses:Depreciation", None, None, "6600"),
    ("Expenses:Interest", None, "other", "6900"),
)

_STOCK: tuple[Entry, ...] = (
    ("Assets:Inventory", None, "inventory", "1200"),
    ("Liabilities:Goods Received Not Invoiced", None, None, "2050"),
    ("Expenses:Cost of Goods Sold", None, "cogs", "5000"),
    ("Expenses:Inventory Adjustments", None, "cogs", "5100"),
    ("Expenses:Purchase Price Variance", None, "cogs", "5150"),
)

_EXTRA: Mapping[str, tuple[Entry, ...]] = {
    "trading": (("Expenses:Freight", None, "cogs", "5200"),),
    "manufacturing": (
        ("Assets:Work in Progress", None, "inventory", "1250"),
        ("Expenses:Production Overhead", None, "cogs", "5300"),
        ("Expenses:Production Absorbed", None, "cogs", "5350"),
        ("Expenses:Tools", None, None, "6700"),
    ),
    "services": (
        ("Income:Services", None, None, "4020"),
        ("Expenses:Subcontractors", None, "cogs", "5400"),
        ("Expenses:Software", None, None, "6210"),
    ),
}

TEMPLATES = tuple(_EXTRA)

_ROLES_BASE = {
    "bank": "Assets:Bank:Checking", "cash": "Assets:Cash",
    "receivable": "Assets:Receivable", "payable": "Liabilities:Payable",
    "inventory": "Assets:Inventory", "grni": "Liabilities:Goods Received Not Invoiced",
    "cogs": "Expenses:Cost of Goods Sold", "sales": "Income:Sales",
    "output_tax": "Liabilities:Sales Tax", "input_tax": "Assets:Input Tax",
    "wip": "Assets:Work in Progress", "adjustments": "Expenses:Inventory Adjustments",
    "retained_earnings": "Equity:Retained Earnings",
    "opening_balances": "Equity:Opening Balances",
    "price_variance": "Expenses:Purchase Price Variance",
}


def template_chart(template: str) -> tuple[Entry, ...]:
    """The accounts of a template, ordered by code."""
    entries = (*_COMMON, *_STOCK, *_EXTRA[template])
    return tuple(sorted(entries, key=lambda e: e[3]))


def template_roles(template: str) -> dict[str, str]:
    """Role -> account for a template (every role's account is in its chart)."""
    names = {e[0] for e in template_chart(template)}
    roles = dict(_ROLES_BASE)
    if "Assets:Work in Progress" not in names:
        roles["wip"] = "Assets:Inventory"
    if "Expenses:Production Absorbed" in names:
        roles["absorbed"] = "Expenses:Production Absorbed"
    return roles
