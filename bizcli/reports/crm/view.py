"""What a CRM report looks at: the deals chosen by owner and source, on a day, in a period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from bizcli.core.crm.book import Crm
from bizcli.core.crm.deals import Deal
from bizcli.core.money import default_precision, round_half_up
from bizcli.core.periods import Period
from bizcli.reports.selection import ALL_TIME


@dataclass(frozen=True, slots=True, kw_only=True)
class CrmView:
    """The CRM, the report options, and how to show money.

    ``as_of`` is the day deals are judged at (open or closed, which stage): the
    history after it is ignored. ``period`` picks dates in reports that have them.
    """

    crm: Crm
    as_of: dt.date
    period: Period = ALL_TIME
    owner: str | None = None
    source: str | None = None
    currency: str = ""
    precisions: Mapping[str, int] = field(default_factory=dict)

    def deals(self) -> list[Deal]:
        """The deals of the chosen owner and source that exist on the as-of day."""
        owner, source, day = self.owner, self.source, self.as_of
        return [d for d in self.crm.deals
                if d.history[0].date <= day and (owner is None or d.owner == owner)
                and (source is None or d.source == source)]

    def cell(self, amounts: Mapping[str, Decimal]) -> dict[str, Decimal]:
        """``money`` rounded at this view's precisions."""
        return money(amounts, self.precisions)

    def label(self) -> str:
        """The options in words, for titles."""
        parts = [f"as of {self.as_of}"]
        if self.period.start is not None or self.period.end is not None:
            parts.insert(0, self.period.label)
        if self.owner:
            parts.append(f"owner {self.owner}")
        if self.source:
            parts.append(f"source {self.source}")
        return ", ".join(parts)

    def in_period(self, day: dt.date | None) -> bool:
        """Whether a day falls in the period (no day: only when there is no period)."""
        if day is None:
            return self.period.start is None and self.period.end is None
        return self.period.contains(day)


def money(amounts: Mapping[str, Decimal], precisions: Mapping[str, int] | None = None
          ) -> dict[str, Decimal]:
    """A report cell for amounts per currency (zero currencies dropped, sorted).

    With ``precisions``, each amount is rounded half up to its currency's places: the
    one rounding of a CRM figure, when it is printed (the sums before it are exact).
    """
    if precisions is None:
        return {c: q for c, q in sorted(amounts.items()) if q}
    rounded = {c: round_half_up(q, precisions.get(c, default_precision(c)))
               for c, q in sorted(amounts.items())}
    return {c: q for c, q in rounded.items() if q}


def add(total: dict[str, Decimal], currency: str, amount: Decimal) -> None:
    """Add an amount in a currency into a per-currency total."""
    total[currency] = total.get(currency, Decimal(0)) + amount


def one_place(value: Decimal | None) -> Decimal | None:
    """A percentage or a mean of days as printed: to one decimal place, half up."""
    return None if value is None else round_half_up(value, 1)
