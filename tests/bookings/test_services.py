"""Booking use cases against the database: approval, capacity, the waiting list, refusals,
cancellation, session changes, the register and completions, history and audit."""
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from lnd.bookings import notifications, rules, services, session_services
from lnd.bookings.models import Attendance, Booking, BookingEvent, CourseSession
from lnd.core import clock
from lnd.core.models import AuditEvent
from lnd.courses.models import Completion
from lnd.extensions import db
from tests.bookings.conftest import SESSION_DAY, at


def book(session, person):
    booking = services.book_place(session, person, person, clock.now())
    db.session.commit()
    notifications.discard()
    return booking


def states(session):
    return dict(db.session.execute(
        select(Booking.person_id, Booking.state).where(Booking.session_id == session.id)).all())


def test_a_seminar_without_authorisation_is_booked_at_once(make_course, make_session, make_person):
    session = make_session(make_course(), capacity=2)
    person = make_person()
    booking = book(session, person)
    assert booking.state == rules.BOOKED
    assert db.session.get(CourseSession, session.id).taken == 1
    history = [(e.from_state, e.to_state) for e in booking.events]
    assert history == [(None, rules.REQUESTED), (rules.REQUESTED, rules.BOOKED)]
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.entity_type == "booking")) == 2


def test_a_full_session_waitlists_in_order(make_course, make_session, make_person):
    session = make_session(make_course(), capacity=1)
    first, second, third = make_person(), make_person(), make_person()
    assert book(session, first).state == rules.BOOKED
    clock.freeze(clock.now() + timedelta(minutes=1))
    assert book(session, second).state == rules.WAITLISTED
    clock.freeze(clock.now() + timedelta(minutes=1))
    assert book(session, third).state == rules.WAITLISTED
    people = db.session.scalars(select(Booking).where(Booking.state == rules.WAITLISTED)
                                .order_by(Booking.waitlisted_at, Booking.id)).all()
    assert [b.person_id for b in people] == [second.id, third.id]


def test_cancelling_promotes_the_first_on_the_waiting_list(make_course, make_session, make_person, app):
    session = make_session(make_course(), capacity=1)
    first, second, third = make_person(), make_person(), make_person()
    booked = book(session, first)
    book(session, second)
    book(session, third)
    services.cancel(booked, first, clock.now(), by_od=False, cutoff_working_days=2)
    db.session.commit()
    assert states(session) == {first.id: rules.CANCELLED_BY_PERSON, second.id: rules.BOOKED,
                               third.id: rules.WAITLISTED}
    assert db.session.get(CourseSession, session.id).taken == 1


def test_no_promotion_once_the_session_has_started(make_course, make_session, make_person):
    session = make_session(make_course(), capacity=1)
    first, second = make_person(), make_person()
    booked = book(session, first)
    book(session, second)
    clock.freeze(at(SESSION_DAY, 10))
    services.cancel(booked, make_person(roles=["staff", "od_admin"]), clock.now(), by_od=True, cutoff_working_days=2)
    db.session.commit()
    assert states(session)[second.id] == rules.WAITLISTED
    assert db.session.get(CourseSession, session.id).taken == 0


def test_more_places_promote_and_fewer_than_booked_is_refused(make_course, make_session, make_person, od):
    session = make_session(make_course(), capacity=1)
    people = [make_person() for _ in range(4)]
    for person in people:
        book(session, person)
    promoted = session_services.change_capacity(session, 3, od, clock.now())
    db.session.commit()
    assert [b.person_id for b in promoted] == [people[1].id, people[2].id]
    assert states(session)[people[3].id] == rules.WAITLISTED
    with pytest.raises(services.BookingError, match="cannot be less than the 3 places already booked"):
        session_services.change_capacity(session, 2, od, clock.now())
    db.session.rollback()


def test_line_manager_agreement_goes_to_the_manager_and_approval_respects_capacity(
        make_course, make_session, make_person):
    session = make_session(make_course(authorisation="line_manager"), capacity=1)
    manager = make_person(roles=["staff", "manager"])
    alex, bo = make_person(manager=manager), make_person(manager=manager)
    assert book(session, alex).state == rules.AWAITING_APPROVAL
    assert book(session, bo).state == rules.AWAITING_APPROVAL
    assert db.session.get(CourseSession, session.id).taken == 0
    services.approve(db.session.get(Booking, book_id(session, bo)), manager, clock.now(), "Agreed in supervision")
    services.approve(db.session.get(Booking, book_id(session, alex)), manager, clock.now())
    db.session.commit()
    assert states(session) == {bo.id: rules.BOOKED, alex.id: rules.WAITLISTED}


def book_id(session, person):
    return db.session.scalar(select(Booking.id).where(Booking.session_id == session.id,
                                                      Booking.person_id == person.id))


def test_managers_courses_need_authorisation_for_aspiring_managers_only(make_course, make_session, make_person):
    session = make_session(make_course(authorisation="manager_if_aspiring"))
    boss = make_person(roles=["staff", "manager"])
    aspiring = make_person(manager=boss, aspiring_manager=True)
    assert book(session, aspiring).state == rules.AWAITING_APPROVAL
    assert book(session, boss).state == rules.BOOKED


def test_only_the_persons_managers_or_od_decide(make_course, make_session, make_person):
    session = make_session(make_course(authorisation="line_manager"))
    manager, other_manager = make_person(roles=["staff", "manager"]), make_person(roles=["staff", "manager"])
    person = make_person(manager=manager)
    booking = book(session, person)
    with pytest.raises(services.BookingError):
        services.approve(booking, other_manager, clock.now())
    with pytest.raises(services.BookingError):
        services.approve(booking, person, clock.now())
    db.session.rollback()
    services.decline(booking, manager, clock.now(), "Not this year: the team is short-staffed.")
    db.session.commit()
    assert booking.state == rules.DECLINED
    assert booking.events[-1].reason == "Not this year: the team is short-staffed."
    with pytest.raises(services.BookingError, match="already been decided"):
        services.approve(booking, manager, clock.now())


def test_declining_needs_a_reason(make_course, make_session, make_person):
    session = make_session(make_course(authorisation="line_manager"))
    manager = make_person(roles=["staff", "manager"])
    booking = book(session, make_person(manager=manager))
    with pytest.raises(services.BookingError, match="reason"):
        services.decline(booking, manager, clock.now(), "  ")


def test_the_same_person_twice_is_refused_but_may_book_again_after_cancelling(make_course, make_session,
                                                                             make_person):
    session = make_session(make_course())
    person = make_person()
    booking = book(session, person)
    uid = booking.uid
    with pytest.raises(services.BookingError, match="already have a place"):
        book(session, person)
    db.session.rollback()
    services.cancel(booking, person, clock.now(), by_od=False, cutoff_working_days=2)
    db.session.commit()
    again = book(session, person)
    assert again.id == booking.id and again.uid == uid and again.state == rules.BOOKED
    assert [e.to_state for e in again.events][-2:] == [rules.REQUESTED, rules.BOOKED]


def test_overlapping_bookings_are_refused(make_course, make_session, make_person):
    person = make_person()
    first = make_session(make_course("Permanency"), start=(9, 30), end=(12, 30))
    second = make_session(make_course("Court Skills"), start=(12, 0), end=(15, 0))
    third = make_session(make_course("AIM3"), start=(12, 30), end=(15, 0))
    book(first, person)
    with pytest.raises(services.BookingError, match="overlaps with Permanency on 7 December 2026 at 09:30"):
        book(second, person)
    db.session.rollback()
    assert book(third, person).state == rules.BOOKED


def test_booking_after_the_close_date_or_on_an_unavailable_course_is_refused(make_course, make_session,
                                                                             make_person):
    person = make_person()
    closed = make_session(make_course(), closes_on=date(2026, 11, 20))
    with pytest.raises(services.BookingError, match="closed on 20 November 2026"):
        book(closed, person)
    db.session.rollback()
    course = make_course()
    session = make_session(course)
    course.status = "retired"
    db.session.commit()
    with pytest.raises(services.BookingError, match="because it is retired"):
        book(session, person)
    db.session.rollback()
    course.status = "in_development"
    db.session.commit()
    with pytest.raises(services.BookingError, match="because it is in development"):
        book(session, person)


def test_cancellation_after_the_cut_off_is_for_od(make_course, make_session, make_person, od):
    session = make_session(make_course())          # Monday 7 December: cut-off Thursday 3 December
    person = make_person()
    booking = book(session, person)
    clock.freeze(at(date(2026, 12, 4), 9))
    with pytest.raises(services.BookingError, match="Contact the OD team"):
        services.cancel(booking, person, clock.now(), by_od=False, cutoff_working_days=2)
    db.session.rollback()
    services.cancel(booking, od, clock.now(), by_od=True, cutoff_working_days=2, reason="Called in sick")
    db.session.commit()
    assert booking.state == rules.CANCELLED_BY_OD


def test_cancelling_a_session_cancels_every_open_booking(make_course, make_session, make_person, od):
    session = make_session(make_course(), capacity=1)
    a, b = make_person(), make_person()
    book(session, a)
    book(session, b)
    told = session_services.cancel_session(session, "The trainer is unwell.", od, clock.now())
    db.session.commit()
    assert told == 2
    assert set(states(session).values()) == {rules.SESSION_CANCELLED}
    refreshed = db.session.get(CourseSession, session.id)
    assert refreshed.taken == 0 and refreshed.status == "cancelled"


def test_changing_the_times_raises_the_sequence_and_queues_change_mail(make_course, make_session, make_person, od):
    session = make_session(make_course())
    booking = book(session, make_person())
    before = booking.sequence
    details = session_services.SessionDetails(
        booking_closes_on=None, facilitator="Jo", parts=[session_services.PartDetails(
            at(SESSION_DAY, 13), at(SESSION_DAY, 16), "Middlesbrough House, Room 5")])
    assert session_services.update_session(session, details, od, clock.now())
    assert [n.kind for n in notifications.queued()] == [notifications.CHANGED]
    db.session.commit()
    assert db.session.get(Booking, booking.id).sequence == before + 1
    assert db.session.get(CourseSession, session.id).starts_at == at(SESSION_DAY, 13)


def test_attending_every_part_records_a_completion_on_the_last_parts_date(make_course, make_session,
                                                                          make_person, od):
    session = make_session(make_course("Court Skills & Pre Proceedings", parts=2))
    ann, ben, cat = make_person(), make_person(), make_person()
    bookings = {p.id: book(session, p) for p in (ann, ben, cat)}
    first, second = session.parts
    clock.freeze(at(SESSION_DAY, 17))
    session_services.mark_register(session, first, {bookings[ann.id].id, bookings[ben.id].id}, od, clock.now())
    db.session.commit()
    assert set(states(session).values()) == {rules.BOOKED}  # not decided until every part is marked
    with pytest.raises(services.BookingError, match="can be marked from 14 December 2026"):
        session_services.mark_register(session, second, set(), od, clock.now())
    db.session.rollback()
    clock.freeze(at(SESSION_DAY + timedelta(days=7), 17))
    session_services.mark_register(session, second, {bookings[ann.id].id}, od, clock.now())
    db.session.commit()
    assert states(session) == {ann.id: rules.ATTENDED, ben.id: rules.PARTLY_ATTENDED, cat.id: rules.NO_SHOW}
    completions = db.session.scalars(select(Completion)).all()
    assert [(c.person_id, c.completed_on, c.source) for c in completions] == [
        (ann.id, SESSION_DAY + timedelta(days=7), "attendance")]
    # A correction takes the completion away again.
    session_services.mark_register(session, second, set(), od, clock.now())
    db.session.commit()
    assert states(session)[ann.id] == rules.PARTLY_ATTENDED
    assert db.session.scalar(select(func.count()).select_from(Completion)) == 0
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 6


def test_history_is_append_only(make_course, make_session, make_person):
    booking = book(make_session(make_course()), make_person())
    event = db.session.scalars(select(BookingEvent).where(BookingEvent.booking_id == booking.id)).first()
    event.reason = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(BookingEvent, event.id))
    with pytest.raises(ValueError, match="append-only"):
        db.session.flush()
    db.session.rollback()


def test_the_capacity_check_constraint_backs_the_conditional_update(make_course, make_session):
    from sqlalchemy.exc import IntegrityError

    session = make_session(make_course(), capacity=1)
    with pytest.raises(IntegrityError):
        db.session.execute(
            CourseSession.__table__.update().where(CourseSession.id == session.id).values(taken=2))
        db.session.flush()
    db.session.rollback()


def test_feedback_once_after_attending(make_course, make_session, make_person, od):
    session = make_session(make_course())
    person = make_person()
    booking = book(session, person)
    with pytest.raises(services.BookingError):
        services.give_feedback(booking, person, clock.now(), usefulness=5, delivery=4,
                               will_do_differently="More", comments="")
    db.session.rollback()
    clock.freeze(at(SESSION_DAY, 17))
    session_services.mark_register(session, session.parts[0], {booking.id}, od, clock.now())
    services.give_feedback(booking, person, clock.now(), usefulness=5, delivery=4,
                           will_do_differently="Use the genogram tool in assessments", comments="")
    db.session.commit()
    with pytest.raises(services.BookingError, match="once"):
        services.give_feedback(booking, person, clock.now(), usefulness=5, delivery=4,
                               will_do_differently="Again", comments="")


def test_nothing_is_mailed_until_the_caller_commits(make_course, make_session, make_person):
    session = make_session(make_course())
    services.book_place(session, make_person(), make_person(), clock.now())
    assert [n.kind for n in notifications.queued()] == [notifications.BOOKED]
    db.session.rollback()
    notifications.discard()
    assert notifications.queued() == []


def test_create_session_checks_its_parts(make_course, od):
    course = make_course(parts=2)
    one_part = session_services.SessionDetails(
        booking_closes_on=None, capacity=10,
        parts=[session_services.PartDetails(at(SESSION_DAY, 9), at(SESSION_DAY, 12), "Room 1")])
    with pytest.raises(services.BookingError, match="all 2 parts"):
        session_services.create_session(course, one_part, od)
    no_place = session_services.SessionDetails(
        booking_closes_on=None, capacity=10,
        parts=[session_services.PartDetails(at(SESSION_DAY, 9), at(SESSION_DAY, 12), ""),
               session_services.PartDetails(at(SESSION_DAY, 13), at(SESSION_DAY, 15), "Room 1")])
    with pytest.raises(services.BookingError, match="venue or an online joining link") as caught:
        session_services.create_session(course, no_place, od)
    assert caught.value.field == "parts-0-venue"
    e_learning = make_course(method="e_learning")
    with pytest.raises(services.BookingError, match="not delivered in sessions"):
        session_services.create_session(e_learning, no_place, od)
