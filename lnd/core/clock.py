"""The one place the application reads the time.

Rules never call this: they take `today`/`now` as arguments. Views, services and commands
call `today()`/`now()` here so that tests and demonstrations can fix the date
(`LND_TODAY=2026-09-01` or `clock.freeze(...)`).
"""
from __future__ import annotations

import os
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

_frozen: datetime | None = None


def freeze(moment: datetime | date | None) -> None:
    """Fix the clock (tests); None lets it run again."""
    global _frozen
    if isinstance(moment, date) and not isinstance(moment, datetime):
        moment = datetime.combine(moment, time(9, 0), tzinfo=LONDON)
    _frozen = moment.astimezone(timezone.utc) if moment else None


def now() -> datetime:
    """The current moment, timezone-aware UTC."""
    if _frozen is not None:
        return _frozen
    fixed = os.environ.get("LND_TODAY")
    if fixed:
        return datetime.combine(date.fromisoformat(fixed), time(9, 0), tzinfo=LONDON).astimezone(timezone.utc)
    return datetime.now(timezone.utc)


def today() -> date:
    """Today's date in Europe/London."""
    return now().astimezone(LONDON).date()
