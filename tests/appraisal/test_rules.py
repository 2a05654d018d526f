"""When the next appraisal is due, and how pressing it is: tables of dates."""
from datetime import date

import pytest

from lnd.compliance import appraisal_rules as rules


@pytest.mark.parametrize("last, start, due", [
    (date(2025, 11, 22), date(2019, 1, 14), date(2026, 11, 22)),   # 12 months after the last
    (None, date(2026, 3, 2), date(2027, 3, 2)),                     # never appraised: 12 months after starting
    (date(2024, 2, 29), None, date(2025, 2, 28)),                   # leap day: the last day of February
    (date(2025, 8, 31), date(2020, 1, 1), date(2026, 8, 31)),
    (None, date(2026, 11, 7), date(2027, 11, 7)),                   # started on a Saturday: counted all the same
    (date(2023, 1, 31), date(2022, 1, 31), date(2024, 1, 31)),      # the last appraisal wins over the start date
    (None, None, None),                                             # nothing to count from
])
def test_next_due_on(last, start, due):
    assert rules.next_due_on(last, start) == due


TODAY = date(2026, 11, 22)


@pytest.mark.parametrize("last, start, leaving, kind, due, days", [
    (date(2025, 11, 21), None, None, rules.OVERDUE, date(2026, 11, 21), 1),
    (date(2025, 11, 22), None, None, rules.DUE_SOON, date(2026, 11, 22), 0),     # due today: not yet overdue
    (date(2025, 12, 20), None, None, rules.DUE_SOON, date(2026, 12, 20), 28),    # 28 days ahead: due soon
    (date(2025, 12, 21), None, None, rules.NOT_DUE, date(2026, 12, 21), 29),     # 29 days ahead: up to date
    (None, date(2021, 6, 1), None, rules.OVERDUE, date(2022, 6, 1), 1635),       # never appraised since 2021
    (None, date(2026, 11, 9), None, rules.NOT_DUE, date(2027, 11, 9), 352),      # a new starter
    (None, None, None, rules.NO_DATE, None, None),
    (date(2024, 1, 1), None, date(2026, 7, 31), rules.NOT_APPLICABLE, date(2025, 1, 1), None),   # has left
    (date(2024, 1, 1), None, date(2026, 11, 22), rules.OVERDUE, date(2025, 1, 1), 690),          # leaves today
])
def test_appraisal_status(last, start, leaving, kind, due, days):
    status = rules.appraisal_status(last, start, TODAY, leaving)
    assert (status.kind, status.due_on, status.days) == (kind, due, days)
    assert status.label and status.tag_class and status.detail


def test_details_say_what_a_person_checks():
    assert rules.appraisal_status(date(2025, 10, 1), None, TODAY).detail == "Was due by 1 October 2026 (7 weeks overdue)"
    assert rules.appraisal_status(date(2025, 12, 1), None, TODAY).detail == "Due by 1 December 2026"
    assert rules.appraisal_status(date(2025, 11, 20), None, TODAY).detail == "Was due by 20 November 2026 (2 days overdue)"


def test_most_pressing_first_puts_the_longest_overdue_at_the_top():
    statuses = [rules.appraisal_status(last, start, TODAY) for last, start in (
        (date(2026, 1, 1), None), (None, None), (date(2025, 1, 1), None), (date(2025, 12, 1), None),
        (date(2025, 11, 1), None))]
    ordered = sorted(statuses, key=rules.most_pressing_first)
    assert [s.kind for s in ordered] == [rules.OVERDUE, rules.OVERDUE, rules.NO_DATE, rules.DUE_SOON, rules.NOT_DUE]
    assert ordered[0].due_on == date(2026, 1, 1)


@pytest.mark.parametrize("held_on, start, problem", [
    (TODAY, date(2020, 1, 1), None),
    (date(2026, 11, 23), None, "The date of the appraisal must be today or in the past"),
    (date(1999, 12, 31), None, "The date of the appraisal must be in 2000 or later"),
    (date(2026, 1, 4), date(2026, 1, 5), "The date of the appraisal must be on or after their start date, 5 January 2026"),
    (date(2026, 1, 5), date(2026, 1, 5), None),
])
def test_held_on_problem(held_on, start, problem):
    assert rules.held_on_problem(held_on, TODAY, start) == problem
