"""Fifty people booking a twenty-seat session at the same moment: exactly twenty get a place, thirty
wait, and nobody sees an error. Runs on SQLite (BEGIN IMMEDIATE) and PostgreSQL (row locks)."""
import threading

from sqlalchemy import func, select

from lnd.bookings import rules, services
from lnd.bookings.models import Booking, CourseSession
from lnd.core import clock
from lnd.core.db import writing
from lnd.extensions import db
from lnd.people.models import Person

THREADS = 50
SEATS = 20


def test_fifty_threads_booking_twenty_seats(app, make_course, make_session, make_person):
    session_id = make_session(make_course(), capacity=SEATS).id
    person_ids = [make_person().id for _ in range(THREADS)]
    db.session.remove()
    start = threading.Barrier(THREADS)
    errors: list[BaseException] = []
    outcomes: list[str] = []
    lock = threading.Lock()

    def book(person_id: int) -> None:
        try:
            with app.app_context():
                start.wait(timeout=30)
                with writing():
                    person = db.session.get(Person, person_id)
                    session = db.session.get(CourseSession, session_id)
                    booking = services.book_place(session, person, person, clock.now())
                    state = booking.state
                    db.session.commit()
                with lock:
                    outcomes.append(state)
        except BaseException as error:  # noqa: BLE001 - every failure is the test's business
            with lock:
                errors.append(error)

    threads = [threading.Thread(target=book, args=(pid,)) for pid in person_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(outcomes) == sorted([rules.BOOKED] * SEATS + [rules.WAITLISTED] * (THREADS - SEATS))
    counts = dict(db.session.execute(select(Booking.state, func.count()).where(Booking.session_id == session_id)
                                     .group_by(Booking.state)).all())
    assert counts == {rules.BOOKED: SEATS, rules.WAITLISTED: THREADS - SEATS}
    assert db.session.get(CourseSession, session_id).taken == SEATS
