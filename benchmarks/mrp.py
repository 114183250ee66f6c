"""Time MRP: the planning engine over generated BOM graphs, and ``biz mrp run`` on a book.

Usage:
    python benchmarks/mrp.py                  # the scaling table and the 10k-item book
    python benchmarks/mrp.py --quick          # 10k items x 52 weeks only, and the book
    python benchmarks/mrp.py --no-readme      # print, do not rewrite benchmarks/README.md

The generated data (one seed, so every run plans the same thing):

- ``items`` items in 5 BOM levels: 20% finished goods (level 0), 15%, 15% and 10%
  sub-assemblies, 40% bought materials (the last level). Each made item has 2 to 6
  components, mostly from the next level and 30% of the time from the one after (so
  items sit at several levels and low-level codes matter), 20% of lines with 5% scrap.
- Lead times of 0, 7, 14 or 21 days; safety stock 0 (half of the items), 5 or 10; lot
  sizes spread over lot-for-lot, a fixed 50, 3 periods, and a minimum of 20 in
  multiples of 10.
- Demand: every finished good gets a sales order line (1 to 20 units) in 30% of the
  weeks of the horizon; on hand 0 to 100 of everything; an open purchase or work order
  for one item in five, due from a week ago to two months ahead.

Each engine timing runs in a fresh Python process (the planning is what is timed, not
the generation), best of ``--repeat``. ``plan()`` nets, sizes, offsets and explodes
every item and makes the exception messages and shortages; "+ pegging every order" is
what the planned orders table adds: FIFO pegging of every item, the kinds of demand
each order serves (the Pipeline column) and its first three demands (Serves). The book
timing runs ``biz -B BOOK mrp run`` (output to /dev/null).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bizcli.core.production.mrp import MrpRequest

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
START = dt.date(2026, 11, 23)  # a Monday: weekly buckets start on it
SHARES = (0.20, 0.15, 0.15, 0.10, 0.40)
RULES: tuple[dict[str, str], ...] = (
    {}, {"lot_size": "fixed", "lot_quantity": "50"}, {"lot_size": "periods",
                                                      "lot_periods": "3"},
    {"lot_min": "20", "lot_multiple": "10"})
MARK = "<!-- mrp-benchmark -->"


def structure(items: int, weeks: int, seed: int = 1) -> dict[str, Any]:
    """The generated items, BOMs, demand and supply as plain data (see the module doc)."""
    rng = random.Random(seed)
    counts = [int(items * share) for share in SHARES]
    counts[-1] += items - sum(counts)
    levels = [[f"I{level}-{i:05d}" for i in range(count)] for level, count in enumerate(counts)]
    boms: dict[str, list[tuple[str, int, bool]]] = {}
    for level, parents in enumerate(levels[:-1]):
        for parent in parents:
            chosen: dict[str, tuple[int, bool]] = {}
            for _ in range(rng.randint(2, 6)):
                below = min(len(levels) - 1, level + 1 + (rng.random() < 0.3))
                chosen[rng.choice(levels[below])] = (rng.randint(1, 4), rng.random() < 0.2)
            boms[parent] = [(code, q, scrap) for code, (q, scrap) in sorted(chosen.items())]
    codes = [code for level in levels for code in level]
    planning = {code: {"lead": rng.choice((0, 7, 14, 21)),
                       "safety": rng.choice((0, 0, 5, 10)), "lot": rng.choice(RULES)}
                for code in codes}
    on_hand = {code: rng.randint(0, 100) for code in codes}
    demands = [(code, START + dt.timedelta(days=7 * week + rng.randint(0, 6)),
                rng.randint(1, 20), f"SO-{n:06d}")
               for n, (code, week) in enumerate(
                   (code, week) for code in levels[0] for week in range(weeks)
                   if rng.random() < 0.3)]
    receipts = [(code, START + dt.timedelta(days=rng.randint(-7, 60)), rng.randint(10, 200),
                 f"OPEN-{n:06d}") for n, code in enumerate(rng.sample(codes, items // 5))]
    return {"levels": levels, "boms": boms, "planning": planning, "on_hand": on_hand,
            "demands": demands, "receipts": receipts}


def request(items: int, weeks: int, seed: int = 1) -> MrpRequest:
    """The MRP request of the generated data, as ``biz mrp run`` would build it."""
    from decimal import Decimal

    from bizcli.core.production.boms import Bom, BomLine
    from bizcli.core.production.lots import LotRule, LotSize
    from bizcli.core.production.mrp import (
        Demand,
        DemandKind,
        Planning,
        ReceiptKind,
        ScheduledReceipt,
    )

    data = structure(items, weeks, seed)

    def lot(keys: dict[str, str]) -> LotSize:
        return LotSize(rule=LotRule(keys.get("lot_size", "lot-for-lot")),
                       quantity=Decimal(keys["lot_quantity"]) if "lot_quantity" in keys
                       else None, periods=int(keys.get("lot_periods", 0)) or None,
                       minimum=Decimal(keys["lot_min"]) if "lot_min" in keys else None,
                       multiple=Decimal(keys["lot_multiple"]) if "lot_multiple" in keys
                       else None)

    boms = {parent: Bom(item=parent, components=tuple(
        BomLine(item=code, quantity=Decimal(q), scrap=Decimal("0.05") if scrap else Decimal(0))
        for code, q, scrap in lines)) for parent, lines in data["boms"].items()}
    plans = {code: Planning(item=code, make=code in boms, lead_time=p["lead"],
                            safety_stock=Decimal(p["safety"]), lot=lot(p["lot"]),
                            supplier=None if code in boms else "SUPPLIER")
             for code, p in data["planning"].items()}
    return MrpRequest(
        start=START, bucket_days=7, buckets=weeks, items=plans, boms=boms,
        on_hand={code: Decimal(q) for code, q in data["on_hand"].items()},
        demands=[Demand(code, day, Decimal(q), DemandKind.ORDER, doc)
                 for code, day, q, doc in data["demands"]],
        receipts=[ScheduledReceipt(code, day, Decimal(q), ReceiptKind.PURCHASE
                                   if code not in boms else ReceiptKind.WORK_ORDER, doc)
                  for code, day, q, doc in data["receipts"]])


def time_engine(items: int, weeks: int, repeat: int) -> dict[str, Any]:
    """Best wall time of ``plan()`` over fresh processes, and the plan's size."""
    code = (f"import sys, time, json; sys.path.insert(0, {str(HERE)!r}); import mrp; "
            "from bizcli.core.production.mrp import plan; "
            f"r = mrp.request({items}, {weeks}); "
            "t = time.perf_counter(); p = plan(r); t = time.perf_counter() - t; "
            "import gc; gc.freeze(); "  # as biz mrp run does once it has the plan
            "from bizcli.core.memory import no_cyclic_gc; "
            "u = time.perf_counter(); "
            "c = no_cyclic_gc(); c.__enter__(); "  # as biz mrp run reports it
            "[(p.root_kinds(o), p.roots(o, 3)) for o in p.orders]; "
            "c.__exit__(None, None, None); "
            "u = time.perf_counter() - u; "
            "print(json.dumps({'seconds': t, 'pegging': u, 'orders': len(p.orders), "
            "'demands': len(r.demands)}))")
    runs = [json.loads(subprocess.run([sys.executable, "-c", code], check=True,
                                      capture_output=True, text=True).stdout)
            for _ in range(repeat)]
    best = min(runs, key=lambda r: r["seconds"] + r["pegging"])
    return {"items": items, "weeks": weeks, **best}


def write_book(root: Path, items: int, weeks: int, seed: int = 1) -> None:
    """A book holding the generated data.

    items.yaml, boms.yaml, one open sales order per demand line, the open orders as
    purchase and work orders, stock on hand as opening receipts with their journal
    entry (so the inventory invariant holds).
    """
    data = structure(items, weeks, seed)
    subprocess.run(["biz", "init", str(root), "--template", "manufacturing"], check=True,
                   capture_output=True)
    boms, plans = data["boms"], data["planning"]
    lines = ["schema: 1", "items:"]
    for code, p in plans.items():
        kind = "made" if code in boms else "bought"
        lines += [f"- code: {code}", f"  name: Item {code}", "  unit: pc", f"  kind: {kind}",
                  "  cost: '1.00'", f"  lead_time_days: {p['lead']}",
                  f"  safety_stock: '{p['safety']}'"]
        if kind == "bought":
            lines.append("  supplier: SUPPLIER")
        lines += [f"  {key}: '{value}'" for key, value in p["lot"].items()]
    (root / "items.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = ["schema: 1", "boms:"]
    for parent, components in boms.items():
        out += [f"- item: {parent}", "  components:"]
        for code, quantity, scrap in components:
            out += [f"  - item: {code}", f"    quantity: '{quantity}'"]
            if scrap:
                out.append("    scrap: 5%")
    (root / "boms.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    (root / "warehouses.yaml").write_text(
        "schema: 1\nwarehouses:\n- code: MAIN\n  name: Main\n", encoding="utf-8")
    (root / "customers.yaml").write_text(
        "schema: 1\ncustomers:\n- code: CUSTOMER\n  name: Customer\n", encoding="utf-8")
    (root / "suppliers.yaml").write_text(
        "schema: 1\nsuppliers:\n- code: SUPPLIER\n  name: Supplier\n", encoding="utf-8")
    sales = ["schema: 1", "sales:"]
    for n, (code, day, quantity, _) in enumerate(data["demands"], start=1):
        sales += [f"- number: SO-2026-{n:06d}", "  kind: order", "  customer: CUSTOMER",
                  "  date: '2026-11-20'", "  warehouse: MAIN", "  currency: USD",
                  f"  due: '{day.isoformat()}'", "  lines:", f"  - item: {code}",
                  f"    quantity: '{quantity}'", "    price: '10'"]
    (root / "sales").mkdir(exist_ok=True)
    (root / "sales" / "2026.yaml").write_text("\n".join(sales) + "\n", encoding="utf-8")
    purchases, works = ["schema: 1", "purchases:"], ["schema: 1", "work_orders:"]
    for n, (code, day, quantity, _) in enumerate(data["receipts"], start=1):
        if code in boms:
            works += [f"- number: WO-2026-{n:06d}", f"  item: {code}",
                      f"  quantity: '{quantity}'", "  date: '2026-11-20'",
                      f"  due: '{max(day, dt.date(2026, 11, 20)).isoformat()}'",
                      "  warehouse: MAIN", "  components:"]
            works += [line for c, q, _ in boms[code]
                      for line in (f"  - item: {c}", f"    quantity: '{q}'")]
        else:
            purchases += [f"- number: PO-2026-{n:06d}", "  supplier: SUPPLIER",
                          "  date: '2026-11-01'", "  warehouse: MAIN", "  currency: USD",
                          f"  expected: '{day.isoformat()}'", "  lines:",
                          f"  - item: {code}", f"    quantity: '{quantity}'",
                          "    price: '1.00'"]
    for folder, text in (("purchases", purchases), ("production", works)):
        (root / folder).mkdir(exist_ok=True)
        (root / folder / "2026.yaml").write_text("\n".join(text) + "\n", encoding="utf-8")
    moves = [f"2026-11-01 receipt  {code} {quantity} pc MAIN @ 1.00 USD  ; doc: OPENING"
             for code, quantity in data["on_hand"].items() if quantity]
    (root / "stock").mkdir(exist_ok=True)
    (root / "stock" / "2026.stock").write_text("\n".join(moves) + "\n", encoding="utf-8")
    total = sum(data["on_hand"].values())
    (root / "journal" / "2026.journal").write_text(
        f"2026-11-01 * Opening stock\n    ; doc: OPENING\n"
        f"    Assets:Inventory  {total}.00 USD\n    Equity:Opening Balances\n",
        encoding="utf-8")


def time_book(root: Path, repeat: int) -> dict[str, Any]:
    """``biz mrp run`` on the book: cold (no load cache) once, then warm, best of repeat."""
    env = {**os.environ, "BIZ_TODAY": START.isoformat()}
    argv = ["biz", "-B", str(root), "mrp", "run", "--horizon", "52w", "--show", "shortages"]
    shutil.rmtree(root / ".biz", ignore_errors=True)
    begin = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL)
    cold = time.perf_counter() - begin
    warm = []
    for extra in (argv[-2:], [], ["-O", "json"]):
        walls = []
        for _ in range(repeat):
            begin = time.perf_counter()
            subprocess.run([*argv[:-2], *extra], env=env, check=True,
                           stdout=subprocess.DEVNULL)
            walls.append(time.perf_counter() - begin)
        warm.append(min(walls))
    return {"cold": cold, "warm": warm[0], "all": warm[1], "json": warm[2]}


def table(rows: list[dict[str, Any]], book: dict[str, Any] | None, items: int) -> str:
    """The results as Markdown."""
    out = [("| Items | Weekly buckets | Demand lines | Planned orders | plan() | "
            "+ pegging every order | Both |"), "|---:|---:|---:|---:|---:|---:|---:|"]
    out += [f"| {r['items']:,} | {r['weeks']} | {r['demands']:,} | {r['orders']:,} | "
            f"{r['seconds']:.2f} s | {r['pegging']:.2f} s | "
            f"{r['seconds'] + r['pegging']:.2f} s |" for r in rows]
    if book:
        out += ["", (f"`biz mrp run --horizon 52w` on the {items:,}-item book (items.yaml, "
                     "boms.yaml, sales, purchase and work orders, stock, all generated):"),
                "", "| Run | Wall time |", "|---|---:|",
                (f"| cold (YAML read, load cache written), `--show shortages` | "
                 f"{book['cold']:.2f} s |"),
                f"| warm, `--show shortages` | {book['warm']:.2f} s |",
                (f"| warm, all three tables (every planned order with what it serves, "
                 f"the exceptions, the shortages) | {book['all']:.2f} s |"),
                (f"| warm, `-O json` (every planned order with its pegs) | "
                 f"{book['json']:.2f} s |")]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Run the engine timings and the book timing; print (and keep) the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k items x 52 weeks only")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path,
                        default=Path(tempfile.gettempdir()) / "bizcli-mrp-bench")
    parser.add_argument("--no-readme", action="store_true")
    parser.add_argument("--no-book", action="store_true")
    args = parser.parse_args(argv)
    sizes = [(10_000, 52)] if args.quick else [
        (1_000, 52), (2_500, 52), (5_000, 52), (10_000, 52), (10_000, 13), (10_000, 26),
        (20_000, 52)]
    rows = []
    for items, weeks in sizes:
        print(f"plan(): {items} items x {weeks} weeks ...", file=sys.stderr, flush=True)
        rows.append(time_engine(items, weeks, args.repeat))
    book = None
    if not args.no_book:
        root = args.workdir / "book"
        shutil.rmtree(args.workdir, ignore_errors=True)
        args.workdir.mkdir(parents=True)
        print("writing the 10k-item book ...", file=sys.stderr, flush=True)
        write_book(root, 10_000, 52)
        book = time_book(root, args.repeat)
    text = table(rows, book, 10_000)
    print(text)
    if not args.no_readme:
        current = README.read_text(encoding="utf-8")
        block = f"{MARK}\n{text}\n{MARK}"
        if MARK in current:
            head, _, rest = current.partition(MARK)
            _, _, tail = rest.partition(MARK)
            current = head + block + tail
        else:
            current += f"\n## MRP\n\n{block}\n"
        README.write_text(current, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
