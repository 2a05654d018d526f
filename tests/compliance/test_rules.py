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


# --- renewals, bookings, exemptions -------------------------------------------------------------

@pytest.mark.parametrize("completed, booked, kind, due, days", [
    (date(2023, 12, 6), None, rules.DUE_SOON, date(2026, 12, 6), 14),         # renew within 14 days
    (date(2024, 1, 10), None, rules.COMPLETED, date(2026, 10, 1), None),
    (date(2023, 12, 7), None, rules.COMPLETED, date(2026, 10, 1), None),      # 15 days left: not yet
    (date(2023, 11, 22), None, rules.DUE_SOON, date(2026, 11, 22), 0),       # last day to renew
    (date(2023, 11, 21), None, rules.EXPIRED, date(2026, 11, 21), 1),        # lapsed yesterday
    (date(2023, 10, 1), None, rules.EXPIRED, date(2026, 10, 1), 52),
    (date(2023, 10, 1), date(2026, 12, 3), rules.BOOKED, date(2026, 10, 1), 52),  # booked to renew, late
    (date(2023, 12, 1), date(2026, 11, 30), rules.BOOKED, date(2026, 12, 1), None),
    (date(2024, 2, 29), None, rules.COMPLETED, date(2026, 10, 1), None),     # lapses 28 Feb 2027
])
def test_renewal(completed, booked, kind, due, days):
    status = rules.requirement_status(date(2026, 10, 1), completed, TODAY, renewal=THREE_YEARS, booked_on=booked)
    assert status.kind == kind
    assert status.due_on == due
    assert status.days == days


def test_a_leap_day_completion_lapses_at_the_end_of_february():
    status = rules.requirement_status(date(2026, 10, 1), date(2024, 2, 29), TODAY, renewal=THREE_YEARS)
    assert status.expires_on == date(2027, 2, 28)
    assert status.detail == "Completed on 29 February 2024; renew by 28 February 2027"


@pytest.mark.parametrize("due, booked, days, overdue", [
    (date(2026, 12, 7), date(2026, 12, 1), None, False),
    (date(2026, 11, 1), date(2026, 12, 1), 21, True),   # booked, but the window has already closed
])
def test_a_booked_place_shows_the_session_date(due, booked, days, overdue):
    status = rules.requirement_status(due, None, TODAY, booked_on=booked)
    assert (status.kind, status.booked_on, status.days, status.is_overdue) == (rules.BOOKED, booked, days, overdue)


def test_booked_detail():
    status = rules.requirement_status(date(2026, 11, 1), None, TODAY, booked_on=date(2026, 12, 1))
    assert status.detail == "Booked on a session on 1 December 2026; was due by 1 November 2026 (3 weeks overdue)"


@pytest.mark.parametrize("completed, leaving", [(None, None), (date(2026, 1, 1), None), (None, date(2026, 1, 1))])
def test_an_exemption_wins_over_everything(completed, leaving):
    status = rules.requirement_status(date(2026, 1, 1), completed, TODAY, leaving, exempt_reason="Prior learning")
    assert status.kind == rules.EXEMPT and status.is_met and not status.is_overdue
    assert status.detail == "Exempt: Prior learning"


def test_a_leaver_keeps_their_completions():
    assert rules.requirement_status(date(2026, 1, 1), date(2025, 12, 1), TODAY, date(2026, 3, 1)).kind == rules.COMPLETED
    lapsed = rules.requirement_status(date(2026, 1, 1), date(2022, 1, 1), TODAY, date(2026, 3, 1), renewal=THREE_YEARS)
    assert lapsed.kind == rules.COMPLETED, "a leaver is not chased to renew"


def test_met_and_overdue_flags():
    assert rules.Status(rules.COMPLETED).is_met and not rules.Status(rules.COMPLETED).is_overdue
    assert rules.Status(rules.EXPIRED, days=3).is_overdue
    assert not rules.Status(rules.DUE_SOON, days=3).is_overdue


# --- who a requirement applies to, and when their clock starts ---------------------------------

STAFF = rules.PersonFacts(in_childrens_care=True, start_date=date(2020, 5, 4), job_role_id=7, team_id=3)
SOCIAL_WORKER = rules.PersonFacts(in_childrens_care=True, start_date=date(2020, 5, 4), job_role_id=8,
                                  job_role_since=date(2026, 2, 2), is_social_worker=True)
MANAGER = rules.PersonFacts(in_childrens_care=True, start_date=date(2019, 1, 7), is_manager=True)
SCHOOL_DSL = rules.PersonFacts(in_childrens_care=False, start_date=date(2024, 9, 1))
NO_START = rules.PersonFacts(in_childrens_care=True, start_date=None)


@pytest.mark.parametrize("audience, person, expected", [
    (rules.Audience(rules.CHILDRENS_CARE_STAFF), STAFF, True),
    (rules.Audience(rules.CHILDRENS_CARE_STAFF), SCHOOL_DSL, False),
    (rules.Audience(rules.CHILDRENS_CARE_STAFF), NO_START, False),
    (rules.Audience(rules.SOCIAL_WORKERS), SOCIAL_WORKER, True),
    (rules.Audience(rules.SOCIAL_WORKERS), STAFF, False),
    (rules.Audience(rules.MANAGERS), MANAGER, True),
    (rules.Audience(rules.MANAGERS), STAFF, False),
    (rules.Audience(rules.JOB_ROLES, job_role_ids=frozenset({7})), STAFF, True),
    (rules.Audience(rules.JOB_ROLES, job_role_ids=frozenset({7})), SOCIAL_WORKER, False),
    (rules.Audience(rules.TEAMS, team_ids=frozenset({3})), STAFF, True),
    (rules.Audience(rules.TEAMS, team_ids=frozenset({4})), STAFF, False),
    (rules.Audience(rules.EXTERNAL_LEARNERS), SCHOOL_DSL, True),
    (rules.Audience(rules.EXTERNAL_LEARNERS), STAFF, False),
])
def test_applies_to(audience, person, expected):
    assert rules.applies_to(audience, person) is expected


RULE_START = date(2025, 4, 1)


@pytest.mark.parametrize("person, audience, starts_on, expected", [
    (STAFF, rules.CHILDRENS_CARE_STAFF, None, date(2020, 5, 4)),
    (STAFF, rules.CHILDRENS_CARE_STAFF, RULE_START, RULE_START),          # in post before the rule began
    (rules.PersonFacts(True, date(2026, 11, 7)), rules.CHILDRENS_CARE_STAFF, RULE_START, date(2026, 11, 7)),
    # moved into a social work role in February 2026: role-based rules count from the move ...
    (SOCIAL_WORKER, rules.SOCIAL_WORKERS, RULE_START, date(2026, 2, 2)),
    # ... while rules for everyone still count from the start date (or the rule's start)
    (SOCIAL_WORKER, rules.CHILDRENS_CARE_STAFF, RULE_START, RULE_START),
    (SOCIAL_WORKER, rules.CHILDRENS_CARE_STAFF, None, date(2020, 5, 4)),
])
def test_counted_from(person, audience, starts_on, expected):
    assert rules.counted_from(person, audience, starts_on) == expected


def test_a_weekend_starter_is_counted_from_the_weekend_day():
    saturday = rules.PersonFacts(True, date(2026, 11, 7))
    begin = rules.counted_from(saturday, rules.CHILDRENS_CARE_STAFF, RULE_START)
    assert FOUR_WEEKS.after(begin) == date(2026, 12, 5)
