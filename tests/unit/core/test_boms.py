"""Tests for bizcli.core.production.boms: checks, low-level codes, explosion, costing.

The worked example (quantities per unit of the parent):

    TABLE = 1 TOP + 4 LEG (5% scrap) + 1 KIT      labour 20, overhead 5
    TOP   = 1.8 m BOARD, yields 0.2 kg SHAVINGS    labour 6
    LEG   = 0.8 m BOARD                            labour 2
    CHAIR = 4 LEG + 0.5 m BOARD (10% scrap)        labour 10

so BOARD is used at level 2 of TABLE and CHAIR (through TOP and LEG) and at level 1 of
CHAIR. Unit costs: BOARD 10 a metre, KIT 7.50, SHAVINGS 0.50 a kilo.
"""

from __future__ import annotations

import decimal
import random
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bizcli.core.problems import Problem, Severity
from bizcli.core.production.boms import (
    Bom,
    BomLine,
    Byproduct,
    CostLine,
    TreeLine,
    UseLine,
    check_boms,
    cost_breakdown,
    explode,
    low_level_codes,
    requirements,
    rolled_cost,
    where_used,
)
from bizcli.core.source import SourceRef
from bizcli.core.stock.items import Item, ItemKind

D = Decimal
ZERO = D(0)
MADE, BOUGHT, SERVICE = ItemKind.MADE, ItemKind.BOUGHT, ItemKind.SERVICE


@contextmanager
def exact() -> Iterator[None]:
    """The tests' own sums and doublings, without rounding at 28 digits."""
    with decimal.localcontext() as context:
        context.prec = decimal.MAX_PREC
        context.Emax, context.Emin = decimal.MAX_EMAX, decimal.MIN_EMIN
        yield


def at(line: int) -> SourceRef:
    return SourceRef("boms.yaml", line)


def item(code: str, kind: ItemKind = BOUGHT, line: int = 0) -> Item:
    return Item(code=code, name=code.title(), unit="pcs", kind=kind,
                source=SourceRef("items.yaml", line) if line else None)


def items_of(*records: Item) -> dict[str, Item]:
    return {i.code: i for i in records}


def line(code: str, quantity: str | int, scrap: str | int = 0, src: int = 0) -> BomLine:
    return BomLine(item=code, quantity=D(quantity), scrap=D(scrap),
                   source=at(src) if src else None)


ITEMS = items_of(item("TABLE", MADE, 1), item("TOP", MADE, 2), item("LEG", MADE, 3),
                 item("CHAIR", MADE, 4), item("BOARD", BOUGHT, 5), item("KIT", BOUGHT, 6),
                 item("SHAVINGS", BOUGHT, 7))
TABLE = Bom(item="TABLE", components=(line("TOP", 1, src=2), line("LEG", 4, "0.05", src=3),
                                      line("KIT", 1, src=4)),
            labour=D(20), overhead=D(5), source=at(1))
TOP = Bom(item="TOP", components=(line("BOARD", "1.8", src=6),),
          byproducts=(Byproduct(item="SHAVINGS", quantity=D("0.2"), source=at(7)),),
          labour=D(6), source=at(5))
LEG = Bom(item="LEG", components=(line("BOARD", "0.8", src=9),), labour=D(2), source=at(8))
CHAIR = Bom(item="CHAIR", components=(line("LEG", 4, src=11), line("BOARD", "0.5", "0.10", src=12)),
            labour=D(10), source=at(10))
BOMS = {b.item: b for b in (TABLE, TOP, LEG, CHAIR)}
COSTS = {"BOARD": D(10), "KIT": D("7.50"), "SHAVINGS": D("0.50")}


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


# -- check_boms ----------------------------------------------------------------------------
def test_the_worked_example_is_clean() -> None:
    assert check_boms(list(BOMS.values()), ITEMS) == []


def test_unknown_parent_component_and_byproduct() -> None:
    bom = Bom(item="TABLEE", components=(line("BORD", 1, src=2),),
              byproducts=(Byproduct(item="SHAVINGZ", quantity=D(1), source=at(3)),),
              source=at(1))
    problems = check_boms([bom, *BOMS.values()], ITEMS)
    assert codes(problems) == ["unknown-item"] * 3
    assert [p.source for p in problems] == [at(1), at(2), at(3)]
    assert problems[0].message == "the BOM's item 'TABLEE' is not in items.yaml; did you mean TABLE?"
    assert problems[1].message == ("component 'BORD' of TABLEE is not in items.yaml; "
                                   "did you mean BOARD?")
    assert "did you mean SHAVINGS?" in problems[2].message
    assert all(p.hint for p in problems)


def test_a_line_without_a_source_is_reported_at_its_bom() -> None:
    bom = Bom(item="TOP", components=(line("NOPE", 1),), source=at(5))
    [problem] = check_boms([bom, TABLE, LEG, CHAIR], ITEMS)
    assert (problem.code, problem.source) == ("unknown-item", at(5))


def test_duplicate_bom_points_at_the_first() -> None:
    second = Bom(item="LEG", components=(line("BOARD", 1, src=21),), source=at(20))
    problems = check_boms([*BOMS.values(), second], ITEMS)
    assert codes(problems) == ["duplicate-bom"]
    assert problems[0].source == at(20)
    assert problems[0].message == "LEG has a second BOM"
    assert problems[0].hint == "keep one BOM per item (the first is at boms.yaml:8)"


def test_bom_for_an_item_that_is_not_made() -> None:
    bom = Bom(item="KIT", components=(line("BOARD", 1, src=2),), source=at(1))
    [problem] = check_boms([bom, *BOMS.values()], ITEMS)
    assert problem.code == "bom-not-made"
    assert problem.message == "KIT has a BOM but is a bought item, not a made one"
    assert problem.hint == "set kind: made in items.yaml"


def test_service_component_and_byproduct() -> None:
    books = items_of(*ITEMS.values(), item("PAINTING", SERVICE))
    bom = Bom(item="TOP", components=(line("BOARD", 1, src=2), line("PAINTING", 1, src=3)),
              byproducts=(Byproduct(item="PAINTING", quantity=D(1), source=at(4)),),
              source=at(1))
    problems = check_boms([bom, TABLE, LEG, CHAIR], books)
    assert codes(problems) == ["bom-service-item", "bom-service-item"]
    assert [p.source for p in problems] == [at(3), at(4)]
    assert problems[0].message == "component PAINTING of TOP is a service item: it has no stock"
    assert problems[1].message.startswith("by-product PAINTING of TOP")


@pytest.mark.parametrize(("bom", "message"), [
    (Bom(item="TOP", components=(line("BOARD", 0, src=2),), source=at(1)),
     "component BOARD of TOP has quantity 0: it must be more than 0"),
    (Bom(item="TOP", components=(line("BOARD", -1, src=2),), source=at(1)),
     "component BOARD of TOP has quantity -1: it must be more than 0"),
    (Bom(item="TOP", components=(line("BOARD", 1, "-0.01", src=2),), source=at(1)),
     "component BOARD of TOP has scrap -1%: it must be from 0% to less than 100%"),
    (Bom(item="TOP", components=(line("BOARD", 1, 1, src=2),), source=at(1)),
     "component BOARD of TOP has scrap 100%: it must be from 0% to less than 100%"),
    (Bom(item="TOP", components=(line("BOARD", 1, src=2),),
         byproducts=(Byproduct(item="SHAVINGS", quantity=D(0), source=at(2)),), source=at(1)),
     "by-product SHAVINGS of TOP has quantity 0: it must be more than 0"),
    (Bom(item="TOP", components=(line("BOARD", 1, src=2),), labour=D(-1), source=at(2)),
     "the BOM of TOP has labour -1: a cost cannot be negative"),
    (Bom(item="TOP", components=(line("BOARD", 1, src=2),), overhead=D("-0.5"), source=at(2)),
     "the BOM of TOP has overhead -0.5: a cost cannot be negative"),
])
def test_bad_bom_quantity(bom: Bom, message: str) -> None:
    [problem] = check_boms([bom, TABLE, LEG, CHAIR], ITEMS)
    assert (problem.code, problem.source, problem.message) == ("bad-bom-quantity", at(2), message)
    assert problem.hint


def test_scrap_just_below_one_and_zero_labour_are_fine() -> None:
    bom = Bom(item="TOP", components=(line("BOARD", 1, "0.99"),), labour=ZERO, source=at(1))
    assert check_boms([bom, TABLE, LEG, CHAIR], ITEMS) == []


def test_empty_bom() -> None:
    bom = Bom(item="TOP", components=(), source=at(1))
    [problem] = check_boms([bom, TABLE, LEG, CHAIR], ITEMS)
    assert (problem.code, problem.message) == ("empty-bom", "the BOM of TOP has no components")


def test_made_item_without_bom_is_a_warning() -> None:
    [problem] = check_boms([TABLE, TOP, LEG], ITEMS)
    assert problem.code == "made-without-bom"
    assert problem.severity is Severity.WARNING
    assert problem.source == SourceRef("items.yaml", 4)
    assert problem.message == "CHAIR is a made item but has no BOM"


def test_two_item_loop_is_named_whole_once() -> None:
    top = Bom(item="TOP", components=(line("BOARD", "1.8"), line("TABLE", 1)), source=at(5))
    problems = check_boms([TABLE, top, LEG, CHAIR], ITEMS)
    assert codes(problems) == ["bom-cycle"]
    assert problems[0].message == "the BOMs form a loop: TABLE -> TOP -> TABLE"
    assert problems[0].source == at(1)  # TABLE's BOM: the first of the loop in sorted order
    assert problems[0].hint == "remove TABLE from the BOM of TOP, or another line of the loop"


def test_three_item_loop() -> None:
    books = items_of(*(item(c, MADE) for c in "ABC"))
    boms = [Bom(item="C", components=(line("A", 1),), source=at(1)),
            Bom(item="B", components=(line("C", 1),), source=at(2)),
            Bom(item="A", components=(line("B", 1),), source=at(3))]
    [problem] = check_boms(boms, books)
    assert problem.code == "bom-cycle"
    assert problem.message == "the BOMs form a loop: A -> B -> C -> A"
    assert problem.source == at(3)


def test_self_loop() -> None:
    bom = Bom(item="LEG", components=(line("BOARD", 1), line("LEG", 1)), source=at(8))
    [problem] = check_boms([TABLE, TOP, bom, CHAIR], ITEMS)
    assert problem.code == "bom-cycle"
    assert problem.message == "the BOMs form a loop: LEG -> LEG"
    assert problem.hint == "remove LEG from its own BOM"


def test_two_separate_loops_and_a_tangle() -> None:
    books = items_of(*(item(c, MADE) for c in "ABCDXY"))
    boms = [Bom(item="A", components=(line("B", 1), line("C", 1)), source=at(1)),
            Bom(item="B", components=(line("A", 1),), source=at(2)),
            Bom(item="C", components=(line("D", 1),), source=at(3)),
            Bom(item="D", components=(line("A", 1),), source=at(4)),
            Bom(item="X", components=(line("Y", 1),), source=at(5)),
            Bom(item="Y", components=(line("X", 1),), source=at(6))]
    problems = check_boms(boms, books)
    assert [p.message for p in problems] == [
        "the BOMs form a loop: A -> B -> A (also caught in it: C, D)",
        "the BOMs form a loop: X -> Y -> X"]


def test_problems_come_in_reading_order() -> None:
    boms = [Bom(item="TOP", components=(), source=at(9)),
            Bom(item="KIT", components=(line("NOPE", 1, src=3),), source=at(2))]
    problems = check_boms(boms, ITEMS)
    assert [(p.source, p.code) for p in problems] == [
        (at(2), "bom-not-made"), (at(3), "unknown-item"), (at(9), "empty-bom"),
        (SourceRef("items.yaml", 1), "made-without-bom"),
        (SourceRef("items.yaml", 3), "made-without-bom"),
        (SourceRef("items.yaml", 4), "made-without-bom")]
    assert problems == check_boms(boms, ITEMS)


# -- low-level codes -----------------------------------------------------------------------
def test_low_level_codes_of_the_example() -> None:
    # TABLE, CHAIR: no parent. TOP, KIT: under TABLE (0) -> 1. LEG: under TABLE and CHAIR
    # (both 0) -> 1. BOARD: under TOP and LEG (1) -> 2, and under CHAIR (0) -> 1: 2 wins.
    # SHAVINGS is only a by-product: 0. EXTRA is listed but used nowhere: 0.
    assert low_level_codes(BOMS, [*ITEMS, "EXTRA"]) == {
        "TABLE": 0, "TOP": 1, "LEG": 1, "CHAIR": 0, "BOARD": 2, "KIT": 1, "SHAVINGS": 0,
        "EXTRA": 0}


def test_low_level_codes_include_components_not_listed() -> None:
    assert low_level_codes({"LEG": LEG}, []) == {"LEG": 0, "BOARD": 1}


def test_low_level_codes_refuse_a_loop() -> None:
    loop = {"A": Bom(item="A", components=(line("B", 1),)),
            "B": Bom(item="B", components=(line("A", 1),))}
    with pytest.raises(ValueError, match="loop"):
        low_level_codes(loop, [])


# -- explode, requirements, where-used ----------------------------------------------------
def test_explode_the_table() -> None:
    # 10 TABLE: TOP 10 x 1 = 10, its BOARD 10 x 1.8 = 18, its SHAVINGS 10 x 0.2 = 2;
    # LEG 10 x 4 x 1.05 = 42, its BOARD 42 x 0.8 = 33.6; KIT 10 x 1 = 10.
    assert explode(BOMS, "TABLE", D(10)) == [
        TreeLine(level=1, item="TOP", per_parent=D(1), scrap=ZERO, quantity=D(10), has_bom=True),
        TreeLine(level=2, item="BOARD", per_parent=D("1.8"), scrap=ZERO, quantity=D(18)),
        TreeLine(level=2, item="SHAVINGS", per_parent=D("0.2"), scrap=ZERO, quantity=D(2),
                 byproduct=True),
        TreeLine(level=1, item="LEG", per_parent=D(4), scrap=D("0.05"), quantity=D(42),
                 has_bom=True),
        TreeLine(level=2, item="BOARD", per_parent=D("0.8"), scrap=ZERO, quantity=D("33.6")),
        TreeLine(level=1, item="KIT", per_parent=D(1), scrap=ZERO, quantity=D(10)),
    ]


def test_explode_needs_a_bom() -> None:
    with pytest.raises(ValueError, match="BOARD has no BOM"):
        explode(BOMS, "BOARD", D(1))


def test_requirements_of_the_table_and_the_chair() -> None:
    # BOARD for 10 TABLE: 18 through TOP + 33.6 through LEG = 51.6; no SHAVINGS (a by-product)
    assert requirements(BOMS, "TABLE", D(10)) == {
        "BOARD": D("51.6"), "KIT": D(10), "LEG": D(42), "TOP": D(10)}
    # 10 CHAIR: LEG 40, BOARD 40 x 0.8 = 32 through LEG + 10 x 0.5 x 1.1 = 5.5 directly
    assert requirements(BOMS, "CHAIR", D(10)) == {"BOARD": D("37.5"), "LEG": D(40)}
    assert list(requirements(BOMS, "TABLE", D(1))) == ["BOARD", "KIT", "LEG", "TOP"]


def test_requirements_need_a_bom() -> None:
    with pytest.raises(ValueError, match="KIT has no BOM"):
        requirements(BOMS, "KIT", D(1))


def test_where_used_board() -> None:
    # Per unit: LEG 0.8, TOP 1.8, CHAIR 0.5 x 1.1 = 0.55 directly; through LEG: CHAIR
    # 0.8 x 4 = 3.2, TABLE 0.8 x 4 x 1.05 = 3.36; through TOP: TABLE 1.8 x 1 = 1.8.
    assert where_used(BOMS, "BOARD") == [
        UseLine(level=1, parent="CHAIR", quantity=D("0.55"), path=("BOARD", "CHAIR")),
        UseLine(level=1, parent="LEG", quantity=D("0.8"), path=("BOARD", "LEG")),
        UseLine(level=2, parent="CHAIR", quantity=D("3.2"), path=("BOARD", "LEG", "CHAIR")),
        UseLine(level=2, parent="TABLE", quantity=D("3.36"), path=("BOARD", "LEG", "TABLE")),
        UseLine(level=1, parent="TOP", quantity=D("1.8"), path=("BOARD", "TOP")),
        UseLine(level=2, parent="TABLE", quantity=D("1.8"), path=("BOARD", "TOP", "TABLE")),
    ]


def test_where_used_of_an_unused_item_and_of_a_top_item() -> None:
    assert where_used(BOMS, "SHAVINGS") == []
    assert where_used(BOMS, "TABLE") == []


def test_where_used_sums_two_lines_of_one_bom() -> None:
    bom = Bom(item="TOP", components=(line("BOARD", 1), line("BOARD", "0.5", "0.2")))
    # 1 + 0.5 x 1.2 = 1.6
    assert where_used({"TOP": bom}, "BOARD") == [
        UseLine(level=1, parent="TOP", quantity=D("1.6"), path=("BOARD", "TOP"))]


# -- costing -------------------------------------------------------------------------------
def test_rolled_cost_of_the_example() -> None:
    rollups = rolled_cost(BOMS, COSTS)
    # TOP: 1.8 x 10 = 18 + labour 6 - 0.2 x 0.50 = 0.10 of shavings -> 23.90
    top = rollups["TOP"]
    assert (top.materials, top.labour, top.overhead, top.byproducts, top.total) == (
        D(18), D(6), ZERO, D("0.1"), D("23.9"))
    # LEG: 0.8 x 10 = 8 + 2 -> 10
    assert rollups["LEG"].total == D(10)
    # TABLE: TOP 23.90 + LEG 4 x 1.05 x 10 = 42 + KIT 7.50 = 73.40 materials; + 20 + 5 -> 98.40
    table = rollups["TABLE"]
    assert (table.materials, table.total, table.missing) == (D("73.4"), D("98.4"), ())
    # CHAIR: LEG 4 x 10 = 40 + BOARD 0.5 x 1.1 x 10 = 5.5; + 10 -> 55.50
    assert rollups["CHAIR"].total == D("55.5")
    assert set(rollups) == set(BOMS)


def test_rolled_cost_says_what_it_could_not_price() -> None:
    rollups = rolled_cost(BOMS, {"KIT": D("7.50")})
    # No BOARD, no SHAVINGS: TOP = 0 + 6 - 0 = 6; LEG = 2; TABLE = 6 + 4.2 x 2 + 7.5 + 25
    assert rollups["TOP"].missing == ("BOARD", "SHAVINGS")
    assert rollups["LEG"].missing == ("BOARD",)
    assert rollups["TABLE"].missing == ("BOARD", "SHAVINGS")  # those below it count too
    assert rollups["TABLE"].total == D("46.9")


def test_rolled_cost_prefers_the_rolled_cost_of_a_made_component() -> None:
    rollups = rolled_cost(BOMS, {**COSTS, "LEG": D(999)})
    assert rollups["CHAIR"].total == D("55.5")


def test_cost_breakdown_of_the_table() -> None:
    # Per TABLE: TOP 1 x 23.90; its BOARD 1.8 x 10 = 18 (inside TOP's 23.90);
    # LEG 4.2 x 10 = 42; its BOARD 4.2 x 0.8 = 3.36 x 10 = 33.60; KIT 1 x 7.50.
    lines = cost_breakdown(BOMS, "TABLE", COSTS)
    assert lines == [
        CostLine(level=1, item="TOP", quantity=D(1), unit_cost=D("23.9"), cost=D("23.9"),
                 has_bom=True),
        CostLine(level=2, item="BOARD", quantity=D("1.8"), unit_cost=D(10), cost=D(18)),
        CostLine(level=1, item="LEG", quantity=D("4.2"), unit_cost=D(10), cost=D(42),
                 has_bom=True),
        CostLine(level=2, item="BOARD", quantity=D("3.36"), unit_cost=D(10), cost=D("33.6")),
        CostLine(level=1, item="KIT", quantity=D(1), unit_cost=D("7.5"), cost=D("7.5")),
    ]
    # Level 1 (73.40) + labour 20 + overhead 5 - no by-products = 98.40, the rolled total.
    table = rolled_cost(BOMS, COSTS)["TABLE"]
    assert sum(c.cost for c in lines if c.level == 1) + table.labour + table.overhead \
        - table.byproducts == table.total


def test_cost_breakdown_needs_a_bom() -> None:
    with pytest.raises(ValueError, match="no BOM"):
        cost_breakdown(BOMS, "BOARD", COSTS)


# -- size and depth ------------------------------------------------------------------------
def random_dag(size: int, levels: int, seed: int) -> tuple[dict[str, Bom], dict[str, Item]]:
    """``size`` items in ``levels`` bands; each made item uses 1 to 4 items of lower bands."""
    rng = random.Random(seed)
    per_band = size // levels
    bands = [[f"I{band}-{n:05d}" for n in range(per_band)] for band in range(levels)]
    boms = {}
    for band, codes_ in enumerate(bands[:-1]):
        for code in codes_:
            parts = []
            for _ in range(rng.randint(1, 4)):
                below = bands[band + 1] if rng.random() < 0.8 else rng.choice(bands[band + 1:])
                parts.append(BomLine(item=rng.choice(below), quantity=D(rng.randint(1, 40)) / 10,
                                     scrap=D(rng.randint(0, 10)) / 100))
            boms[code] = Bom(item=code, components=tuple(parts), labour=D(rng.randint(0, 9)))
    items = {code: item(code, MADE if code in boms else BOUGHT)
             for band in bands for code in band}
    return boms, items


def test_ten_thousand_items_in_six_levels() -> None:
    boms, items = random_dag(10_002, 6, seed=7)
    assert len(items) == 10_002
    assert check_boms(list(boms.values()), items) == []
    llc = low_level_codes(boms, items)
    assert all(llc[c.item] > llc[parent] for parent, bom in boms.items() for c in bom.components)
    top = "I0-00000"
    needed = requirements(boms, top, D(100))
    assert needed
    costs = {code: D(1) for code in items if code not in boms}
    rollups = rolled_cost(boms, costs)
    assert len(rollups) == len(boms)
    assert all(r.missing == () for r in rollups.values())
    lines = cost_breakdown(boms, top, costs)
    assert sum(c.cost for c in lines if c.level == 1) + rollups[top].labour == rollups[top].total
    assert explode(boms, top, D(1))
    leaf = next(iter(needed.keys() - boms.keys()))
    assert where_used(boms, leaf)


def test_a_chain_deeper_than_the_recursion_limit() -> None:
    depth = 2_000  # Python's recursion limit is 1,000
    boms = {f"L{n}": Bom(item=f"L{n}", components=(line(f"L{n + 1}", 1),), labour=D(1))
            for n in range(depth)}
    items = {f"L{n}": item(f"L{n}", MADE if n < depth else BOUGHT) for n in range(depth + 1)}
    assert check_boms(list(boms.values()), items) == []
    assert low_level_codes(boms, items)[f"L{depth}"] == depth
    assert requirements(boms, "L0", D(3))[f"L{depth}"] == D(3)
    assert len(explode(boms, "L0", D(1))) == depth
    assert len(where_used(boms, f"L{depth}")) == depth
    assert rolled_cost(boms, {f"L{depth}": D(2)})["L0"].total == D(depth + 2)


def test_a_long_loop_is_found_without_recursion() -> None:
    size = 3_000
    boms = [Bom(item=f"L{n:04d}", components=(line(f"L{(n + 1) % size:04d}", 1),))
            for n in range(size)]
    items = {b.item: item(b.item, MADE) for b in boms}
    [problem] = check_boms(boms, items)
    assert problem.message.startswith("the BOMs form a loop: L0000 -> L0001 -> ")
    assert problem.message.endswith(" -> L2999 -> L0000")


# -- properties ----------------------------------------------------------------------------
QUANTITIES = st.decimals(min_value=D("0.001"), max_value=D(50), places=3,
                         allow_nan=False, allow_infinity=False)
SCRAPS = st.decimals(min_value=ZERO, max_value=D("0.5"), places=2,
                     allow_nan=False, allow_infinity=False)


@st.composite
def dags(draw: st.DrawFn) -> dict[str, Bom]:
    """A random BOM graph on items P00..Pnn: an item only uses items after it (no loop)."""
    size = draw(st.integers(min_value=2, max_value=9))
    codes_ = [f"P{n:02d}" for n in range(size)]
    boms = {}
    for n, code in enumerate(codes_[:-1]):
        if n > 0 and draw(st.booleans()) and draw(st.booleans()):
            continue  # a bought item in the middle
        parts = draw(st.lists(st.tuples(st.sampled_from(codes_[n + 1:]), QUANTITIES, SCRAPS),
                              min_size=1, max_size=4))
        byproducts = draw(st.lists(st.tuples(st.sampled_from(codes_), QUANTITIES), max_size=1))
        boms[code] = Bom(item=code,
                         components=tuple(BomLine(item=c, quantity=q, scrap=s)
                                          for c, q, s in parts),
                         byproducts=tuple(Byproduct(item=c, quantity=q) for c, q in byproducts),
                         labour=draw(QUANTITIES), overhead=draw(QUANTITIES))
    return boms


@settings(deadline=None)
@given(dags(), QUANTITIES)
def test_requirements_scale_with_the_quantity(boms: dict[str, Bom], quantity: Decimal) -> None:
    once = requirements(boms, "P00", quantity)
    twice = requirements(boms, "P00", 2 * quantity)
    with exact():
        assert twice == {code: 2 * value for code, value in once.items()}


@settings(deadline=None)
@given(dags(), QUANTITIES)
def test_requirements_are_the_explosion_summed_over_paths(boms: dict[str, Bom],
                                                          quantity: Decimal) -> None:
    needed = requirements(boms, "P00", quantity)
    summed: dict[str, Decimal] = {}
    with exact():
        for tree_line in explode(boms, "P00", quantity):
            if not tree_line.byproduct:
                summed[tree_line.item] = summed.get(tree_line.item, ZERO) + tree_line.quantity
    assert needed == summed


@settings(deadline=None)
@given(dags())
def test_where_used_agrees_with_requirements(boms: dict[str, Bom]) -> None:
    for code, per_top in requirements(boms, "P00", D(1)).items():
        with exact():
            through = sum((u.quantity for u in where_used(boms, code) if u.parent == "P00"), ZERO)
        assert through == per_top


@settings(deadline=None)
@given(dags(), st.dictionaries(st.sampled_from([f"P{n:02d}" for n in range(10)]), QUANTITIES))
def test_a_rolled_cost_adds_up(boms: dict[str, Bom], costs: dict[str, Decimal]) -> None:
    rollups = rolled_cost(boms, costs)
    llc = low_level_codes(boms, [])
    assert all(llc[c.item] > llc[p] for p, bom in boms.items() for c in bom.components)
    for code, rollup in rollups.items():
        lines = [c for c in cost_breakdown(boms, code, costs) if c.level == 1]
        with exact():
            assert rollup.materials == sum((c.cost for c in lines), ZERO)
            assert rollup.total == (rollup.materials + rollup.labour + rollup.overhead
                                    - rollup.byproducts)
        unpriced = {c.item for c in lines if not c.has_bom and c.item not in costs}
        assert unpriced <= set(rollup.missing)


def test_the_walks_refuse_a_loop_instead_of_running_forever() -> None:
    top = Bom(item="TOP", components=(line("BOARD", "1.8"), line("TABLE", 1)))
    boms = {**BOMS, "TOP": top}
    for walk in (lambda: explode(boms, "TABLE", D(1)), lambda: requirements(boms, "TABLE", D(1)),
                 lambda: where_used(boms, "BOARD"), lambda: rolled_cost(boms, COSTS),
                 lambda: cost_breakdown(boms, "TABLE", COSTS)):
        with pytest.raises(ValueError, match="loop"):
            walk()
