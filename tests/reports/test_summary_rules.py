"""The pure rules of the summary reports: when a person is compliant with a window, how a figure
reads, calendar months, and who is still waiting for a course."""
from __future__ import annotations

from datetime import date

import pytest

from lnd.compliance.rules import (
    BOOKED, COMPLETED, DUE, DUE_SOON, EXEMPT, EXPIRED, NOT_APPLICABLE, OVERDUE, Status,
)
from lnd.reports import summary_rules as rules


done = Status(COMPLETED, due_on=date(2026, 1, 1), completed_on=date(2025, 12, 1))
due = Status(DUE, due_on=date(2026, 9, 1), days=63)
soon = Status(DUE_SOON, due_on=date(2026, 7, 5), days=5)
late = Status(OVERDUE, due_on=date(2026, 6, 1), days=29)
lapsed = Status(EXPIRED, due_on=date(2026, 6, 1), completed_on=date(2023, 6, 1), days=29)
booked_in_time = Status(BOOKED, due_on=date(2026, 9, 1), booked_on=date(2026, 8, 1))
booked_late = Status(BOOKED, due_on=date(2026, 6, 1), booked_on=date(2026, 7, 10), days=29)
exempt = Status(EXEMPT, due_on=date(2026, 6, 1), reason="Qualified elsewhere")
left = Status(NOT_APPLICABLE, due_on=date(2026, 6, 1))


@pytest.mark.parametrize("statuses, compliant", [
    ([], None),                               # nothing applies: not counted
    ([left, left], None),                     # only not-applicable items: not counted
    ([done], True),
    ([done, due, soon], True),                # not yet due is not overdue
    ([exempt], True),
    ([booked_in_time], True),
    ([done, late], False),
    ([done, lapsed], False),                  # expired counts as overdue
    ([booked_late], False),                   # booked, but past the due date
    ([late, left], False),
    ([done, left], True),
])
def test_the_compliant_rule(statuses, compliant):
    assert rules.is_compliant(statuses) is compliant


def test_figures_add_up_people_compliant_and_overdue_items():
    figures = rules.Figures()
    figures.add([done, late, lapsed])
    figures.add([done, due])
    figures.add([left])
    figures.add([])
    assert (figures.people, figures.compliant, figures.overdue) == (2, 1, 2)
    assert figures.percent == 50 and figures.text == "50% (1 of 2)"
    assert rules.Figures().percent is None and rules.Figures().text == "Nobody counted"
    assert rules.percent_text(None) == "No snapshot"
    assert rules.Figures(3, 2, 1).percent == 67


@pytest.mark.parametrize("day, start, end", [
    (date(2026, 2, 14), date(2026, 2, 1), date(2026, 2, 28)),
    (date(2024, 2, 29), date(2024, 2, 1), date(2024, 2, 29)),
    (date(2026, 12, 31), date(2026, 12, 1), date(2026, 12, 31)),
])
def test_month_start_and_end(day, start, end):
    assert (rules.month_start(day), rules.month_end(day)) == (start, end)


def test_the_last_twelve_months_end_with_this_one():
    months = rules.last_months(date(2026, 11, 22))
    assert len(months) == 12
    assert months[0] == date(2025, 12, 1) and months[-1] == date(2026, 11, 1)
    assert rules.months_before(date(2026, 1, 15), 2) == [date(2025, 11, 1), date(2025, 12, 1)]


@pytest.mark.parametrize("month, today, as_at", [
    (date(2026, 10, 1), date(2026, 11, 22), date(2026, 10, 31)),
    (date(2026, 11, 1), date(2026, 11, 22), date(2026, 11, 22)),   # the month in progress: today
    (date(2025, 2, 1), date(2026, 11, 22), date(2025, 2, 28)),
])
def test_as_at_for_a_month(month, today, as_at):
    assert rules.as_at_for(month, today) == as_at


def test_a_month_to_come_has_no_figures():
    with pytest.raises(ValueError, match="has not begun"):
        rules.as_at_for(date(2026, 12, 1), date(2026, 11, 22))


@pytest.mark.parametrize("text, month", [("2026-03", date(2026, 3, 1)), (" 2025-12 ", date(2025, 12, 1))])
def test_parse_month(text, month):
    assert rules.parse_month(text) == month


@pytest.mark.parametrize("text", ["2026-13", "March", "2026", ""])
def test_parse_month_explains_bad_input(text):
    with pytest.raises(ValueError, match="YYYY-MM"):
        rules.parse_month(text)


@pytest.mark.parametrize("waitlisted_for, last_completed, waiting", [
    (date(2026, 3, 1), None, True),
    (date(2026, 3, 1), date(2024, 5, 1), True),      # done long before: wants it again
    (date(2026, 3, 1), date(2026, 3, 1), False),     # completed that day (e-learning, another session)
    (date(2026, 3, 1), date(2026, 6, 1), False),
])
def test_still_waiting(waitlisted_for, last_completed, waiting):
    assert rules.still_waiting(waitlisted_for, last_completed) is waiting


@pytest.mark.parametrize("part, whole, expected", [(0, 0, None), (5, 10, 50), (2, 3, 67), (12, 12, 100)])
def test_rate(part, whole, expected):
    assert rules.rate(part, whole) == expected
