"""The supervision rules as tables of dates: the cadence (NQSW, ASYE, everyone else, a shorter
agreed interval), next due and overdue, late recording across weekends and England bank holidays,
signing states, annual review and observation of practice."""
from __future__ import annotations

from datetime import date

import pytest

from lnd.supervision import rules
from lnd.supervision.rules import (
    AT_LEAST_MONTHLY, FORTNIGHTLY_AS_NQSW, FORTNIGHTLY_ON_ASYE, MONTHLY_ON_ASYE, WEEKLY_AS_NQSW,
)

D = date
QUALIFIED = D(2026, 9, 7)   # an NQSW's first day (a Monday); 6 weeks later: 19 October; 6 months: 7 March 2027


@pytest.mark.parametrize("on_day, newly_qualified, on_asye, qualified_on, expected", [
    # everyone else: at least monthly
    (D(2026, 11, 23), False, False, None, AT_LEAST_MONTHLY),
    (D(2026, 11, 23), False, False, QUALIFIED, AT_LEAST_MONTHLY),
    # newly qualified, not on the ASYE: weekly for 6 weeks, then fortnightly for good
    (D(2026, 9, 7), True, False, QUALIFIED, WEEKLY_AS_NQSW),
    (D(2026, 10, 18), True, False, QUALIFIED, WEEKLY_AS_NQSW),       # last day of week 6
    (D(2026, 10, 19), True, False, QUALIFIED, FORTNIGHTLY_AS_NQSW),  # 6 weeks to the day
    (D(2027, 6, 1), True, False, QUALIFIED, FORTNIGHTLY_AS_NQSW),
    # on the ASYE: weekly for 6 weeks, fortnightly to 6 months, monthly after
    (D(2026, 10, 18), True, True, QUALIFIED, WEEKLY_AS_NQSW),
    (D(2026, 10, 19), True, True, QUALIFIED, FORTNIGHTLY_ON_ASYE),
    (D(2027, 3, 6), True, True, QUALIFIED, FORTNIGHTLY_ON_ASYE),
    (D(2027, 3, 7), True, True, QUALIFIED, MONTHLY_ON_ASYE),
    (D(2027, 8, 30), True, True, QUALIFIED, MONTHLY_ON_ASYE),
    (D(2026, 11, 23), False, True, QUALIFIED, FORTNIGHTLY_ON_ASYE),  # an ASYE agreement is enough
    # before they start (or with no start date known): weekly
    (D(2026, 9, 1), True, True, QUALIFIED, WEEKLY_AS_NQSW),
    (D(2026, 12, 1), True, True, None, WEEKLY_AS_NQSW),
])
def test_required_cadence(on_day, newly_qualified, on_asye, qualified_on, expected):
    assert rules.required_cadence(on_day, newly_qualified=newly_qualified, on_asye=on_asye,
                                  qualified_on=qualified_on) == expected


START = D(2026, 9, 1)


@pytest.mark.parametrize("today, starts_on, last_held_on, frequency, nqsw, asye, next_due, overdue_days, interval", [
    # everyone else: a month after the last one, or after the start when none is held yet
    (D(2026, 9, 20), START, None, "monthly", False, False, D(2026, 10, 1), 0, "at least monthly"),
    (D(2026, 10, 2), START, None, "monthly", False, False, D(2026, 10, 1), 1, "at least monthly"),
    (D(2026, 11, 23), START, D(2026, 10, 29), "monthly", False, False, D(2026, 11, 29), 0, "at least monthly"),
    (D(2026, 11, 23), START, D(2026, 9, 29), "monthly", False, False, D(2026, 10, 29), 25, "at least monthly"),
    (D(2026, 11, 23), START, D(2026, 10, 31), "monthly", False, False, D(2026, 11, 30), 0, "at least monthly"),
    (D(2027, 3, 1), START, D(2027, 1, 31), "monthly", False, False, D(2027, 2, 28), 1, "at least monthly"),
    # a shorter interval in the agreement wins; a longer one cannot (no "every 6 weeks")
    (D(2026, 11, 23), START, D(2026, 11, 2), "fortnightly", False, False, D(2026, 11, 16), 7,
     "fortnightly, as agreed"),
    (D(2026, 11, 23), START, D(2026, 11, 20), "weekly", False, False, D(2026, 11, 27), 0, "weekly, as agreed"),
    (D(2026, 11, 23), START, D(2026, 10, 30), "four_weekly", False, False, D(2026, 11, 27), 0,
     "every 4 weeks, as agreed"),
    (D(2026, 11, 23), START, D(2026, 11, 2), None, False, False, D(2026, 12, 2), 0, "at least monthly"),
    # a session held before this agreement started (under an earlier one) counts from the start
    (D(2026, 9, 20), START, D(2026, 8, 10), "monthly", False, False, D(2026, 10, 1), 0, "at least monthly"),
    # newly qualified: weekly in the first 6 weeks, then fortnightly
    (D(2026, 9, 10), QUALIFIED, None, "monthly", True, False, D(2026, 9, 14), 0,
     "weekly for the first 6 weeks as a newly qualified social worker"),
    (D(2026, 10, 21), QUALIFIED, D(2026, 10, 12), "monthly", True, False, D(2026, 10, 19), 2,
     "weekly for the first 6 weeks as a newly qualified social worker"),
    (D(2026, 10, 21), QUALIFIED, D(2026, 10, 19), "monthly", True, False, D(2026, 11, 2), 0,
     "at least fortnightly as a newly qualified social worker"),
    (D(2027, 6, 20), QUALIFIED, D(2027, 6, 1), "monthly", True, False, D(2027, 6, 15), 5,
     "at least fortnightly as a newly qualified social worker"),
    # on the ASYE: fortnightly to 6 months, then monthly; a weekly agreement still applies
    (D(2026, 11, 23), QUALIFIED, D(2026, 11, 16), "monthly", True, True, D(2026, 11, 30), 0,
     "at least fortnightly for the first 6 months of the ASYE"),
    (D(2027, 3, 25), QUALIFIED, D(2027, 3, 6), "monthly", True, True, D(2027, 3, 20), 5,
     "at least fortnightly for the first 6 months of the ASYE"),
    (D(2027, 3, 25), QUALIFIED, D(2027, 3, 7), "monthly", True, True, D(2027, 4, 7), 0,
     "at least monthly after the first 6 months of the ASYE"),
    (D(2027, 3, 25), QUALIFIED, D(2027, 3, 7), "weekly", True, True, D(2027, 3, 14), 11, "weekly, as agreed"),
])
def test_supervision_due(today, starts_on, last_held_on, frequency, nqsw, asye, next_due, overdue_days, interval):
    due = rules.supervision_due(today=today, starts_on=starts_on, last_held_on=last_held_on, frequency=frequency,
                                newly_qualified=nqsw, on_asye=asye, qualified_on=QUALIFIED if nqsw or asye else None)
    assert (due.next_due, due.overdue_days, due.interval) == (next_due, overdue_days, interval)
    assert due.overdue == (overdue_days > 0)
    assert due.days_left == (next_due - today).days


@pytest.mark.parametrize("today, state, overdue_by", [
    (D(2026, 11, 1), "on_track", ""),
    (D(2026, 11, 8), "on_track", ""),
    (D(2026, 11, 9), "due_soon", ""),      # 7 days before
    (D(2026, 11, 16), "due_soon", ""),     # the due date itself
    (D(2026, 11, 17), "overdue", "1 day"),
    (D(2026, 11, 29), "overdue", "13 days"),
    (D(2026, 11, 30), "overdue", "2 weeks"),
    (D(2027, 1, 15), "overdue", "8 weeks"),
    (D(2027, 1, 16), "overdue", "2 months"),
])
def test_due_states(today, state, overdue_by):
    due = rules.supervision_due(today=today, starts_on=START, last_held_on=D(2026, 10, 16), frequency="monthly")
    assert due.next_due == D(2026, 11, 16)
    assert (due.state, due.overdue_by) == (state, overdue_by)


@pytest.mark.parametrize("days, words", [
    (1, "1 day"), (2, "2 days"), (13, "13 days"), (14, "2 weeks"), (24, "3 weeks"), (60, "8 weeks"),
    (61, "2 months"), (400, "13 months"),
])
def test_describe_days(days, words):
    assert rules.describe_days(days) == words


# ---------------------------------------------------------------------------------------------
# Late recording: more than one working day after the session (weekends and England bank holidays
# do not count). 2026's bank holidays here: Good Friday 3 April, Easter Monday 6 April, 31 August,
# Christmas Day 25 December and Boxing Day's substitute, Monday 28 December.
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("held_on, recorded_on, late", [
    (D(2026, 11, 23), D(2026, 11, 23), False),   # Monday, same day
    (D(2026, 11, 23), D(2026, 11, 24), False),   # the next working day
    (D(2026, 11, 23), D(2026, 11, 25), True),    # two working days later
    (D(2026, 11, 20), D(2026, 11, 22), False),   # Friday, recorded on the Sunday
    (D(2026, 11, 20), D(2026, 11, 23), False),   # Friday, recorded on the Monday
    (D(2026, 11, 20), D(2026, 11, 24), True),    # Friday, recorded on the Tuesday
    (D(2026, 11, 21), D(2026, 11, 23), False),   # held on a Saturday, recorded Monday
    (D(2026, 11, 21), D(2026, 11, 24), True),
    (D(2026, 4, 2), D(2026, 4, 7), False),       # Thursday before Easter: Tuesday is the next working day
    (D(2026, 4, 2), D(2026, 4, 8), True),
    (D(2026, 8, 28), D(2026, 9, 1), False),      # Friday before the August bank holiday
    (D(2026, 8, 28), D(2026, 9, 2), True),
    (D(2026, 12, 24), D(2026, 12, 29), False),   # Christmas Eve: 25th and 28th are bank holidays
    (D(2026, 12, 24), D(2026, 12, 30), True),
])
def test_recorded_late(held_on, recorded_on, late):
    assert rules.recorded_late(held_on, recorded_on) is late


@pytest.mark.parametrize("held_on, deadline", [
    (D(2026, 11, 23), D(2026, 11, 24)),
    (D(2026, 11, 20), D(2026, 11, 23)),
    (D(2026, 11, 21), D(2026, 11, 23)),
    (D(2026, 4, 2), D(2026, 4, 7)),
    (D(2026, 12, 24), D(2026, 12, 29)),
])
def test_recording_deadline_is_the_last_day_on_time(held_on, deadline):
    assert rules.recording_deadline(held_on) == deadline
    assert not rules.recorded_late(held_on, deadline)


# ---------------------------------------------------------------------------------------------
# Signing and review
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("supervisor, supervisee, ended, state", [
    (False, False, False, rules.AWAITING_BOTH),
    (True, False, False, rules.AWAITING_SUPERVISEE),
    (False, True, False, rules.AWAITING_SUPERVISOR),
    (True, True, False, rules.IN_FORCE),
    (True, True, True, rules.ENDED),
    (False, False, True, rules.ENDED),
])
def test_agreement_is_in_force_only_once_both_have_signed(supervisor, supervisee, ended, state):
    assert rules.agreement_state(supervisor_signed=supervisor, supervisee_signed=supervisee, ended=ended) == state


@pytest.mark.parametrize("today, state", [
    (D(2027, 8, 3), rules.REVIEW_NOT_DUE),
    (D(2027, 8, 4), rules.REVIEW_DUE),      # 4 weeks before
    (D(2027, 9, 1), rules.REVIEW_DUE),
    (D(2027, 9, 2), rules.REVIEW_OVERDUE),
])
def test_review_state(today, state):
    assert rules.review_state(D(2027, 9, 1), today) == state


@pytest.mark.parametrize("starts_on, review, problem", [
    (None, None, ("starts_on", "Enter the date the agreement starts")),
    (D(2026, 9, 1), D(2026, 9, 1), ("review_due_on", "The review date must be after the start date")),
    (D(2026, 9, 1), D(2027, 9, 2), ("review_due_on", "The agreement must be reviewed within 12 months of its start")),
    (D(2026, 9, 1), D(2027, 9, 1), None),
    (D(2026, 9, 1), D(2027, 3, 1), None),
    (D(2026, 9, 1), None, None),
])
def test_agreement_problem(starts_on, review, problem):
    assert rules.agreement_problem(starts_on=starts_on, review_due_on=review) == problem


def test_default_review_is_a_year_on():
    assert rules.default_review_date(D(2026, 9, 1)) == D(2027, 9, 1)
    assert rules.default_review_date(D(2028, 2, 29)) == D(2029, 2, 28)


@pytest.mark.parametrize("last_observed_on, today, due_on, overdue", [
    (None, D(2027, 9, 1), D(2027, 9, 1), False),
    (None, D(2027, 9, 2), D(2027, 9, 1), True),
    (D(2026, 10, 1), D(2027, 9, 2), D(2027, 10, 1), False),
    (D(2026, 10, 1), D(2027, 10, 2), D(2027, 10, 1), True),
    (D(2026, 3, 1), D(2026, 11, 23), D(2027, 9, 1), False),   # before this agreement: counts from its start
])
def test_observation_of_practice_at_least_once_a_year(last_observed_on, today, due_on, overdue):
    observation = rules.observation_due(starts_on=D(2026, 9, 1), last_observed_on=last_observed_on, today=today)
    assert (observation.due_on, observation.overdue) == (due_on, overdue)


# ---------------------------------------------------------------------------------------------
# What a record needs
# ---------------------------------------------------------------------------------------------

TODAY = D(2026, 11, 23)


@pytest.mark.parametrize("held_on, minutes, agenda, discussion, problem", [
    (None, 60, ["wellbeing"], "x", ("held_on", "Enter the date the supervision was held")),
    (D(2026, 11, 24), 60, ["wellbeing"], "x",
     ("held_on", "The date the supervision was held must be today or in the past")),
    (TODAY, None, ["wellbeing"], "x", ("duration_minutes", "Enter how long the supervision lasts, in minutes")),
    (TODAY, 10, ["wellbeing"], "x",
     ("duration_minutes", "The length must be between 15 minutes and 8 hours (480 minutes)")),
    (TODAY, 481, ["wellbeing"], "x",
     ("duration_minutes", "The length must be between 15 minutes and 8 hours (480 minutes)")),
    (TODAY, 60, [], "x", ("agenda", "Select at least one area the supervision covered")),
    (TODAY, 60, ["gossip"], "x", ("agenda", "Select the areas from the list")),
    (TODAY, 60, ["wellbeing"], "  ", ("discussion", "Enter what was discussed")),
    (TODAY, 15, ["wellbeing", "standards"], "x", None),
    (TODAY, 480, list(rules.AGENDA_AREAS), "x", None),
])
def test_record_problem(held_on, minutes, agenda, discussion, problem):
    assert rules.record_problem(held_on=held_on, today=TODAY, duration_minutes=minutes, agenda=agenda,
                                discussion=discussion) == problem
