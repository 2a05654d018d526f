from datetime import date

import pytest

from lnd.compliance import rules
from lnd.core.dates import Period

FOUR_WEEKS = Period(4, "weeks")
SIX_MONTHS = Period(6, "months")
THREE_YEARS = Period(3, "years")


@pytest.mark.parametrize("start, window, counted_from, expected", [
    (date(2026, 11, 9), FOUR_WEEKS, None, date(2026, 12, 7)),
    (date(2026, 11, 7), FOUR_WEEKS, None, date(2026, 12, 5)),      # started on a Saturday
    (date(2026, 8, 31), SIX_MONTHS, None, date(2027, 2, 28)),      # month end
    (date(2027, 8, 31), SIX_MONTHS, None, date(2028, 2, 29)),      # into a leap February
    (date(2024, 2, 29), THREE_YEARS, None, date(2027, 2, 28)),
    # already in post when the rule began: counted from the rule's start
    (date(2015, 4, 7), THREE_YEARS, date(2025, 4, 1), date(2028, 4, 1)),
    # started after the rule began: counted from the start date
    (date(2026, 1, 5), THREE_YEARS, date(2025, 4, 1), date(2029, 1, 5)),
])
def test_window_due_date(start, window, counted_from, expected):
    assert rules.window_due_date(start, window, counted_from) == expected


TODAY = date(2026, 11, 22)


@pytest.mark.parametrize("due, completed, leaving, kind, days", [
    (date(2026, 12, 7), None, None, rules.DUE, 15),
    (date(2026, 12, 6), None, None, rules.DUE_SOON, 14),     # exactly 14 days: due soon
    (date(2026, 11, 22), None, None, rules.DUE_SOON, 0),     # due today is not yet overdue
    (date(2026, 11, 21), None, None, rules.OVERDUE, 1),
    (date(2026, 10, 1), None, None, rules.OVERDUE, 52),
    (date(2026, 10, 1), date(2026, 10, 20), None, rules.COMPLETED, None),   # late completion still completes
    (date(2026, 10, 1), None, date(2026, 9, 30), rules.NOT_APPLICABLE, None),  # a leaver
    (date(2026, 12, 1), None, date(2026, 12, 31), rules.DUE_SOON, 9),       # leaving later: still due
])
def test_requirement_status(due, completed, leaving, kind, days):
    status = rules.requirement_status(due, completed, TODAY, leaving)
    assert status.kind == kind
    assert status.days == days


def test_status_detail_reads_as_a_sentence():
    assert rules.requirement_status(date(2026, 11, 1), None, TODAY).detail == "Was due by 1 November 2026 (3 weeks overdue)"
    assert rules.requirement_status(date(2026, 11, 21), None, TODAY).detail == "Was due by 21 November 2026 (1 day overdue)"
    assert rules.requirement_status(date(2026, 12, 7), None, TODAY).detail == "Due by 7 December 2026"
    assert rules.requirement_status(date(2026, 12, 7), date(2026, 11, 2), TODAY).detail == "Completed on 2 November 2026"


def test_progress_ignores_not_applicable():
    statuses = [rules.Status(rules.COMPLETED), rules.Status(rules.DUE), rules.Status(rules.NOT_APPLICABLE)]
    assert rules.progress(statuses) == (1, 2)
