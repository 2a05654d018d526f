"""What the summary-report tests share: a small organisation on a fixed date with known induction
records, completing a window, session and booking factories, and counting SQL statements.

On 22 November 2026 (the rules began on 1 April 2025, so people in post before then are counted
from that day: the 4-week induction was due by 29 April 2025, the 6-month by 1 October 2025):

  Assessment (manager Morgan, under Sienna)      Children in Need (manager Omar)
    Ada   started 2018, both inductions done 2019    Dan  started 1 Sep 2025, corporate done 15 Jan 2026,
    Ben   started 2018, corporate done 5 Oct 2026         Children's Services induction not done
          (late), Children's Services not done
    Cara  started 2 Nov 2026, nothing done yet (not due)
    Lena  started 2019, nothing done, left 31 Jul 2026
    Fred  starts 7 Dec 2026
Managers and the OD admin have no start date, so no required learning: they are not counted.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from lnd.core import clock
from lnd.extensions import db

TODAY = date(2026, 11, 22)
CS_INDUCTION = "childrens-services-induction"
CORPORATE = "corporate-induction"
CORE = "childrens-services-core-training"


@dataclass
class World:
    od: object
    senior: object
    manager: object
    other_manager: object
    ada: object
    ben: object
    cara: object
    lena: object
    fred: object
    dan: object


def window_courses(person, key: str, today: date = TODAY) -> list:
    from lnd.compliance.queries import required_learning

    return [item.course for window in required_learning(person, today) if window.key == key for item in window.items]


def complete_window(person, key: str, day: date) -> int:
    from lnd.courses.models import Completion

    courses = window_courses(person, key)
    for course in courses:
        db.session.add(Completion(person_id=person.id, course_id=course.id, completed_on=day, source="od_recorded"))
    db.session.commit()
    return len(courses)


@pytest.fixture
def world(offer, make_person) -> World:
    clock.freeze(TODAY)
    od = make_person("Odette", "Admin", roles=("staff", "od_admin"), team="Centre for Practice Excellence/OD",
                     start_date=None)
    senior = make_person("Sienna", "Senior", roles=("staff", "manager"), team="Assessment", start_date=None)
    manager = make_person("Morgan", "Manager", roles=("staff", "manager"), manager=senior, team="Assessment",
                          start_date=None)
    other_manager = make_person("Omar", "Othermanager", roles=("staff", "manager"), team="Children in Need",
                                start_date=None)
    ada = make_person("Ada", "Done", manager=manager, team="Assessment", start_date=date(2018, 6, 11))
    ben = make_person("Ben", "Behind", manager=manager, team="Assessment", start_date=date(2018, 6, 11))
    cara = make_person("Cara", "Newstart", manager=manager, team="Assessment", start_date=date(2026, 11, 2))
    lena = make_person("Lena", "Leaver", manager=manager, team="Assessment", start_date=date(2019, 4, 1),
                       leaving_date=date(2026, 7, 31))
    fred = make_person("Fred", "Future", manager=manager, team="Assessment", start_date=date(2026, 12, 7))
    dan = make_person("Dan", "Partway", manager=other_manager, team="Children in Need", start_date=date(2025, 9, 1))
    complete_window(ada, CS_INDUCTION, date(2019, 1, 10))
    complete_window(ada, CORPORATE, date(2019, 1, 10))
    complete_window(ben, CORPORATE, date(2026, 10, 5))
    complete_window(dan, CORPORATE, date(2026, 1, 15))
    return World(od, senior, manager, other_manager, ada, ben, cara, lena, fred, dan)


@contextmanager
def counting():
    statements = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


# ---------------------------------------------------------------------------------------------
# Sessions and bookings for the course report
# ---------------------------------------------------------------------------------------------

def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=timezone.utc)


def make_session(course, day: date, capacity: int = 10, status: str = "scheduled"):
    from lnd.bookings.models import CourseSession, SessionPart

    starts, ends = at(day), at(day) + timedelta(hours=3)
    session = CourseSession(course_id=course.id, capacity=capacity, taken=0, starts_at=starts, ends_at=ends,
                            status=status, parts=[SessionPart(position=1, starts_at=starts, ends_at=ends, venue="Room")])
    db.session.add(session)
    db.session.commit()
    return session


def make_booking(session, person, state: str, *, feedback: tuple[int, int] | None = None):
    """A booking in a state, keeping the session's seat count as the services would."""
    from lnd.bookings.models import Booking, Feedback
    from lnd.bookings.rules import SEAT_STATES, WAITLISTED

    booking = Booking(session_id=session.id, person_id=person.id, state=state,
                      waitlisted_at=session.starts_at - timedelta(days=7) if state == WAITLISTED else None)
    db.session.add(booking)
    if state in SEAT_STATES:
        session.taken += 1
    db.session.flush()
    if feedback:
        db.session.add(Feedback(booking_id=booking.id, usefulness=feedback[0], delivery=feedback[1]))
    db.session.commit()
    return booking
