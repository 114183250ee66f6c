"""Generate a random but valid bizcli book for benchmarks.

Usage::

    python benchmarks/generate.py OUTDIR --transactions N [--seed S]
                                  [--accounts A] [--years Y]

The book is deterministic for a given seed and written in the journal subset that
bizcli, hledger and ledger all read identically: ``YYYY-MM-DD`` dates, mostly
cleared (``*``) transactions, optional ``(CODE)``, four-space indented postings,
explicit amounts with two decimals in a single commodity (USD), every transaction
balancing exactly, one journal file per year, sorted by date.

Standard library only; a million transactions take a few seconds, thanks to
pre-computed lookup pools and large buffered writes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

END_YEAR = 2026
CURRENCY = "USD"
POOL_BITS = 12
POOL_SIZE = 1 << POOL_BITS
CHUNK = 20_000
AMOUNT_COLUMN = 44
TAX_PERCENT = 8

BIZ_YAML = """\
schema: 1
company: Benchmark Trading Co
currency: USD
fiscal_year_start: 01-01
lock_date: null
accounts:
  bank: Assets:Bank:Checking
  cash: Assets:Cash
  receivable: Assets:Receivable
  payable: Liabilities:Payable
  inventory: Assets:Inventory
  grni: Liabilities:Goods Received Not Invoiced
  cogs: Expenses:Cost of Goods Sold
  sales: Income:Sales
  output_tax: Liabilities:Sales Tax
  input_tax: Assets:Input Tax
  wip: Assets:Work in Progress
  adjustments: Expenses:Inventory Adjustments
  retained_earnings: Equity:Retained Earnings
  opening_balances: Equity:Opening Balances
"""

BANK = "Assets:Bank:Checking"
SAVINGS = "Assets:Bank:Savings"
CASH = "Assets:Cash"
RECEIVABLE = "Assets:Receivable"
INVENTORY = "Assets:Inventory"
INPUT_TAX = "Assets:Input Tax"
PAYABLE = "Liabilities:Payable"
OUTPUT_TAX = "Liabilities:Sales Tax"
SALES = "Income:Sales"
COGS = "Expenses:Cost of Goods Sold"
FREIGHT = "Expenses:Freight"
OPENING = "Equity:Opening Balances"
STATIONERY = "Expenses:办公:文具"
OFFICE_EQUIPMENT = "Expenses:办公:设备"
SERVICE_FEES = "Income:服务费"

# (name, type, subtype); type None means inherited from the parent.
FIXED_ACCOUNTS: tuple[tuple[str, str | None, str | None], ...] = (
    ("Assets", "asset", None),
    ("Assets:Bank", None, None),
    (BANK, None, "cash"),
    (SAVINGS, None, "cash"),
    (CASH, None, "cash"),
    (RECEIVABLE, None, "receivable"),
    (INVENTORY, None, "inventory"),
    ("Assets:Work in Progress", None, "inventory"),
    (INPUT_TAX, None, None),
    ("Assets:Fixed Assets", None, "fixed"),
    ("Liabilities", "liability", None),
    (PAYABLE, None, "payable"),
    ("Liabilities:Goods Received Not Invoiced", None, None),
    (OUTPUT_TAX, None, None),
    ("Liabilities:Bank Loan", None, "long-term"),
    ("Equity", "equity", None),
    ("Equity:Retained Earnings", None, None),
    (OPENING, None, None),
    ("Income", "income", None),
    (SALES, None, None),
    (SERVICE_FEES, None, None),
    ("Expenses", "expense", None),
    (COGS, None, "cogs"),
    ("Expenses:Inventory Adjustments", None, None),
    (FREIGHT, None, None),
    ("Expenses:办公", None, None),
    (STATIONERY, None, None),
    (OFFICE_EQUIPMENT, None, None),
)

# Parents of the generated sub-accounts and the word used to number them.
EXPENSE_GROUPS: tuple[tuple[str, str], ...] = (
    ("Expenses:Travel", "Region"),
    ("Expenses:Marketing", "Campaign"),
    ("Expenses:Utilities", "Site"),
    ("Expenses:Rent", "Site"),
    ("Expenses:Software", "Team"),
    ("Expenses:Supplies", "Dept"),
    ("Expenses:Consulting", "Project"),
    ("Expenses:Repairs", "Site"),
    ("Expenses:Insurance", "Policy"),
    ("Expenses:Training", "Dept"),
    ("Expenses:Meals", "Region"),
    ("Expenses:Vehicles", "Fleet"),
    ("Expenses:差旅", "区域"),
)
INCOME_GROUPS: tuple[tuple[str, str], ...] = (
    ("Income:Services", "Project"),
    ("Income:Consulting", "Client Group"),
    ("Income:Licensing", "Product"),
)

SPECIAL_CUSTOMERS = (
    "上海木业有限公司",
    "Müller GmbH",
    "Société Générale des Cafés",
    "株式会社山田製作所",
    "São Paulo Comércio Ltda",
    "Ørsted & Østergaard ApS",
    "Łódź Meble Sp. z o.o.",
    "서울무역 주식회사",
)
SPECIAL_SUPPLIERS = (
    "深圳电子元件厂",
    "Bäckerei Groß KG",
    "Café Crème SARL",
    "Ñandú Logística S.A.",
    "北京办公用品公司",
)
NAME_HEADS = (
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark",
    "Wayne",
    "Hooli",
    "Vandelay",
    "Soylent",
    "Cyberdyne",
    "Tyrell",
    "Wonka",
    "Gringotts",
    "Oceanic",
    "Pied Piper",
    "Monarch",
    "Aperture",
    "Blue Sun",
    "Virtucon",
    "Nakatomi",
    "Dunder",
    "Prestige",
)
NAME_TAILS = (
    "Corp",
    "Ltd",
    "Inc",
    "Trading",
    "Supplies",
    "Logistics",
    "Partners",
    "Holdings",
    "Industries",
    "Foods",
    "Textiles",
    "Labs",
)
SHOP_NAMES = (
    "Shell Station",
    "City Parking",
    "Office Depot",
    "Metro Taxi",
    "Grand Hotel",
    "Corner Cafe",
    "Rail Europe",
    "Hardware Store",
    "Post Office",
    "Print Shop",
)

T = TypeVar("T")

YAML_PLAIN = re.compile(r"[A-Za-z\u00c0-\uffff][A-Za-z0-9 &.'\-:\u00c0-\uffff]*")
YAML_RESERVED = frozenset(
    {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"}
)


@dataclass(frozen=True, slots=True)
class Party:
    """A customer or supplier: display name and tag slug."""

    name: str
    slug: str


@dataclass(slots=True)
class Plan:
    """Everything a transaction writer draws from, sampled into fixed-size pools."""

    rng: random.Random
    expense_accounts: list[str]
    income_accounts: list[str]
    customers: list[Party]
    suppliers: list[Party]
    shops: list[str]
    small_amounts: list[int]
    medium_amounts: list[int]
    large_amounts: list[int]
    prefix: dict[str, str] = field(default_factory=dict)
    counter: int = 100_000

    def pick(self, pool: Sequence[T]) -> T:
        """One element of a pool of ``POOL_SIZE`` entries."""
        return pool[self.rng.getrandbits(POOL_BITS)]

    def next_number(self) -> int:
        """A running document number shared by invoices, bills and payments."""
        self.counter += 1
        return self.counter


# A transaction body: (payee, code, tag lines, postings as (account, cents)).
Body = tuple[str, str, tuple[str, ...], tuple[tuple[str, int], ...]]
Writer = Callable[[Plan], Body]


def yaml_scalar(text: str) -> str:
    """``text`` as a YAML scalar, double-quoted only when a plain one would misread."""
    plain = (
        YAML_PLAIN.fullmatch(text) is not None
        and ": " not in text
        and not text.endswith((":", " "))
        and text.lower() not in YAML_RESERVED
    )
    return text if plain else json.dumps(text, ensure_ascii=False)


def account_plan(total: int) -> list[tuple[str, str | None, str | None]]:
    """The chart of accounts: the fixed core plus numbered groups up to ``total``."""
    chart = list(FIXED_ACCOUNTS)
    groups = (
        EXPENSE_GROUPS[:6] + INCOME_GROUPS[:1] + EXPENSE_GROUPS[6:] + INCOME_GROUPS[1:]
    )
    seen_parents: set[str] = set()
    index = 0
    while len(chart) < total or index < len(groups):
        parent, word = groups[index % len(groups)]
        if parent not in seen_parents:
            seen_parents.add(parent)
            chart.append((parent, None, None))
        chart.append((f"{parent}:{word} {index // len(groups) + 1:02d}", None, None))
        index += 1
    return chart


def accounts_yaml(chart: list[tuple[str, str | None, str | None]]) -> str:
    """The text of ``accounts.yaml`` for a chart."""
    lines = ["schema: 1", "accounts:"]
    for name, kind, subtype in chart:
        lines.append(f"  - name: {yaml_scalar(name)}")
        if kind:
            lines.append(f"    type: {kind}")
        if subtype:
            lines.append(f"    subtype: {subtype}")
    return "\n".join(lines) + "\n"


def leaf_accounts(
    chart: list[tuple[str, str | None, str | None]], root: str
) -> list[str]:
    """Generated sub-accounts (those with a number) under ``root``."""
    parents = {name.rsplit(":", 1)[0] for name, _, _ in chart}
    return [
        name
        for name, _, _ in chart
        if name.startswith(root + ":") and name not in parents and name[-1].isdigit()
    ]


def zipf_pool(rng: random.Random, items: Sequence[T], skew: float = 0.8) -> list[T]:
    """``POOL_SIZE`` draws from ``items`` with Zipf-like popularity."""
    weights = [1.0 / (rank + 1) ** skew for rank in range(len(items))]
    return rng.choices(list(items), weights=weights, k=POOL_SIZE)


def amount_pool(rng: random.Random, low: float, high: float) -> list[int]:
    """``POOL_SIZE`` log-uniform amounts in cents, from ``low`` to ``high`` dollars."""
    lo, hi = math.log(low * 100), math.log(high * 100)
    pool = []
    for _ in range(POOL_SIZE):
        cents = int(math.exp(rng.uniform(lo, hi)))
        if rng.random() < 0.3:
            cents -= cents % 100  # round dollar amounts are common
        pool.append(max(cents, 1))
    return pool


def parties(
    rng: random.Random, count: int, special: Sequence[str], kind: str
) -> list[Party]:
    """``count`` named parties, a few of them with non-ASCII names."""
    names = list(special)
    while len(names) < count:
        head = NAME_HEADS[rng.randrange(len(NAME_HEADS))]
        tail = NAME_TAILS[rng.randrange(len(NAME_TAILS))]
        name = f"{head} {tail} {len(names):03d}"
        names.append(name)
    rng.shuffle(names)
    return [Party(name, f"{kind}-{i:04d}") for i, name in enumerate(names)]


def make_plan(
    rng: random.Random, chart: list[tuple[str, str | None, str | None]]
) -> Plan:
    """Sample every pool the transaction writers use."""
    expenses = leaf_accounts(chart, "Expenses") or [FREIGHT]
    incomes = leaf_accounts(chart, "Income") or [SALES]
    plan = Plan(
        rng=rng,
        expense_accounts=zipf_pool(rng, expenses),
        income_accounts=zipf_pool(rng, incomes),
        customers=zipf_pool(rng, parties(rng, 300, SPECIAL_CUSTOMERS, "cust")),
        suppliers=zipf_pool(rng, parties(rng, 120, SPECIAL_SUPPLIERS, "supp")),
        shops=zipf_pool(rng, [f"{s} {i:02d}" for s in SHOP_NAMES for i in range(1, 6)]),
        small_amounts=amount_pool(rng, 2, 400),
        medium_amounts=amount_pool(rng, 50, 8_000),
        large_amounts=amount_pool(rng, 500, 60_000),
    )
    width = AMOUNT_COLUMN - 4
    for name, _, _ in chart:
        plan.prefix[name] = "    " + name + " " * max(2, width - len(name))
    return plan


def tax_of(net: int) -> int:
    """Sales tax in cents, rounded half up, on a net amount in cents."""
    return (net * TAX_PERCENT + 50) // 100


# --- transaction writers --------------------------------------------------------------


def expense_bank(p: Plan) -> Body:
    """A bank-paid expense (2 postings)."""
    cents = p.pick(p.small_amounts)
    account = p.pick(p.expense_accounts)
    return p.pick(p.shops), "", (), ((account, cents), (BANK, -cents))


def cash_expense(p: Plan) -> Body:
    """A petty-cash expense (2 postings)."""
    cents = p.pick(p.small_amounts) // 4 + 1
    return (
        p.pick(p.shops),
        "",
        (),
        ((p.pick(p.expense_accounts), cents), (CASH, -cents)),
    )


def stationery(p: Plan) -> Body:
    """Stationery bought with cash, on a CJK account (2 postings)."""
    cents = p.pick(p.small_amounts) // 2 + 1
    supplier = p.pick(p.suppliers)
    account = STATIONERY if p.rng.random() < 0.7 else OFFICE_EQUIPMENT
    tags = (f"    ; supplier: {supplier.slug}",)
    return supplier.name, "", tags, ((account, cents), (CASH, -cents))


def customer_receipt(p: Plan) -> Body:
    """A customer paying into the bank (2 postings)."""
    cents = p.pick(p.medium_amounts)
    customer = p.pick(p.customers)
    code = f"RCPT-{p.next_number()}"
    tags = (f"    ; customer: {customer.slug}",)
    return customer.name, code, tags, ((BANK, cents), (RECEIVABLE, -cents))


def supplier_payment(p: Plan) -> Body:
    """Paying a supplier from the bank (2 postings)."""
    cents = p.pick(p.medium_amounts)
    supplier = p.pick(p.suppliers)
    tags = (f"    ; supplier: {supplier.slug}",) if p.rng.random() < 0.5 else ()
    return supplier.name, "", tags, ((PAYABLE, cents), (BANK, -cents))


def service_invoice(p: Plan) -> Body:
    """An untaxed service invoice (2 postings)."""
    cents = p.pick(p.medium_amounts)
    customer = p.pick(p.customers)
    number = p.next_number()
    income = SERVICE_FEES if p.rng.random() < 0.05 else p.pick(p.income_accounts)
    tags = (f"    ; doc: INV-{number}", f"    ; customer: {customer.slug}")
    return customer.name, f"INV-{number}", tags, ((RECEIVABLE, cents), (income, -cents))


def transfer(p: Plan) -> Body:
    """Cash withdrawal or savings sweep (2 postings)."""
    cents = p.pick(p.medium_amounts)
    target = CASH if p.rng.random() < 0.6 else SAVINGS
    return "Internal transfer", "", (), ((target, cents), (BANK, -cents))


def sales_invoice(p: Plan) -> Body:
    """A taxed sales invoice (3 postings)."""
    net = p.pick(p.medium_amounts)
    tax = tax_of(net)
    customer = p.pick(p.customers)
    number = p.next_number()
    tags = (f"    ; doc: INV-{number}",)
    postings = ((RECEIVABLE, net + tax), (SALES, -net), (OUTPUT_TAX, -tax))
    return customer.name, f"INV-{number}", tags, postings


def purchase_bill(p: Plan) -> Body:
    """A taxed supplier bill for an expense (3 postings)."""
    net = p.pick(p.medium_amounts)
    tax = tax_of(net)
    supplier = p.pick(p.suppliers)
    number = p.next_number()
    tags = (f"    ; doc: BILL-{number}",) if p.rng.random() < 0.6 else ()
    account = p.pick(p.expense_accounts)
    postings = ((account, net), (INPUT_TAX, tax), (PAYABLE, -(net + tax)))
    return supplier.name, f"BILL-{number}", tags, postings


def split_expense(p: Plan) -> Body:
    """One card payment split over two expense accounts (3 postings)."""
    first = p.pick(p.small_amounts)
    second = p.pick(p.small_amounts)
    a, b = p.pick(p.expense_accounts), p.pick(p.expense_accounts)
    if a == b:
        b = FREIGHT if a != FREIGHT else STATIONERY
    postings = ((a, first), (b, second), (BANK, -(first + second)))
    return p.pick(p.shops), "", (), postings


def sale_with_cogs(p: Plan) -> Body:
    """A goods sale with its cost of goods sold (4 postings)."""
    price = p.pick(p.large_amounts)
    cost = price * 3 // 5
    customer = p.pick(p.customers)
    number = p.next_number()
    tags = (f"    ; doc: INV-{number}", f"    ; customer: {customer.slug}")
    postings = ((RECEIVABLE, price), (SALES, -price), (COGS, cost), (INVENTORY, -cost))
    return customer.name, f"INV-{number}", tags, postings


def inventory_purchase(p: Plan) -> Body:
    """Stock bought with freight and input tax on a bill (4 postings)."""
    goods = p.pick(p.large_amounts)
    freight = goods // 40 + 500
    tax = tax_of(goods + freight)
    supplier = p.pick(p.suppliers)
    number = p.next_number()
    tags = (f"    ; doc: BILL-{number}", f"    ; supplier: {supplier.slug}")
    postings = (
        (INVENTORY, goods),
        (FREIGHT, freight),
        (INPUT_TAX, tax),
        (PAYABLE, -(goods + freight + tax)),
    )
    return supplier.name, f"BILL-{number}", tags, postings


# Weights: 70 % two-, 24 % three-, 6 % four-posting transactions = 2.36 on average.
WRITERS: tuple[tuple[Writer, float], ...] = (
    (expense_bank, 0.22),
    (customer_receipt, 0.14),
    (supplier_payment, 0.12),
    (service_invoice, 0.10),
    (cash_expense, 0.07),
    (stationery, 0.03),
    (transfer, 0.02),
    (sales_invoice, 0.10),
    (purchase_bill, 0.09),
    (split_expense, 0.05),
    (sale_with_cogs, 0.04),
    (inventory_purchase, 0.02),
)


def format_amount(cents: int) -> str:
    """``-1234.50`` style: sign first, two decimals, no separators."""
    whole, frac = divmod(abs(cents), 100)
    return f"{'-' if cents < 0 else ''}{whole}.{frac:02d}"


def render(plan: Plan, date: str, status: str, body: Body) -> str:
    """One transaction as journal text, followed by a blank line."""
    payee, code, tags, postings = body
    head = f"{date}{status}{f' ({code})' if code else ''} {payee}\n"
    lines = [head]
    lines.extend(tag + "\n" for tag in tags)
    prefix = plan.prefix
    for account, cents in postings:
        lines.append(f"{prefix[account]}{format_amount(cents):>12} {CURRENCY}\n")
    lines.append("\n")
    return "".join(lines)


def opening_balances(plan: Plan, date: str) -> str:
    """The first transaction of the book: opening balances (4 postings)."""
    postings = (
        (BANK, 12_500_000),
        (CASH, 50_000),
        (INVENTORY, 4_000_000),
        (OPENING, -16_550_000),
    )
    return render(plan, date, " *", ("Opening balances", "", (), postings))


def year_counts(transactions: int, years: Sequence[int]) -> list[int]:
    """Transactions per year: an even split, the remainder going to the last year."""
    base, rest = divmod(transactions, len(years))
    return [base + (rest if i == len(years) - 1 else 0) for i in range(len(years))]


def day_strings(year: int) -> list[str]:
    """Every date of ``year`` as ``YYYY-MM-DD``."""
    start = dt.date(year, 1, 1)
    days = (dt.date(year + 1, 1, 1) - start).days
    return [(start + dt.timedelta(days=i)).isoformat() for i in range(days)]


def year_text(plan: Plan, year: int, count: int, first: bool) -> Iterator[str]:
    """The journal of one year in chunks of ``CHUNK`` transactions."""
    rng = plan.rng
    dates = day_strings(year)
    writers = rng.choices(
        [w for w, _ in WRITERS], weights=[wt for _, wt in WRITERS], k=POOL_SIZE
    )
    statuses = [" *"] * 9 + [""]
    yield f"; Benchmark book, {year}: generated by benchmarks/generate.py\n\n"
    if first and count:
        yield opening_balances(plan, dates[0])
        count -= 1
    days = sorted(rng.randrange(len(dates)) for _ in range(count))
    buffer: list[str] = []
    getbits = rng.getrandbits
    for day in days:
        body = writers[getbits(POOL_BITS)](plan)
        buffer.append(render(plan, dates[day], statuses[getbits(4) % 10], body))
        if len(buffer) >= CHUNK:
            yield "".join(buffer)
            buffer.clear()
    yield "".join(buffer)


def generate_book(
    outdir: Path, transactions: int, seed: int = 1, accounts: int = 200, years: int = 3
) -> None:
    """Write a book of ``transactions`` transactions over ``years`` years to ``outdir``.

    The same arguments always produce byte-identical files. Existing year files in
    ``outdir/journal`` that this call would not write are removed, so a re-generated
    book never mixes sizes.
    """
    if transactions < 1 or years < 1:
        raise ValueError("transactions and years must be at least 1")
    outdir = Path(outdir)
    rng = random.Random(seed)
    chart = account_plan(accounts)
    plan = make_plan(rng, chart)
    journal = outdir / "journal"
    journal.mkdir(parents=True, exist_ok=True)
    (outdir / "biz.yaml").write_text(BIZ_YAML, encoding="utf-8")
    (outdir / "accounts.yaml").write_text(accounts_yaml(chart), encoding="utf-8")
    year_list = list(range(END_YEAR - years + 1, END_YEAR + 1))
    wanted = {f"{year}.journal" for year in year_list}
    for stale in journal.glob("*.journal"):
        if stale.name not in wanted:
            stale.unlink()
    for i, (year, count) in enumerate(
        zip(year_list, year_counts(transactions, year_list), strict=True)
    ):
        path = journal / f"{year}.journal"
        with path.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
            for chunk in year_text(plan, year, count, first=i == 0):
                out.write(chunk)


def generate_stock(outdir: Path, moves: int, items: int = 1000, seed: int = 1, *,
                   documents: bool = False) -> None:
    """Add ``items`` items, two warehouses and ``moves`` stock moves in 2026 to a book.

    Receipts, issues and transfers over a year, never taking more than is on hand; half
    the items are valued FIFO, half at moving average. There are no journal entries
    for them, so ``biz check`` reports the inventory drift: the moves are for timing.
    With ``documents``, each day's receipts carry the document ``GR-2026-MMDD`` and its
    issues ``DN-2026-MMDD`` (see ``generate_trading``).
    """
    rng = random.Random(seed)
    outdir = Path(outdir)
    codes = [f"ITEM-{i:04d}" for i in range(items)]
    (outdir / "items.yaml").write_text("schema: 1\nitems:\n" + "".join(
        f"  - code: {code}\n    name: Item {i}\n    unit: pc\n"
        f"    valuation: {'fifo' if i % 2 else 'average'}\n"
        f"    sale_price: {format_amount(rng.randint(200, 199_999))}\n    tax_rate: 0.08\n"
        for i, code in enumerate(codes)), encoding="utf-8")
    (outdir / "warehouses.yaml").write_text(
        "schema: 1\nwarehouses:\n  - code: MAIN\n    name: Main store\n"
        "  - code: SHOP\n    name: Shop\n", encoding="utf-8")
    on_hand = dict.fromkeys(codes, 0)
    days = day_strings(END_YEAR)
    lines = ["; Generated stock moves for benchmarks\n"]
    for n in range(moves):
        day = days[n * len(days) // moves]
        code = rng.choice(codes)
        have = on_hand[code]
        if have < 20 or rng.random() < 0.45:
            quantity = rng.randint(5, 60)
            on_hand[code] = have + quantity
            cost = format_amount(rng.randint(100, 99_999))
            doc = f"  ; doc: GR-{day[:4]}-{day[5:7]}{day[8:]}" if documents else ""
            lines.append(f"{day} receipt  {code:<16} {quantity:>8} pc   MAIN @ {cost} USD"
                         f"{doc}\n")
        else:
            quantity = rng.randint(1, min(have, 20))
            on_hand[code] = have - quantity
            doc = f"  ; doc: DN-{day[:4]}-{day[5:7]}{day[8:]}" if documents else ""
            lines.append(f"{day} issue    {code:<16} {quantity:>8} pc   MAIN{doc}\n")
    stock = outdir / "stock"
    stock.mkdir(parents=True, exist_ok=True)
    (stock / f"{END_YEAR}.stock").write_text("".join(lines), encoding="utf-8")


STOCK_ACCOUNT = "Assets:Stock"
GOODS_RECEIVED = "Liabilities:Goods Received Not Invoiced"


def generate_trading(outdir: Path, moves: int, items: int = 1000, orders: int = 300,
                     seed: int = 1) -> None:
    """Turn a generated book into one whose stock ledger and journal agree.

    Adds ``generate_stock``'s moves with documents, an ``Assets:Stock`` account that
    becomes the book's inventory role (the generated journal's own inventory postings
    stay on ``Assets:Inventory``, outside the invariant), one journal entry per day and
    document for the value the moves changed (receipts against goods received not
    invoiced, issues to cost of goods sold), 100 customers, and ``orders`` open sales
    orders of one or two items dated the last day of the year. The values come from
    bizcli's own valuation (``bizcli.core.stock``), so this needs bizcli importable; the
    book is an input for timing, its correctness is tested elsewhere.
    """
    from decimal import Decimal

    from bizcli.core.money import Amount
    from bizcli.core.stock.moves import MoveKind, StockMove
    from bizcli.core.stock.valuation import Method, value_moves

    outdir = Path(outdir)
    generate_stock(outdir, moves, items, seed, documents=True)
    rng = random.Random(seed + 1)
    settings = outdir / "biz.yaml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "inventory: Assets:Inventory", f"inventory: {STOCK_ACCOUNT}"), encoding="utf-8")
    chart = outdir / "accounts.yaml"
    chart.write_text(chart.read_text(encoding="utf-8") + f"  - name: {STOCK_ACCOUNT}\n",
                     encoding="utf-8")
    parsed = []
    for line in (outdir / "stock" / f"{END_YEAR}.stock").read_text(encoding="utf-8"
                                                                    ).splitlines()[1:]:
        head, _, doc = line.partition("  ; doc: ")
        fields = head.split()
        cost = Decimal(fields[7]) if len(fields) > 7 else None  # DATE KIND ITEM Q pc MAIN @ C
        parsed.append(StockMove(dt.date.fromisoformat(fields[0]), MoveKind(fields[1]),
                                fields[2], Decimal(fields[3]), "pc", "MAIN", None,
                                Amount(cost, CURRENCY) if cost is not None else None, doc))
    methods = {f"ITEM-{i:04d}": Method.FIFO if i % 2 else Method.AVERAGE
               for i in range(items)}
    per_doc: dict[tuple[dt.date, str], Decimal] = {}
    for valued in value_moves(parsed, methods, places=2).moves:
        key = (valued.move.date, valued.move.document)
        per_doc[key] = per_doc.get(key, Decimal(0)) + valued.value
    entries = []
    for (day, doc), value in sorted(per_doc.items()):
        counter = GOODS_RECEIVED if doc.startswith("GR-") else COGS
        cents = int(value * 100)
        entries.append(render_postings(day.isoformat(), doc, ((STOCK_ACCOUNT, cents),
                                                              (counter, -cents))))
    (outdir / "journal" / f"{END_YEAR}-stock.journal").write_text(
        "; Stock value moved by each day's receipts and deliveries\n\n"
        + "\n".join(entries), encoding="utf-8")
    customers = [f"C{i:03d}" for i in range(100)]
    (outdir / "customers.yaml").write_text("schema: 1\ncustomers:\n" + "".join(
        f"  - code: {c}\n    name: Customer {c}\n    payment_terms_days: 30\n"
        for c in customers), encoding="utf-8")
    on_hand: dict[str, Decimal] = {}
    for move in parsed:
        sign = 1 if move.kind is MoveKind.RECEIPT else -1
        on_hand[move.item] = on_hand.get(move.item, Decimal(0)) + sign * move.quantity
    in_stock = sorted(int(code[5:]) for code, have in on_hand.items() if have >= 2)
    docs = []
    for n in range(1, orders + 1):  # each line can be shipped at the end of the year
        picked = rng.sample(in_stock, rng.randint(1, 2))
        lines = "".join(f"  - item: ITEM-{i:04d}\n    quantity: '1'\n    price: '100.00'\n"
                        f"    tax_rate: '0.08'\n" for i in picked)
        docs.append(f"- number: SO-{END_YEAR}-{n:04d}\n  kind: order\n"
                    f"  customer: {rng.choice(customers)}\n  date: '{END_YEAR}-12-31'\n"
                    f"  warehouse: MAIN\n  currency: USD\n  lines:\n{lines}")
    sales = outdir / "sales"
    sales.mkdir(exist_ok=True)
    (sales / f"{END_YEAR}.yaml").write_text("schema: 1\nsales:\n" + "".join(docs),
                                            encoding="utf-8")


CRM_STAGES = ("new", "qualified", "proposal", "negotiation")


def generate_crm(outdir: Path, deals: int, customers: int = 2000, seed: int = 1) -> None:
    """Add ``customers`` customers and ``deals`` deals with stage histories to a book.

    Deals open over 2025-2026 in a random stage-walk: each step moves forward (or
    skips a stage) or back a stage, and about half end won or lost, so the pipeline,
    the funnel and the win rates all have work. Written as ``biz crm`` writes the file.
    """
    rng = random.Random(seed)
    outdir = Path(outdir)
    codes = [f"CUST-{i:05d}" for i in range(customers)]
    (outdir / "customers.yaml").write_text("schema: 1\ncustomers:\n" + "".join(
        f"- code: {code}\n  name: Customer {i}\n" for i, code in enumerate(codes)),
        encoding="utf-8")
    owners = ["ana", "ben", "chen", "dara", "eli"]
    sources = ["web", "referral", "fair", "cold-call", "partner"]
    start = dt.date(2025, 1, 1)
    out = ["schema: 1\ndeals:\n"]
    numbers: dict[int, int] = {}
    for _ in range(deals):
        day = start + dt.timedelta(days=rng.randrange(690))
        numbers[day.year] = numbers.get(day.year, 0) + 1
        stage = rng.randrange(2)
        history = [f"{day.isoformat()} {CRM_STAGES[stage]}"]
        for _ in range(rng.randrange(5)):
            day += dt.timedelta(days=rng.randint(1, 30))
            roll = rng.random()
            if roll < 0.2:
                history.append(f"{day.isoformat()} {'won' if rng.random() < 0.45 else 'lost'}")
                break
            step = -1 if roll < 0.3 and stage > 0 else rng.choice((1, 1, 2))
            new = min(stage + step, len(CRM_STAGES) - 1)
            if new == stage:
                continue
            stage = new
            history.append(f"{day.isoformat()} {CRM_STAGES[stage]}")
        close = day + dt.timedelta(days=rng.randint(-20, 90))
        amount = format_amount(rng.randint(10_000, 5_000_000))
        lost = "  lost_reason: price\n" if history[-1].endswith(" lost") else ""
        out.append(
            f"- number: D-{history[0][:4]}-{numbers[int(history[0][:4])]:06d}\n"
            f"  customer: {rng.choice(codes)}\n  title: Deal\n  owner: {rng.choice(owners)}\n"
            f"  source: {rng.choice(sources)}\n  amount: '{amount}'\n  currency: USD\n"
            f"  expected_close: '{close.isoformat()}'\n  history:\n"
            + "".join(f"  - {line}\n" for line in history) + lost)
    crm = outdir / "crm"
    crm.mkdir(parents=True, exist_ok=True)
    (crm / "deals.yaml").write_text("".join(out), encoding="utf-8")


def generate_invoices(outdir: Path, lines: int, customers: int = 20_000,
                      per_invoice: int = 4, seed: int = 1) -> None:
    """Add ``customers`` customers and invoiced orders holding ``lines`` invoice lines.

    One order per invoice, ``per_invoice`` lines each, spread over 2026 with a skewed
    number of invoices per customer (a few buy often, most rarely), so RFM has ties
    and every segment. Invoices only: no stock moves, no journal entries (``biz check``
    would report the receivable not posted; the file is for timing the analytics).
    """
    rng = random.Random(seed)
    outdir = Path(outdir)
    codes = [f"CUST-{i:05d}" for i in range(customers)]
    (outdir / "customers.yaml").write_text("schema: 1\ncustomers:\n" + "".join(
        f"- code: {code}\n  name: Customer {i}\n" for i, code in enumerate(codes)),
        encoding="utf-8")
    (outdir / "items.yaml").write_text("schema: 1\nitems:\n" + "".join(
        f"- code: IT-{i}\n  name: Item {i}\n  unit: pc\n  kind: service\n"
        for i in range(per_invoice)), encoding="utf-8")
    (outdir / "warehouses.yaml").write_text(
        "schema: 1\nwarehouses:\n- code: MAIN\n  name: Main\n", encoding="utf-8")
    buyers = zipf_pool(rng, codes, skew=1.1)
    days = day_strings(END_YEAR)
    out = ["schema: 1\nsales:\n"]
    for n in range(lines // per_invoice):
        day = days[n * len(days) // (lines // per_invoice)]
        due = (dt.date.fromisoformat(day) + dt.timedelta(days=30)).isoformat()
        prices = [rng.randint(100, 50_000) for _ in range(per_invoice)]
        body = "".join(f"  - item: IT-{i}\n    quantity: '1'\n    price: '{format_amount(p)}'\n"
                       for i, p in enumerate(prices))
        billed = "".join(f"    - item: IT-{i}\n      quantity: '1'\n"
                         f"      price: '{format_amount(p)}'\n" for i, p in enumerate(prices))
        net = sum(prices)
        out.append(
            f"- number: SO-{END_YEAR}-{n + 1:06d}\n  kind: order\n"
            f"  customer: {rng.choice(buyers)}\n  date: '{day}'\n  warehouse: MAIN\n"
            f"  currency: USD\n  lines:\n{body}  invoices:\n"
            f"  - number: INV-{END_YEAR}-{n + 1:06d}\n    date: '{day}'\n    due: '{due}'\n"
            f"    lines:\n{billed}    tax: '0.00'\n    total: '{format_amount(net)}'\n")
    sales = outdir / "sales"
    sales.mkdir(parents=True, exist_ok=True)
    (sales / f"{END_YEAR}.yaml").write_text("".join(out), encoding="utf-8")


def render_postings(date: str, doc: str, postings: Sequence[tuple[str, int]]) -> str:
    """One cleared entry with a code and a ``doc:`` tag."""
    body = "".join(f"    {account:<{AMOUNT_COLUMN - 4}}{format_amount(cents):>16} {CURRENCY}\n"
                   for account, cents in postings)
    return f"{date} * ({doc}) Stock {doc}\n    ; doc: {doc}\n{body}"


def parse_count(text: str) -> int:
    """``10k``, ``1M``, ``250000`` → an integer."""
    factors = {"k": 1_000, "m": 1_000_000}
    text = text.strip().replace("_", "")
    factor = factors.get(text[-1:].lower(), 1)
    number = text[:-1] if factor != 1 else text
    try:
        value = int(float(number) * factor)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a count: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command-line options."""
    parser = argparse.ArgumentParser(
        description="Write a random, valid bizcli book for benchmarks."
    )
    parser.add_argument("outdir", type=Path, help="book folder to create or overwrite")
    parser.add_argument(
        "--transactions",
        "-n",
        type=parse_count,
        required=True,
        help="number of transactions (accepts 10k, 1M)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--accounts",
        type=int,
        default=200,
        help="approximate account count (default 200)",
    )
    parser.add_argument(
        "--years", type=int, default=3, help=f"years, ending {END_YEAR} (default 3)"
    )
    parser.add_argument(
        "--stock-moves", type=parse_count, default=0,
        help="also write this many stock moves (accepts 100k)",
    )
    parser.add_argument("--items", type=int, default=1000, help="items for the stock moves")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: generate the book and report where it went."""
    args = parse_args(argv)
    generate_book(args.outdir, args.transactions, args.seed, args.accounts, args.years)
    if args.stock_moves:
        generate_stock(args.outdir, args.stock_moves, args.items, args.seed)
    print(f"wrote {args.transactions} transactions to {args.outdir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
