"""Courses agreed in advance (at appraisal): booked without another request, said so in the history,
shown to the person, used once, and free again when the booking that took them is cancelled."""
from datetime import date

import pytest
from sqlalchemy import select

from lnd.bookings import notifications, preapproval, rules, services
from lnd.bookings.models import Booking, PreApproval
from lnd.core import clock
from lnd.core.models import AuditEvent
from lnd.extensions import db

AGREED_ON = date(2026, 11, 20)
REASON = "Agreed at appraisal on 20 November 2026 by Morgan Manager"


@pytest.fixture
def team(make_person):
    manager = make_person("Morgan", "Manager", roles=["staff", "manager"])
    person = make_person("Alex", "Worker", manager=manager)
    return manager, person


def agree(person, course, manager, appraisal_id=None):
    agreed = preapproval.grant(person, course, manager, AGREED_ON, clock.now(), appraisal_id=appraisal_id)
    db.session.commit()
    notifications.discard()
    return agreed


def book(session, person):
    booking = services.book_place(session, person, person, clock.now())
    db.session.commit()
    notifications.discard()
    return booking


def test_an_agreed_developmental_course_is_booked_straight_away_with_the_reason(make_course, make_session, team):
    manager, person = team
    course = make_course("Achieving Best Evidence", authorisation="line_manager")
    session = make_session(course)
    agreed = agree(person, course, manager, appraisal_id=41)
    booking = book(session, person)
    assert booking.state == rules.BOOKED
    assert [(e.to_state, e.reason) for e in booking.events] == [
        (rules.REQUESTED, ""), (rules.BOOKED, REASON + ".")]
    assert booking.decided_by_id == manager.id and booking.decision_reason == REASON + "."
    agreed = db.session.get(PreApproval, agreed.id)
    assert agreed.booking_id == booking.id and agreed.used_at is not None and agreed.appraisal_id == 41
    actions = set(db.session.scalars(select(AuditEvent.action).where(AuditEvent.entity_type == "pre_approval")))
    assert actions == {"preapproval_granted", "preapproval_used"}


def test_a_full_session_puts_the_agreed_person_on_the_waiting_list(make_course, make_session, make_person, team):
    manager, person = team
    course = make_course(authorisation="line_manager")
    session = make_session(course, capacity=1)
    first = make_person(manager=manager)
    agree(first, course, manager)
    assert book(session, first).state == rules.BOOKED
    agree(person, course, manager)
    booking = book(session, person)
    assert booking.state == rules.WAITLISTED
    assert booking.events[-1].reason == REASON + ". The session was full."


def test_an_agreement_is_used_once_and_is_free_again_after_cancelling(make_course, make_session, team):
    manager, person = team
    course = make_course(authorisation="line_manager")
    first, second = make_session(course), make_session(course, day=date(2026, 12, 14))
    agree(person, course, manager)
    booking = book(first, person)
    assert preapproval.available_for_person(person.id, clock.today()) == []
    services.cancel(booking, person, clock.now(), by_od=False, cutoff_working_days=2)
    db.session.commit()
    assert [a.course_id for a in preapproval.available_for_person(person.id, clock.today())] == [course.id]
    assert book(second, person).state == rules.BOOKED
    other = make_course(authorisation="line_manager")
    assert book(make_session(other, day=date(2026, 12, 21)), person).state == rules.AWAITING_APPROVAL


def test_agreeing_again_keeps_one_agreement(make_course, team):
    manager, person = team
    course = make_course(authorisation="line_manager")
    assert agree(person, course, manager).id == agree(person, course, manager).id
    assert db.session.scalar(select(db.func.count()).select_from(PreApproval)) == 1


def test_a_request_already_waiting_is_booked_when_the_course_is_agreed(make_course, make_session, team):
    manager, person = team
    course = make_course(authorisation="line_manager")
    session = make_session(course)
    booking = book(session, person)
    assert booking.state == rules.AWAITING_APPROVAL
    agree(person, course, manager)
    booking = db.session.get(Booking, booking.id)
    assert booking.state == rules.BOOKED and booking.events[-1].reason == REASON + "."


@pytest.mark.parametrize("who", ["self", "peer", "other_manager"])
def test_only_the_persons_managers_or_od_agree(make_course, make_person, team, who):
    manager, person = team
    agreer = {"self": person, "peer": make_person(manager=manager),
              "other_manager": make_person(roles=["staff", "manager"])}[who]
    with pytest.raises(services.BookingError, match="cannot agree"):
        preapproval.grant(person, make_course(authorisation="line_manager"), agreer, AGREED_ON, clock.now())


def test_a_course_in_development_cannot_be_agreed(make_course, team):
    manager, person = team
    with pytest.raises(services.BookingError, match="not available"):
        preapproval.grant(person, make_course(status="in_development"), manager, AGREED_ON, clock.now())


def test_the_person_sees_their_agreed_courses_and_books_without_a_request(client, login, make_course, make_session,
                                                                          team):
    manager, person = team
    course = make_course("Achieving Best Evidence", authorisation="line_manager")
    session = make_session(course)
    agree(person, course, manager)
    login(person)
    page = client.get("/bookings").get_data(as_text=True)
    assert "Courses agreed with your manager" in page and "Achieving Best Evidence" in page
    assert REASON + "; agreed until 19 November 2027" in page
    page = client.get(f"/courses/{course.slug}").get_data(as_text=True)
    assert ("This course has been agreed for you (agreed at appraisal on 20 November 2026 by Morgan Manager, "
            "agreed until 19 November 2027)") in page
    page = client.get(f"/sessions/{session.id}/book").get_data(as_text=True)
    assert "Confirm and book" in page and "Send request to my manager" not in page
    assert REASON + " (agreed until 19 November 2027), so your place is booked" in page
    response = client.post(f"/sessions/{session.id}/book", data={})
    assert response.status_code == 302
    assert db.session.scalar(select(Booking.state).where(Booking.person_id == person.id)) == rules.BOOKED


@pytest.mark.parametrize("agreed_on, booked_on, state", [
    (date(2026, 1, 5), date(2026, 11, 23), rules.BOOKED),              # agreed this year
    (date(2025, 11, 24), date(2026, 11, 23), rules.BOOKED),            # the last day it is good
    (date(2025, 11, 23), date(2026, 11, 23), rules.AWAITING_APPROVAL),  # 12 months on: lapsed
    (date(2024, 6, 1), date(2026, 11, 23), rules.AWAITING_APPROVAL),   # long ago
])
def test_an_agreement_is_good_for_12_months(make_course, make_session, team, agreed_on, booked_on, state):
    manager, person = team
    course = make_course(authorisation="line_manager")
    session = make_session(course)
    preapproval.grant(person, course, manager, agreed_on, clock.now())
    db.session.commit()
    assert clock.today() == booked_on
    good = state == rules.BOOKED
    assert [a.course_id for a in preapproval.available_for_person(person.id, booked_on)] == ([course.id] if good else [])
    assert services.needs_approval(course, person, booked_on)[0] is not good
    assert book(session, person).state == state


def test_a_lapsed_agreement_is_not_listed_and_a_new_one_replaces_it(make_course, team):
    manager, person = team
    course = make_course(authorisation="line_manager")
    old = preapproval.grant(person, course, manager, date(2025, 6, 2), clock.now())
    db.session.commit()
    assert [a.id for a in preapproval.available_for_person(person.id, date(2026, 6, 1))] == [old.id]
    assert preapproval.available_for_person(person.id, date(2026, 6, 2)) == []
    new = agree(person, course, manager)            # agreed again, on 20 November 2026
    assert new.id != old.id and new.valid_until == date(2027, 11, 19)
    assert services.preapproved_course_ids(person.id, [course.id], date(2027, 11, 19)) == {course.id}
    assert services.preapproved_course_ids(person.id, [course.id], date(2027, 11, 20)) == set()
