"""Stored moments read back from the database: naive times and SQLite's text are UTC, and the day
that counts is the day in Europe/London."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from lnd.core.clock import LONDON, as_utc, london_date


@pytest.mark.parametrize("moment, day", [
    (datetime(2026, 6, 30, 23, 30, tzinfo=timezone.utc), date(2026, 7, 1)),   # British Summer Time
    (datetime(2026, 6, 30, 23, 30), date(2026, 7, 1)),                        # naive: UTC
    ("2026-06-30 23:30:00.000000", date(2026, 7, 1)),                         # SQLite's min()/max()
    ("2026-06-30T22:59:59+00:00", date(2026, 6, 30)),
    (datetime(2026, 12, 31, 23, 30), date(2026, 12, 31)),                     # GMT
    (datetime(2026, 7, 1, 0, 30, tzinfo=LONDON), date(2026, 7, 1)),
])
def test_the_london_day_of_a_stored_moment(moment, day):
    assert london_date(moment) == day


def test_as_utc_gives_naive_times_their_zone_and_leaves_the_rest():
    assert as_utc(None) is None
    assert as_utc(datetime(2026, 1, 2, 3, 4)) == datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)
    aware = datetime(2026, 1, 2, 3, 4, tzinfo=timezone(timedelta(hours=1)))
    assert as_utc(aware) is aware
