"""Pure rules for the support an NQSW is owed in the ASYE year, computed from the start date:
protected development time (10% of working time, half a day a week for full-time work) and the
supervision cadence (weekly for the first 6 weeks, at least fortnightly to 6 months, monthly after).
No database, no clock."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from lnd.core.dates import add_months

FULL_TIME_HOURS_PER_WEEK = Decimal("37")
PROTECTED_TIME_SHARE = Decimal("0.10")   # 10% of working time: half a day a week for full-time work
SUPERVISION_WEEKLY_WEEKS = 6
SUPERVISION_FORTNIGHTLY_UNTIL_MONTHS = 6


@dataclass(frozen=True)
class ProtectedTime:
    hours_per_week: Decimal
    share: Decimal

    @property
    def text(self) -> str:
        hours = f"{self.hours_per_week.normalize():f}"
        unit = "hour" if self.hours_per_week == 1 else "hours"
        return f"{hours} {unit} a week ({self.share * 100:.0f}% of working time)"


def protected_time(fte) -> ProtectedTime:
    """10% of the hours worked: half a day (3.7 hours) a week for full-time work, pro rata otherwise."""
    hours = FULL_TIME_HOURS_PER_WEEK * Decimal(str(fte)) * PROTECTED_TIME_SHARE
    hours = hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return ProtectedTime(hours, PROTECTED_TIME_SHARE)


WEEKLY = "weekly"
FORTNIGHTLY = "fortnightly"
MONTHLY = "monthly"
CADENCES = {WEEKLY: "Weekly", FORTNIGHTLY: "At least fortnightly", MONTHLY: "Monthly"}


def supervision_cadence_on(start: date, day: date) -> str:
    """Weekly for the first 6 weeks, at least fortnightly to 6 months, monthly after."""
    if day < start + timedelta(weeks=SUPERVISION_WEEKLY_WEEKS):
        return WEEKLY
    if day < add_months(start, SUPERVISION_FORTNIGHTLY_UNTIL_MONTHS):
        return FORTNIGHTLY
    return MONTHLY


def supervision_expected_dates(start: date, end: date) -> list[date]:
    """The dates by which each supervision is expected: one in each of the first 6 weeks, then one
    each fortnight to 6 months (the last on the 6-month day), then one each month to the end."""
    dates = [start + timedelta(weeks=week) for week in range(1, SUPERVISION_WEEKLY_WEEKS + 1)]
    six_months = add_months(start, SUPERVISION_FORTNIGHTLY_UNTIL_MONTHS)
    day = dates[-1] + timedelta(weeks=2)
    while day < six_months:
        dates.append(day)
        day += timedelta(weeks=2)
    dates.append(six_months)
    month = SUPERVISION_FORTNIGHTLY_UNTIL_MONTHS + 1
    # Months counted from the start, so a start on the 31st stays at the month's end.
    while (day := add_months(start, month)) <= end:
        dates.append(day)
        month += 1
    return [d for d in dates if d <= end]


@dataclass(frozen=True)
class ExpectedSupervision:
    due_by: date
    held_on: date | None

    @property
    def met(self) -> bool:
        return self.held_on is not None


def match_supervisions(expected: list[date], held: list[date]) -> list[ExpectedSupervision]:
    """Each expected date paired with the first supervision held after the previous expected date
    and on or before this one; unmatched expected dates are missing."""
    remaining = sorted(held)
    result = []
    previous = date.min
    for due_by in expected:
        match = next((day for day in remaining if previous < day <= due_by), None)
        if match is not None:
            remaining.remove(match)
        result.append(ExpectedSupervision(due_by, match))
        previous = due_by
    return result
