"""Protected development time and the supervision cadence, computed from the start date."""
from datetime import date as d
from decimal import Decimal

import pytest

from lnd.asye import support_rules as rules


@pytest.mark.parametrize("fte, hours, text", [
    (Decimal("1.00"), Decimal("3.7"), "3.7 hours a week (10% of working time)"),   # half a day of 37 hours
    (Decimal("0.8"), Decimal("3.0"), "3 hours a week (10% of working time)"),
    (Decimal("0.6"), Decimal("2.2"), "2.2 hours a week (10% of working time)"),
    (Decimal("0.5"), Decimal("1.9"), "1.9 hours a week (10% of working time)"),    # 1.85 rounds up
    (Decimal("0.27"), Decimal("1.0"), "1 hour a week (10% of working time)"),
])
def test_protected_time_is_ten_percent_of_working_time(fte, hours, text):
    protected = rules.protected_time(fte)
    assert protected.hours_per_week == hours
    assert protected.text == text


@pytest.mark.parametrize("day, cadence", [
    (d(2026, 9, 7), rules.WEEKLY),
    (d(2026, 10, 18), rules.WEEKLY),        # the last day of week 6
    (d(2026, 10, 19), rules.FORTNIGHTLY),
    (d(2027, 3, 6), rules.FORTNIGHTLY),
    (d(2027, 3, 7), rules.MONTHLY),         # 6 months on
    (d(2027, 9, 1), rules.MONTHLY),
])
def test_cadence_on_a_day(day, cadence):
    assert rules.supervision_cadence_on(d(2026, 9, 7), day) == cadence


def test_expected_supervision_dates_weekly_then_fortnightly_then_monthly():
    dates = rules.supervision_expected_dates(d(2026, 9, 7), d(2027, 9, 7))
    assert dates[:6] == [d(2026, 9, 14), d(2026, 9, 21), d(2026, 9, 28), d(2026, 10, 5), d(2026, 10, 12),
                         d(2026, 10, 19)]
    assert dates[6:16] == [d(2026, 11, 2), d(2026, 11, 16), d(2026, 11, 30), d(2026, 12, 14), d(2026, 12, 28),
                           d(2027, 1, 11), d(2027, 1, 25), d(2027, 2, 8), d(2027, 2, 22), d(2027, 3, 7)]
    assert dates[16:] == [d(2027, 4, 7), d(2027, 5, 7), d(2027, 6, 7), d(2027, 7, 7), d(2027, 8, 7), d(2027, 9, 7)]


def test_a_start_at_the_end_of_august_keeps_month_ends_through_a_leap_february():
    dates = rules.supervision_expected_dates(d(2027, 8, 31), d(2028, 8, 31))
    assert d(2028, 2, 29) in dates                       # 6 months on, clamped to the leap day
    monthly = [day for day in dates if day > d(2028, 2, 29)]
    assert monthly == [d(2028, 3, 31), d(2028, 4, 30), d(2028, 5, 31), d(2028, 6, 30), d(2028, 7, 31),
                       d(2028, 8, 31)]


def test_an_extended_year_has_more_monthly_supervision():
    normal = rules.supervision_expected_dates(d(2026, 9, 7), d(2027, 9, 7))
    extended = rules.supervision_expected_dates(d(2026, 9, 7), d(2027, 12, 7))
    assert extended[:len(normal)] == normal
    assert extended[len(normal):] == [d(2027, 10, 7), d(2027, 11, 7), d(2027, 12, 7)]


def test_recorded_supervision_is_matched_to_the_expected_dates():
    expected = [d(2026, 9, 14), d(2026, 9, 21), d(2026, 9, 28)]
    held = [d(2026, 9, 10), d(2026, 9, 11), d(2026, 9, 25)]
    matched = rules.match_supervisions(expected, held)
    assert [(m.due_by, m.held_on, m.met) for m in matched] == [
        (d(2026, 9, 14), d(2026, 9, 10), True),
        (d(2026, 9, 21), None, False),          # the second meeting in week 1 does not cover week 2
        (d(2026, 9, 28), d(2026, 9, 25), True),
    ]
