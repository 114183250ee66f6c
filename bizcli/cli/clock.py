"""The one source of "today" for the whole program: ``BIZ_TODAY`` or the system date."""

from __future__ import annotations

import datetime as dt
import os

from bizcli.core.problems import fail


def today() -> dt.date:
    """Today's date; tests and scripts pin it with ``BIZ_TODAY=YYYY-MM-DD``."""
    pinned = os.environ.get("BIZ_TODAY")
    if not pinned:
        return dt.date.today()  # noqa: DTZ011 - the local calendar day is what users mean
    try:
        return dt.date.fromisoformat(pinned)
    except ValueError:
        raise fail("bad-date", f"BIZ_TODAY={pinned!r} is not a date",
                   hint="set it as YYYY-MM-DD or unset it") from None


def now() -> dt.datetime:
    """The time of day, to the minute: ``BIZ_NOW=YYYY-MM-DDTHH:MM`` pins it.

    Without it, today's date (``BIZ_TODAY`` when set) at the system's time of day.
    """
    pinned = os.environ.get("BIZ_NOW")
    if pinned:
        try:
            return dt.datetime.fromisoformat(pinned).replace(second=0, microsecond=0)
        except ValueError:
            raise fail("bad-date", f"BIZ_NOW={pinned!r} is not a time",
                       hint="set it as YYYY-MM-DDTHH:MM or unset it") from None
    local = dt.datetime.now()  # noqa: DTZ005 - the local wall clock is what users mean
    return dt.datetime.combine(today(), local.time()).replace(second=0, microsecond=0)


def day_of(text: str | None, option: str | None = None) -> dt.date:
    """A date typed on the command line (today when none); ``option`` names it in errors."""
    from bizcli.core.periods import PeriodError, parse_date

    try:
        return parse_date(text, today=today()) if text else today()
    except PeriodError as err:
        where = f"{option}: " if option else ""
        raise fail("bad-date", f"{where}{err}", hint="write the date as YYYY-MM-DD") from None
