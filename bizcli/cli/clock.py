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
