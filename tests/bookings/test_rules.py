"""The booking rules as plain functions: approval, refusals, overlaps, the cancellation cut-off with
bank holidays, the waiting list, capacity changes and attendance outcomes."""
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lnd.bookings import rules
from lnd.courses import models as course_models

L = rules.LONDON


def t(y, m, d, h=9, mi=0):
    return datetime(y, m, d, h, mi, tzinfo=L)


def test_authorisation_names_match_the_catalogue():
    assert rules.NO_AUTHORISATION == course_models.NO_AUTHORISATION
    assert rules.LINE_MANAGER_AGREEMENT == course_models.LINE_MANAGER_AGREEMENT
    assert rules.MANAGER_IF_ASPIRING == course_models.MANAGER_IF_ASPIRING


@pytest.mark.parametrize("authorisation, is_manager, needed", [
    ("none", False, False),
    ("none", True, False),
    ("line_manager", False, True),
    ("line_manager", True, True),          # Developmental Offer: always agreed with the line manager
    ("manager_if_aspiring", False, True),  # an aspiring manager needs authorisation
    ("manager_if_aspiring", True, False),  # a manager books directly
])
def test_approval_needed(authorisation, is_manager, needed):
    assert rules.approval_needed(authorisation, is_manager) is needed


@pytest.mark.parametrize("a, b, expected", [
    ((t(2026, 12, 7, 9), t(2026, 12, 7, 12)), (t(2026, 12, 7, 11), t(2026, 12, 7, 13)), True),
    ((t(2026, 12, 7, 9), t(2026, 12, 7, 12)), (t(2026, 12, 7, 12), t(2026, 12, 7, 13)), False),  # back to back
    ((t(2026, 12, 7, 9), t(2026, 12, 7, 12)), (t(2026, 12, 7, 8), t(2026, 12, 7, 9)), False),
    ((t(2026, 12, 7, 9), t(2026, 12, 7, 17)), (t(2026, 12, 7, 10), t(2026, 12, 7, 11)), True),  # inside
    ((t(2026, 12, 7, 10), t(2026, 12, 7, 11)), (t(2026, 12, 7, 9), t(2026, 12, 7, 17)), True),  # around
    ((t(2026, 12, 7, 9), t(2026, 12, 7, 12)), (t(2026, 12, 8, 9), t(2026, 12, 8, 12)), False),  # next day
])
def test_overlaps(a, b, expected):
    assert rules.overlaps(*a, *b) is expected
    assert rules.overlaps(*b, *a) is expected


def test_first_overlap_finds_the_clash_in_any_part():
    busy = [rules.Busy(t(2026, 12, 14, 9), t(2026, 12, 14, 12), "Permanency")]
    parts = [(t(2026, 12, 7, 9), t(2026, 12, 7, 12)), (t(2026, 12, 14, 11), t(2026, 12, 14, 13))]
    assert rules.first_overlap(parts, busy).title == "Permanency"
    assert rules.first_overlap(parts[:1], busy) is None


def _refusal(**overrides):
    values = dict(course_bookable=True, course_status_label="Available", session_cancelled=False,
                  starts_at=t(2026, 12, 7, 9, 30), closes_on=date(2026, 12, 1), now=t(2026, 11, 23, 9),
                  existing_state=None, clash=None)
    values.update(overrides)
    return rules.booking_refusal(**values)


def test_a_bookable_session_is_not_refused():
    assert _refusal() is None
    assert _refusal(existing_state=rules.CANCELLED_BY_PERSON) is None  # may book again after cancelling
    assert _refusal(existing_state=rules.DECLINED) is None


@pytest.mark.parametrize("overrides, sentence", [
    ({"course_bookable": False, "course_status_label": "Retired"}, "cannot be booked because it is retired"),
    ({"course_bookable": False, "course_status_label": "In development"}, "because it is in development"),
    ({"session_cancelled": True}, "has been cancelled"),
    ({"now": t(2026, 12, 7, 9, 30)}, "already started"),
    ({"now": t(2026, 12, 2, 8)}, "Booking for this session closed on 1 December 2026."),
    ({"existing_state": rules.BOOKED}, "already have a place"),
    ({"existing_state": rules.WAITLISTED}, "already have a place, a request or a waiting-list entry"),
    ({"existing_state": rules.AWAITING_APPROVAL}, "already have"),
    ({"clash": rules.Busy(t(2026, 12, 7, 10), t(2026, 12, 7, 12), "Permanency")},
     "overlaps with Permanency on 7 December 2026 at 10:00"),
])
def test_refusals_are_sentences(overrides, sentence):
    refusal = _refusal(**overrides)
    assert refusal and sentence in refusal
    assert refusal.endswith(".")


def test_booking_is_open_on_the_close_date_itself():
    assert _refusal(now=t(2026, 12, 1, 23, 59)) is None


@pytest.mark.parametrize("session_day, working_days, deadline", [
    (date(2026, 12, 9), 2, date(2026, 12, 7)),    # Wednesday -> Monday
    (date(2026, 12, 7), 2, date(2026, 12, 3)),    # Monday -> Thursday (the weekend does not count)
    (date(2026, 12, 30), 2, date(2026, 12, 24)),  # Christmas Day and the Boxing Day substitute (28th) skipped
    (date(2027, 3, 30), 2, date(2027, 3, 24)),    # Good Friday and Easter Monday skipped
    (date(2027, 5, 4), 2, date(2027, 4, 29)),     # Early May bank holiday (3 May 2027) skipped
    (date(2026, 12, 9), 5, date(2026, 12, 2)),    # a configured cut-off of 5 working days
    (date(2026, 12, 9), 0, date(2026, 12, 9)),
])
def test_cancellation_deadline_counts_working_days(session_day, working_days, deadline):
    assert rules.cancellation_deadline(session_day, working_days) == deadline


@pytest.mark.parametrize("state, today, started, allowed", [
    (rules.BOOKED, date(2026, 12, 3), False, True),          # on the deadline
    (rules.BOOKED, date(2026, 12, 4), False, False),         # the day after
    (rules.BOOKED, date(2026, 12, 7), True, False),
    (rules.WAITLISTED, date(2026, 12, 6), False, True),      # no seat held: any time before
    (rules.AWAITING_APPROVAL, date(2026, 12, 6), False, True),
    (rules.ATTENDED, date(2026, 12, 1), False, False),
    (rules.CANCELLED_BY_PERSON, date(2026, 12, 1), False, False),
])
def test_cancellation_by_the_person(state, today, started, allowed):
    refusal = rules.cancellation_refusal(state, date(2026, 12, 7), today, started, 2)
    assert (refusal is None) is allowed


def test_late_cancellation_says_to_contact_od():
    refusal = rules.cancellation_refusal(rules.BOOKED, date(2026, 12, 7), date(2026, 12, 4), False, 2)
    assert "2 working days" in refusal and "3 December 2026" in refusal and "OD team" in refusal


@pytest.mark.parametrize("new, taken, ok", [(20, 12, True), (12, 12, True), (11, 12, False), (0, 0, False),
                                            (None, 0, False), (1, 0, True)])
def test_capacity_refusal(new, taken, ok):
    assert (rules.capacity_refusal(new, taken) is None) is ok


def test_capacity_refusal_says_how_many_are_booked():
    assert "12 places already booked" in rules.capacity_refusal(10, 12)
    assert rules.capacity_refusal(0, 1) == "Capacity must be 1 or more."


def _entries(*minutes):
    base = datetime(2026, 11, 23, 9, tzinfo=timezone.utc)
    return [rules.WaitlistEntry(i + 1, base + timedelta(minutes=m)) for i, m in enumerate(minutes)]


def test_waitlist_is_first_come_first_served_with_ties_to_the_earlier_booking():
    entries = _entries(5, 1, 3, 1)
    assert [e.booking_id for e in rules.waitlist_order(entries)] == [2, 4, 3, 1]


def test_promotions_fill_free_places_in_order():
    entries = _entries(5, 1, 3)
    now, starts = t(2026, 11, 23), t(2026, 12, 7)
    assert [e.booking_id for e in rules.promotions(10, 8, entries, now=now, starts_at=starts)] == [2, 3]
    assert [e.booking_id for e in rules.promotions(10, 9, entries, now=now, starts_at=starts)] == [2]
    assert rules.promotions(10, 10, entries, now=now, starts_at=starts) == []


def test_no_promotion_once_the_session_has_started_or_is_cancelled():
    entries = _entries(1)
    assert rules.promotions(10, 0, entries, now=t(2026, 12, 7, 9, 30), starts_at=t(2026, 12, 7, 9, 30)) == []
    assert rules.promotions(10, 0, entries, now=t(2026, 11, 23), starts_at=t(2026, 12, 7), cancelled=True) == []


@given(capacity=st.integers(1, 30), taken=st.integers(0, 30),
       minutes=st.lists(st.integers(0, 500), max_size=40))
def test_promotions_never_exceed_capacity_and_keep_order(capacity, taken, minutes):
    taken = min(taken, capacity)
    entries = _entries(*minutes)
    chosen = rules.promotions(capacity, taken, entries, now=t(2026, 11, 23), starts_at=t(2026, 12, 7))
    assert taken + len(chosen) <= capacity
    assert chosen == rules.waitlist_order(entries)[:len(chosen)]
    assert len(chosen) == min(capacity - taken, len(entries))


@pytest.mark.parametrize("marks, outcome", [
    ([True], rules.ATTENDED),
    ([False], rules.NO_SHOW),
    ([None], None),
    ([True, True], rules.ATTENDED),
    ([True, False], rules.PARTLY_ATTENDED),
    ([False, True], rules.PARTLY_ATTENDED),
    ([False, False], rules.NO_SHOW),
    ([True, None], None),   # the second part's register is not marked yet
    ([], None),
])
def test_attendance_outcome(marks, outcome):
    assert rules.attendance_outcome(marks) == outcome


def test_register_opens_on_the_day_of_the_part():
    part = t(2026, 12, 7, 9, 30)
    assert not rules.register_open(part, t(2026, 12, 6, 23, 59))
    assert rules.register_open(part, t(2026, 12, 7, 0, 1))
    assert rules.register_open(part, t(2026, 12, 20))


def test_feedback_only_after_attending_and_only_once():
    assert rules.may_give_feedback(rules.ATTENDED, False)
    assert rules.may_give_feedback(rules.PARTLY_ATTENDED, False)
    assert not rules.may_give_feedback(rules.ATTENDED, True)
    assert not rules.may_give_feedback(rules.NO_SHOW, False)
    assert not rules.may_give_feedback(rules.BOOKED, False)


def test_part_problems():
    ok = [(t(2026, 12, 7, 9), t(2026, 12, 7, 12)), (t(2026, 12, 14, 9), t(2026, 12, 14, 12))]
    assert rules.part_problems(ok) == []
    assert rules.part_problems([(t(2026, 12, 7, 12), t(2026, 12, 7, 9))]) == [
        (0, "The end time must be after the start time")]
    assert rules.part_problems([ok[1], ok[0]]) == [(1, "Part 2 must start after part 1 ends")]


def test_seat_states_are_the_ones_counted_against_capacity():
    assert rules.SEAT_STATES == {rules.BOOKED, rules.ATTENDED, rules.PARTLY_ATTENDED, rules.NO_SHOW}
    assert not rules.SEAT_STATES & {rules.WAITLISTED, rules.AWAITING_APPROVAL, rules.DECLINED}


@pytest.mark.parametrize("state, had_place, available", [
    (rules.BOOKED, True, True), (rules.ATTENDED, True, True), (rules.NO_SHOW, True, True),
    (rules.AWAITING_APPROVAL, False, False), (rules.WAITLISTED, False, False), (rules.DECLINED, False, False),
    (rules.CANCELLED_BY_PERSON, True, True),    # the CANCEL that takes the event out of the calendar
    (rules.CANCELLED_BY_PERSON, False, False),  # a withdrawn request never had an event
    (rules.SESSION_CANCELLED, True, True),
])
def test_invite_available(state, had_place, available):
    assert rules.invite_available(state, had_place) is available


@pytest.mark.parametrize("agreed_on, valid_until", [
    (date(2026, 3, 3), date(2027, 3, 2)),
    (date(2026, 1, 1), date(2026, 12, 31)),
    (date(2027, 2, 28), date(2028, 2, 27)),
    (date(2028, 2, 29), date(2029, 2, 27)),      # a leap day: 12 months on is 28 February
    (date(2026, 8, 31), date(2027, 8, 30)),
])
def test_a_preapproval_is_good_for_12_months(agreed_on, valid_until):
    assert rules.PREAPPROVAL_VALID_FOR == rules.Period(12, "months")
    assert rules.preapproval_valid_until(agreed_on) == valid_until
    assert rules.preapproval_current(agreed_on, valid_until)
    assert not rules.preapproval_current(agreed_on, valid_until + timedelta(days=1))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)),
       st.integers(min_value=-400, max_value=400))
def test_the_query_bound_agrees_with_the_rule(agreed_on, offset):
    today = agreed_on + timedelta(days=offset)
    in_query = agreed_on >= rules.preapproval_agreed_since(today)
    assert in_query is rules.preapproval_current(agreed_on, today)
