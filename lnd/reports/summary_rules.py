"""Pure rules behind the OD summary reports: when a person counts as compliant with a window, how
figures add up, calendar months, and who is still waiting for a course. No database, no clock."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from lnd.compliance.rules import NOT_APPLICABLE
from lnd.core.dates import add_months

# The rule, as the compliance summary states it on the page.
COMPLIANT_RULE = ("A person is compliant with a window when none of its required courses is overdue or "
                  "expired. People with no applicable courses in a window are not counted in it.")


# ---------------------------------------------------------------------------------------------
# Compliance with a window
# ---------------------------------------------------------------------------------------------

def is_applicable(status) -> bool:
    return status.kind != NOT_APPLICABLE


def is_compliant(statuses) -> bool | None:
    """The compliance rule for one person and one window: None when nothing in the window applies to
    them (they are not counted), otherwise True when none of the applicable items is overdue.
    For a past day, the statuses are worked out as at that day (lnd.compliance.queries counts only
    what had been recorded by then), so the same rule serves a month end."""
    applicable = [s for s in statuses if is_applicable(s)]
    if not applicable:
        return None
    return not any(s.is_overdue for s in applicable)


def overdue_items(statuses) -> int:
    return sum(1 for s in statuses if is_applicable(s) and s.is_overdue)


@dataclass
class Figures:
    """One window's figures for a team (or the whole service): people counted, of whom compliant,
    and overdue items among them."""

    people: int = 0
    compliant: int = 0
    overdue: int = 0

    @property
    def percent(self) -> int | None:
        """Per cent compliant, rounded; None when nobody is counted (not 100%: there is nothing to show)."""
        return round(100 * self.compliant / self.people) if self.people else None

    @property
    def not_compliant(self) -> int:
        return self.people - self.compliant

    @property
    def text(self) -> str:
        """'80% (8 of 10)', as the tables show it."""
        if not self.people:
            return "Nobody counted"
        return f"{self.percent}% ({self.compliant} of {self.people})"

    def add(self, statuses) -> None:
        verdict = is_compliant(statuses)
        if verdict is None:
            return
        self.people += 1
        self.compliant += int(verdict)
        self.overdue += overdue_items(statuses)

    def __iadd__(self, other: "Figures") -> "Figures":
        self.people += other.people
        self.compliant += other.compliant
        self.overdue += other.overdue
        return self


def percent_text(figures: Figures | None) -> str:
    if figures is None:
        return "No snapshot"
    if figures.percent is None:
        return "Nobody counted"
    return f"{figures.percent}%"


# ---------------------------------------------------------------------------------------------
# Calendar months
# ---------------------------------------------------------------------------------------------

def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_before(month: date, count: int) -> list[date]:
    """The `count` months before `month` (first days), oldest first."""
    first = month_start(month)
    return [add_months(first, -n) for n in range(count, 0, -1)]


def last_months(today: date, count: int = 12) -> list[date]:
    """The `count` months up to and including today's, oldest first."""
    return months_before(today, count - 1) + [month_start(today)]


def parse_month(text: str) -> date:
    """'2026-03' -> 1 March 2026; a ValueError with a sentence otherwise."""
    try:
        year, month = (int(part) for part in text.strip().split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        raise ValueError(f"{text!r} is not a month: write it as YYYY-MM, for example 2026-03.") from None


def as_at_for(month: date, today: date) -> date:
    """The day a month's figures are worked out as at: its last day, or today for the month in progress."""
    if month_start(month) > month_start(today):
        raise ValueError(f"{month:%B %Y} has not begun yet.")
    return min(month_end(month), today)


def month_label(month: date) -> str:
    return f"{month:%B %Y}"


def short_month_label(month: date) -> str:
    return f"{month:%b %y}"


# ---------------------------------------------------------------------------------------------
# Courses and sessions
# ---------------------------------------------------------------------------------------------

def rate(part: int, whole: int) -> int | None:
    """A whole-number percentage, None when there is nothing to divide by."""
    return round(100 * part / whole) if whole else None


def still_waiting(waitlisted_for: date, last_completed: date | None) -> bool:
    """Someone on the waiting list for a session (on `waitlisted_for`) that has gone by or is full is
    still waiting unless they have completed the course since (on that day or later)."""
    return last_completed is None or last_completed < waitlisted_for
