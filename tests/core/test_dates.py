from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lnd.core.dates import Period, add_months, add_period
from lnd.core.workdays import add_working_days, is_working_day, working_days_between


@pytest.mark.parametrize("start, months, expected", [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),     # month end clamps
    (date(2024, 1, 31), 1, date(2024, 2, 29)),     # leap year
    (date(2023, 8, 31), 6, date(2024, 2, 29)),     # 6-month induction from 31 August, leap year
    (date(2025, 8, 31), 6, date(2026, 2, 28)),
    (date(2026, 11, 9), 6, date(2027, 5, 9)),
    (date(2026, 12, 15), 1, date(2027, 1, 15)),    # year boundary
    (date(2024, 2, 29), 12, date(2025, 2, 28)),    # leap day + 1 year
    (date(2024, 2, 29), 48, date(2028, 2, 29)),
    (date(2026, 3, 31), -1, date(2026, 2, 28)),
])
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize("text, start, expected", [
    ("4 weeks", date(2026, 11, 9), date(2026, 12, 7)),
    ("4 weeks", date(2026, 11, 7), date(2026, 12, 5)),    # a Saturday start counts from the Saturday
    ("6 months", date(2026, 11, 9), date(2027, 5, 9)),
    ("3 years", date(2024, 2, 29), date(2027, 2, 28)),
    ("1 year", date(2026, 1, 1), date(2027, 1, 1)),
    ("10 days", date(2026, 12, 25), date(2027, 1, 4)),
])
def test_period_after(text, start, expected):
    assert Period.parse(text).after(start) == expected


@pytest.mark.parametrize("bad", ["four weeks", "4", "4 fortnights", "-1 days", ""])
def test_period_parse_refuses_nonsense(bad):
    with pytest.raises(ValueError):
        Period.parse(bad)


def test_period_reads_back():
    assert str(Period.parse("1 weeks")) == "1 week"
    assert str(Period(6, "months")) == "6 months"


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), st.integers(0, 600))
def test_adding_months_never_overshoots_the_target_month(start, months):
    result = add_period(start, months, "months")
    assert (result.year - start.year) * 12 + result.month - start.month == months
    assert result.day <= start.day


@pytest.mark.parametrize("day, working", [
    (date(2026, 11, 23), True),    # Monday
    (date(2026, 11, 21), False),   # Saturday
    (date(2026, 12, 25), False),   # Christmas Day
    (date(2026, 12, 28), False),   # Boxing Day substitute (26th is a Saturday)
    (date(2026, 8, 31), False),    # Summer bank holiday (England)
    (date(2026, 8, 3), True),      # Scotland's summer holiday is not England's
    (date(2026, 3, 17), True),     # St Patrick's Day is Northern Ireland only
    (date(2026, 4, 3), False),     # Good Friday
    (date(2026, 4, 6), False),     # Easter Monday
])
def test_working_days_follow_england(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize("start, count, expected", [
    (date(2026, 11, 20), 1, date(2026, 11, 23)),   # Friday + 1 = Monday
    (date(2026, 12, 24), 1, date(2026, 12, 29)),   # over Christmas and the Boxing Day substitute
    (date(2026, 12, 3), -2, date(2026, 12, 1)),    # 2 working days before a Thursday
    (date(2026, 11, 23), -2, date(2026, 11, 19)),  # 2 working days before a Monday
    (date(2026, 11, 23), 0, date(2026, 11, 23)),
])
def test_add_working_days(start, count, expected):
    assert add_working_days(start, count) == expected


def test_working_days_between_is_antisymmetric():
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 24)) == 2
    assert working_days_between(date(2026, 11, 24), date(2026, 11, 20)) == -2
