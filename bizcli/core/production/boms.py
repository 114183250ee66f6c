"""Bills of materials: what one unit of a made item consumes, and what it yields besides.

A BOM lists components with a quantity per unit of the parent and a scrap allowance
(``5%`` means 1.05 units are issued for every unit the parent needs), optional
by-products (received when the parent is made), and a labour and an overhead cost per
unit made. Components may be made items with their own BOM: the BOMs of a book form a
directed graph, which must have no cycle.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext

from bizcli.core.codes import closest
from bizcli.core.money import ZERO
from bizcli.core.problems import Problem, Severity, sorted_problems
from bizcli.core.source import SourceRef
from bizcli.core.stock.items import Item, ItemKind


@dataclass(frozen=True, slots=True, kw_only=True)
class BomLine:
    """A component: ``quantity`` per unit of the parent, ``scrap`` as a fraction (0.05)."""

    item: str
    quantity: Decimal
    scrap: Decimal = ZERO
    source: SourceRef | None = field(default=None, compare=False)

    @property
    def gross(self) -> Decimal:
        """Quantity issued per unit of the parent: the quantity grossed up for scrap."""
        return self.quantity * (1 + self.scrap)


@dataclass(frozen=True, slots=True, kw_only=True)
class Byproduct:
    """Something else a unit of the parent yields (offcuts, shavings), per unit made."""

    item: str
    quantity: Decimal
    source: SourceRef | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class Bom:
    """The bill of materials of one made item."""

    item: str
    components: tuple[BomLine, ...]
    byproducts: tuple[Byproduct, ...] = ()
    labour: Decimal = ZERO
    """Labour cost per unit made, in the book's currency."""
    overhead: Decimal = ZERO
    """Overhead cost per unit made, in the book's currency."""
    source: SourceRef | None = field(default=None, compare=False)


Boms = Mapping[str, Bom]
"""BOMs by the code of the item they make."""


@dataclass(frozen=True, slots=True, kw_only=True)
class TreeLine:
    """One line of an exploded BOM: a component (or a by-product) at some level."""

    level: int
    """1 for a component of the top item, 2 for a component of that, and so on."""
    item: str
    per_parent: Decimal
    """The line's quantity per unit of its parent, before scrap."""
    scrap: Decimal
    quantity: Decimal
    """What the top item's quantity needs in all (or yields, for a by-product)."""
    byproduct: bool = False
    has_bom: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class UseLine:
    """One BOM that uses an item, directly (level 1) or through sub-assemblies."""

    level: int
    parent: str
    quantity: Decimal
    """Gross quantity of the item per unit of ``parent``, through ``path``."""
    path: tuple[str, ...]
    """Codes from the item up to ``parent``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Rollup:
    """The cost of one unit of a made item, rolled up from its components."""

    item: str
    materials: Decimal
    labour: Decimal
    overhead: Decimal
    byproducts: Decimal
    """The credit for the by-products, positive: it is taken off the total."""
    total: Decimal
    missing: tuple[str, ...] = ()
    """Items below this one, at any level, with no unit cost: counted as 0."""


@dataclass(frozen=True, slots=True, kw_only=True)
class CostLine:
    """One component in the cost of one unit of a made item."""

    level: int
    item: str
    quantity: Decimal
    """Gross quantity per unit of the top item, through the path."""
    unit_cost: Decimal
    """The rolled-up cost for a sub-assembly, else the unit cost given (0 if none)."""
    cost: Decimal
    has_bom: bool = False


ONE = Decimal(1)
HUNDRED = Decimal(100)


def _exact() -> AbstractContextManager[Context]:
    """A decimal context that never rounds a sum or a product (deep BOMs need digits)."""
    return localcontext(Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN))


def _percent(fraction: Decimal) -> str:
    """``0.05`` -> ``5%``."""
    return f"{(fraction * HUNDRED).normalize():f}%"


def _unknown(what: str, code: str, items: Mapping[str, Item],
             source: SourceRef | None) -> Problem:
    """``what`` (which names ``code``) is not in items.yaml; the closest code suggested."""
    return Problem(code="unknown-item", source=source,
                   message=f"{what} is not in items.yaml{closest(code, items)}",
                   hint="add it to items.yaml or fix the code")


def _bad_quantity(message: str, hint: str, source: SourceRef | None) -> Problem:
    return Problem(code="bad-bom-quantity", source=source, message=message, hint=hint)


def _check_parent(bom: Bom, items: Mapping[str, Item]) -> list[Problem]:
    """The BOM's own item, its components list, its labour and overhead."""
    problems = []
    parent = items.get(bom.item)
    if parent is None:
        problems.append(_unknown(f"the BOM's item {bom.item!r}", bom.item, items, bom.source))
    elif parent.kind is not ItemKind.MADE:
        problems.append(Problem(
            code="bom-not-made", source=bom.source,
            message=f"{bom.item} has a BOM but is a {parent.kind.value} item, not a made one",
            hint="set kind: made in items.yaml"))
    if not bom.components:
        problems.append(Problem(
            code="empty-bom", source=bom.source,
            message=f"the BOM of {bom.item} has no components",
            hint=f"list what one {bom.item} uses under components, or remove the BOM"))
    problems.extend(
        _bad_quantity(f"the BOM of {bom.item} has {what} {value}: a cost cannot be negative",
                      f"write the {what} cost of one {bom.item}, 0 or more", bom.source)
        for what, value in (("labour", bom.labour), ("overhead", bom.overhead)) if value < 0)
    return problems


def _check_line(bom: Bom, line: BomLine | Byproduct, items: Mapping[str, Item]
                ) -> list[Problem]:
    """One component or by-product: a known, stocked item, in a quantity that can be."""
    problems = []
    source = line.source or bom.source
    role = "component" if isinstance(line, BomLine) else "by-product"
    item = items.get(line.item)
    if item is None:
        problems.append(_unknown(f"{role} {line.item!r} of {bom.item}", line.item, items,
                                 source))
    elif item.kind is ItemKind.SERVICE:
        problems.append(Problem(
            code="bom-service-item", source=source,
            message=f"{role} {line.item} of {bom.item} is a service item: it has no stock",
            hint="use a stocked item, or count the service in the BOM's labour or overhead"))
    if line.quantity <= 0:
        problems.append(_bad_quantity(
            f"{role} {line.item} of {bom.item} has quantity {line.quantity}: it must be "
            "more than 0", f"write how much of it one {bom.item} "
            f"{'uses' if role == 'component' else 'yields'}, or remove the line", source))
    if isinstance(line, BomLine) and not 0 <= line.scrap < 1:
        problems.append(_bad_quantity(
            f"component {line.item} of {bom.item} has scrap {_percent(line.scrap)}: it must "
            "be from 0% to less than 100%", "write the share of the component lost in "
            "making, as a percentage below 100", source))
    return problems


def _loops(boms: Mapping[str, Bom]) -> list[Problem]:
    """One ``bom-cycle`` per tangle of BOMs (a strongly connected set), naming a loop.

    The loop named is the shortest through the tangle's first item in sorted order, and
    the problem is at that item's BOM.
    """
    graph = {code: sorted({line.item for line in bom.components if line.item in boms})
             for code, bom in boms.items()}
    return [_loop_problem(boms, graph, set(tangle)) for tangle in _tangles(graph)
            if len(tangle) > 1 or tangle[0] in graph[tangle[0]]]


def _tangles(graph: Mapping[str, list[str]]) -> list[list[str]]:
    """The strongly connected sets of ``graph``: Tarjan's algorithm, without recursion."""
    tarjan = _Tarjan(graph)
    for root in sorted(graph):
        if root not in tarjan.index:
            tarjan.search(root)
    return tarjan.tangles


class _Tarjan:
    """The state of Tarjan's search: an explicit stack of nodes and their children left."""

    def __init__(self, graph: Mapping[str, list[str]]) -> None:
        self.graph = graph
        self.index: dict[str, int] = {}
        self.low: dict[str, int] = {}
        self.stack: list[str] = []
        self.on_stack: set[str] = set()
        self.work: list[tuple[str, Iterator[str]]] = []
        self.tangles: list[list[str]] = []

    def search(self, root: str) -> None:
        """Every node reachable from ``root`` not yet seen."""
        self.visit(root)
        while self.work:
            node, children = self.work[-1]
            for child in children:
                if child not in self.index:
                    self.visit(child)
                    break
                if child in self.on_stack:
                    self.low[node] = min(self.low[node], self.index[child])
            else:
                self.finish(node)

    def visit(self, node: str) -> None:
        """Number ``node`` and put it on both stacks."""
        self.index[node] = self.low[node] = len(self.index)
        self.stack.append(node)
        self.on_stack.add(node)
        self.work.append((node, iter(self.graph[node])))

    def finish(self, node: str) -> None:
        """All of ``node``'s children are seen: pass its low link up, close its set."""
        self.work.pop()
        if self.work:
            up = self.work[-1][0]
            self.low[up] = min(self.low[up], self.low[node])
        if self.low[node] == self.index[node]:
            tangle = [self.stack.pop()]
            while tangle[-1] != node:
                tangle.append(self.stack.pop())
            self.on_stack.difference_update(tangle)
            self.tangles.append(tangle)


def _loop_problem(boms: Mapping[str, Bom], graph: Mapping[str, list[str]],
                  tangle: set[str]) -> Problem:
    """The shortest loop from the tangle's first item back to itself (breadth-first)."""
    start = min(tangle)
    before: dict[str, str] = {}
    queue = deque([start])
    last = start
    while queue:
        node = queue.popleft()
        if start in graph[node]:
            last = node
            break
        for child in graph[node]:
            if child in tangle and child not in before and child != start:
                before[child] = node
                queue.append(child)
    loop = [start]
    node = last
    while node != start:
        loop.append(node)
        node = before[node]
    loop = [start, *reversed(loop[1:]), start]
    others = sorted(tangle - set(loop))
    also = f" (also caught in it: {', '.join(others)})" if others else ""
    hint = (f"remove {start} from its own BOM" if last == start
            else f"remove {start} from the BOM of {last}, or another line of the loop")
    return Problem(code="bom-cycle", source=boms[start].source, hint=hint,
                   message=f"the BOMs form a loop: {' -> '.join(loop)}{also}")


def check_boms(boms: Sequence[Bom], items: Mapping[str, Item]) -> list[Problem]:
    """Every BOM makes a known made item, once, from known stocked items, with no loop.

    Also a warning for each made item with no BOM, once the book has BOMs at all (a
    book that does not plan production keeps made items without them). Problems come in
    reading order (file, line, code); a second BOM for an item is checked on its own but
    left out of the search for loops, which uses the first.
    """
    problems: list[Problem] = []
    first: dict[str, Bom] = {}
    for bom in boms:
        if bom.item in first:
            where = first[bom.item].source
            problems.append(Problem(
                code="duplicate-bom", source=bom.source,
                message=f"{bom.item} has a second BOM",
                hint=f"keep one BOM per item (the first is at {where})" if where
                else "keep one BOM per item"))
        else:
            first[bom.item] = bom
        problems.extend(_check_parent(bom, items))
        for line in _lines(bom):
            problems.extend(_check_line(bom, line, items))
    problems.extend(
        Problem(code="made-without-bom", source=item.source, severity=Severity.WARNING,
                message=f"{code} is a made item but has no BOM",
                hint="add its BOM to boms.yaml, or set another kind in items.yaml")
        for code, item in items.items()
        if first and item.kind is ItemKind.MADE and code not in first)
    problems.extend(_loops(first))
    return sorted_problems(problems)


def low_level_codes(boms: Mapping[str, Bom], items: Iterable[str]) -> dict[str, int]:
    """Each item's low-level code: the deepest level at which any BOM uses it.

    0 for an item no BOM uses as a component, else 1 + the largest code of the parents
    that use it. Every code in ``items``, every BOM's item and every component is in the
    result. Kahn's algorithm, in linear time; it assumes the BOMs have no loop
    (``check_boms`` reports them) and raises ``ValueError`` if they have one.
    """
    codes = dict.fromkeys(items, 0)
    children: dict[str, list[str]] = {}
    parents: dict[str, int] = {}
    for parent, bom in boms.items():
        codes.setdefault(parent, 0)
        kids = list(dict.fromkeys(line.item for line in bom.components))
        children[parent] = kids
        for kid in kids:
            codes.setdefault(kid, 0)
            parents[kid] = parents.get(kid, 0) + 1
    ready = [code for code in codes if code not in parents]
    done = 0
    while ready:
        code = ready.pop()
        done += 1
        for kid in children.get(code, ()):
            codes[kid] = max(codes[kid], codes[code] + 1)
            parents[kid] -= 1
            if parents[kid] == 0:
                ready.append(kid)
    if done < len(codes):
        stuck = sorted(code for code, left in parents.items() if left)
        raise ValueError(f"the BOMs form a loop through {', '.join(stuck[:5])}")
    return codes


def _lines(bom: Bom) -> tuple[BomLine | Byproduct, ...]:
    """A BOM's components, then its by-products."""
    return (*bom.components, *bom.byproducts)


def _bom(boms: Mapping[str, Bom], item: str) -> Bom:
    bom = boms.get(item)
    if bom is None:
        raise ValueError(f"{item} has no BOM")
    return bom


def explode(boms: Mapping[str, Bom], item: str, quantity: Decimal) -> list[TreeLine]:
    """The tree of what ``quantity`` units of ``item`` need, depth-first in BOM order.

    Each component is followed by its own components when it has a BOM; a BOM's
    by-products follow its components, at the same level, and are not exploded. A line's
    quantity is its parent's times the line's gross quantity (with scrap); a by-product's
    is its parent's times the by-product's quantity. Raises ``ValueError`` if ``item``
    has no BOM or the BOMs below it loop.
    """
    lines: list[TreeLine] = []
    with _exact():
        path = [item]
        on_path = {item}
        frames = [(iter(_lines(_bom(boms, item))), quantity)]
        while frames:
            children, total = frames[-1]
            level = len(frames)
            child = next(children, None)
            if child is None:
                frames.pop()
                on_path.discard(path.pop())
            elif isinstance(child, Byproduct):
                lines.append(TreeLine(level=level, item=child.item, per_parent=child.quantity,
                                      scrap=ZERO, quantity=total * child.quantity,
                                      byproduct=True, has_bom=child.item in boms))
            else:
                need = total * child.gross
                sub = boms.get(child.item)
                lines.append(TreeLine(level=level, item=child.item, per_parent=child.quantity,
                                      scrap=child.scrap, quantity=need, has_bom=sub is not None))
                if sub is not None:
                    if child.item in on_path:
                        raise ValueError(f"the BOMs form a loop through {child.item}")
                    path.append(child.item)
                    on_path.add(child.item)
                    frames.append((iter(_lines(sub)), need))
    return lines


def _below(boms: Mapping[str, Bom], item: str) -> dict[str, Bom]:
    """The BOMs of ``item`` and of every made item below it."""
    found = {item: _bom(boms, item)}
    todo = [item]
    while todo:
        for line in found[todo.pop()].components:
            sub = boms.get(line.item)
            if sub is not None and line.item not in found:
                found[line.item] = sub
                todo.append(line.item)
    return found


def requirements(boms: Mapping[str, Bom], item: str, quantity: Decimal) -> dict[str, Decimal]:
    """The gross quantity of every component below ``item`` that ``quantity`` units need.

    Sub-assemblies count in full and so do their components, summed over every path.
    Items are taken in low-level-code order, so each passes its total down once (linear
    in the BOM lines below ``item``, even when sub-assemblies are shared). By-products
    are not requirements. Sorted by code. Raises ``ValueError`` if ``item`` has no BOM
    or the BOMs below it loop.
    """
    below = _below(boms, item)
    codes = low_level_codes(below, ())
    gross = dict.fromkeys(codes, ZERO)
    gross[item] = quantity
    with _exact():
        for code in sorted(codes, key=codes.__getitem__):
            bom = below.get(code)
            if bom is not None:
                for line in bom.components:
                    gross[line.item] += gross[code] * line.gross
    return {code: gross[code] for code in sorted(gross) if code != item}


def where_used(boms: Mapping[str, Bom], item: str) -> list[UseLine]:
    """Every BOM that uses ``item``, through every path upward.

    Level 1 is a BOM listing ``item`` itself; level 2 a BOM listing one of those, and so
    on. Found breadth-first, then sorted by path, so each use follows the one it goes
    through. Two lines of the same component in one BOM count together. Raises
    ``ValueError`` if the BOMs above ``item`` loop.
    """
    users: dict[str, dict[str, Decimal]] = {}
    uses: list[UseLine] = []
    with _exact():
        for parent, bom in boms.items():
            for line in bom.components:
                per = users.setdefault(line.item, {})
                per[parent] = per.get(parent, ZERO) + line.gross
        queue: deque[tuple[tuple[str, ...], Decimal]] = deque([((item,), ONE)])
        while queue:
            path, per_unit = queue.popleft()
            for parent, gross in users.get(path[-1], {}).items():
                if parent in path:
                    raise ValueError(f"the BOMs form a loop through {parent}")
                use = UseLine(level=len(path), parent=parent, quantity=per_unit * gross,
                              path=(*path, parent))
                uses.append(use)
                queue.append((use.path, use.quantity))
    uses.sort(key=lambda use: use.path)
    return uses


def rolled_cost(boms: Mapping[str, Bom], unit_costs: Mapping[str, Decimal]
                ) -> dict[str, Rollup]:
    """The unit cost of every item with a BOM, rolled up from the bottom.

    Materials are each component's gross quantity (with scrap) times its unit cost: its
    own rolled-up total if it has a BOM, else ``unit_costs``. Labour and overhead are
    added, and the by-products, valued at ``unit_costs``, are credited. A component or
    by-product with no unit cost counts as 0 and is listed in ``missing``, with those
    missing below a sub-assembly. Items are costed once each, deepest low-level code
    first. Raises ``ValueError`` if the BOMs loop.
    """
    codes = low_level_codes(boms, ())
    rollups: dict[str, Rollup] = {}
    with _exact():
        for code in sorted(boms, key=lambda c: -codes[c]):
            bom = boms[code]
            missing: set[str] = set()
            materials = ZERO
            for line in bom.components:
                sub = rollups.get(line.item)
                if sub is not None:
                    cost = sub.total
                    missing.update(sub.missing)
                else:
                    cost = unit_costs.get(line.item, ZERO)
                    if line.item not in unit_costs:
                        missing.add(line.item)
                materials += line.gross * cost
            credit = ZERO
            for byproduct in bom.byproducts:
                credit += byproduct.quantity * unit_costs.get(byproduct.item, ZERO)
                if byproduct.item not in unit_costs:
                    missing.add(byproduct.item)
            rollups[code] = Rollup(
                item=code, materials=materials, labour=bom.labour, overhead=bom.overhead,
                byproducts=credit, total=materials + bom.labour + bom.overhead - credit,
                missing=tuple(sorted(missing)))
    return {code: rollups[code] for code in boms}


def cost_breakdown(boms: Mapping[str, Bom], item: str, unit_costs: Mapping[str, Decimal]
                   ) -> list[CostLine]:
    """The components of one unit of ``item`` with their cost, level by level (a tree).

    A sub-assembly's unit cost is its rolled-up total (``rolled_cost``), so the lines
    below it are already inside it: the level-1 costs, plus the top item's labour and
    overhead, less its by-product credit, make its total. By-products are not listed.
    Raises ``ValueError`` if ``item`` has no BOM or the BOMs below it loop.
    """
    below = _below(boms, item)
    rollups = rolled_cost(below, unit_costs)
    lines = []
    with _exact():
        for line in explode(below, item, ONE):
            if line.byproduct:
                continue
            rollup = rollups.get(line.item)
            unit_cost = rollup.total if rollup else unit_costs.get(line.item, ZERO)
            lines.append(CostLine(level=line.level, item=line.item, quantity=line.quantity,
                                  unit_cost=unit_cost, cost=line.quantity * unit_cost,
                                  has_bom=line.has_bom))
    return lines
