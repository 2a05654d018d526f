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


def as_utc(moment: datetime | None) -> datetime | None:
    """A stored time with its zone: SQLite hands back stored UTC times without one (naive = UTC)."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment


def london_date(moment: datetime | str) -> date:
    """The day a stored moment falls on in Europe/London. Naive times are UTC (as SQLite returns
    them), and so is text (SQLite returns aggregates of timestamps, such as min(), as text)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return as_utc(moment).astimezone(LONDON).date()
