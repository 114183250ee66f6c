"""Running balances by day per (account, commodity): any period's change in two look-ups.

Built once from the daily movements (and kept in the load cache), so that a report over
any period, on a book of any size, costs a binary search per account instead of a pass
over every posting. Totals stay as written (``str``) until a report needs them.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bizcli.core.ledger.balances import Movement
from bizcli.core.money import ZERO

Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class BalanceIndex:
    """For each (account, commodity): the days it moved and its running total after each."""

    keys: tuple[Key, ...] = ()
    dates: tuple[Sequence[int], ...] = ()
    """Ordinals of the days with movements, ascending, one sequence per key."""
    totals: tuple[Sequence[str | Decimal], ...] = ()
    """Running total at the end of each of those days."""

    @classmethod
    def from_movements(cls, movements: Iterable[Movement]) -> BalanceIndex:
        """Build the index from daily movements in date order."""
        running: dict[Key, tuple[list[int], list[Decimal]]] = {}
        for date, account, commodity, quantity in movements:
            days, totals = running.setdefault((account, commodity), ([], []))
            days.append(date.toordinal())
            totals.append((totals[-1] if totals else ZERO) + quantity)
        keys = tuple(sorted(running))
        return cls(keys=keys, dates=tuple(running[k][0] for k in keys),
                   totals=tuple(running[k][1] for k in keys))

    def with_movements(self, movements: Iterable[Movement]) -> BalanceIndex:
        """The index with more daily movements added, on any dates (for a few entries).

        Each movement adds to its day's running total and every later one; a day or a
        key not yet in the index is inserted in its place.
        """
        keys, dates, totals = list(self.keys), list(self.dates), list(self.totals)
        where = {key: i for i, key in enumerate(keys)}
        for date, account, commodity, quantity in movements:
            key, day = (account, commodity), date.toordinal()
            i = where.get(key)
            if i is None:
                at = bisect_left(keys, key)
                keys.insert(at, key)
                dates.insert(at, [])
                totals.insert(at, [])
                where = {k: n for n, k in enumerate(keys)}
                i = at
            days, running = list(dates[i]), list(totals[i])
            at = bisect_left(days, day)
            if at == len(days) or days[at] != day:
                days.insert(at, day)
                running.insert(at, Decimal(running[at - 1]) if at else ZERO)
            running[at:] = [Decimal(t) + quantity for t in running[at:]]
            dates[i], totals[i] = days, running
        return BalanceIndex(keys=tuple(keys), dates=tuple(dates), totals=tuple(totals))

    def total_before(self, i: int, day: dt.date | None) -> Decimal:
        """Running total of key number ``i`` at the end of the day before ``day``."""
        if day is None:
            return ZERO
        at = bisect_left(self.dates[i], day.toordinal()) - 1
        return ZERO if at < 0 else Decimal(self.totals[i][at])

    def between(self, start: dt.date | None, end: dt.date | None) -> dict[Key, Decimal]:
        """Change of every (account, commodity) with start <= date < end (None: open)."""
        out: dict[Key, Decimal] = {}
        for i, key in enumerate(self.keys):
            last = Decimal(self.totals[i][-1]) if end is None or (
                self.dates[i][-1] < end.toordinal()) else self.total_before(i, end)
            change = last - self.total_before(i, start)
            if change:
                out[key] = change
        return out

    def select(self, keep: Callable[[str], bool]) -> BalanceIndex:
        """The index of the accounts ``keep`` accepts."""
        chosen = [i for i, (account, _) in enumerate(self.keys) if keep(account)]
        return BalanceIndex(keys=tuple(self.keys[i] for i in chosen),
                            dates=tuple(self.dates[i] for i in chosen),
                            totals=tuple(self.totals[i] for i in chosen))

    def daily_changes(self, keep: Callable[[str], bool], commodity: str
                      ) -> dict[dt.date, Decimal]:
        """Per day, the change of the accounts ``keep`` accepts, in one commodity."""
        out: dict[dt.date, Decimal] = {}
        for i, (account, held) in enumerate(self.keys):
            if held != commodity or not keep(account):
                continue
            previous = ZERO
            for day, total in zip(self.dates[i], self.totals[i], strict=True):
                current = Decimal(total)
                date = dt.date.fromordinal(day)
                out[date] = out.get(date, ZERO) + current - previous
                previous = current
        return out

    def first_date(self) -> dt.date | None:
        """The earliest day with a movement."""
        days = [d[0] for d in self.dates if d]
        return dt.date.fromordinal(min(days)) if days else None

    def last_date(self) -> dt.date | None:
        """The latest day with a movement."""
        days = [d[-1] for d in self.dates if d]
        return dt.date.fromordinal(max(days)) if days else None

    def commodities(self) -> set[str]:
        """Every commodity that moved."""
        return {commodity for _, commodity in self.keys}
