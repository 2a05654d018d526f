"""The learning pages' world: the offer and its requirement rules, a fixed day, a small organisation
(senior > manager > new starter, long-server; manager > team leader > indirect report) and sessions."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import pytest

from lnd.bookings import notifications
from lnd.bookings.session_services import PartDetails, SessionDetails, create_session
from lnd.core import clock
from lnd.courses.queries import course_by_slug
from lnd.extensions import db as _db
from lnd.people.models import MANAGER, OD_ADMIN, STAFF

TODAY = date(2026, 11, 23)            # a Monday
STARTER_START = date(2026, 11, 9)     # 4-week induction due 7 December 2026


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=clock.LONDON)


@pytest.fixture(autouse=True)
def fixed_clock(db):
    clock.freeze(at(TODAY, 9))
    yield
    clock.freeze(None)
    notifications.discard()


@dataclass
class People:
    senior: object
    manager: object
    starter: object
    long_server: object
    team_leader: object
    indirect: object
    leaver: object
    od: object
    stranger: object


@pytest.fixture
def people(offer, make_person) -> People:
    senior = make_person("Sienna", "Senior", roles=(STAFF, MANAGER), team="Assessment", start_date=date(2010, 1, 4))
    manager = make_person("Morgan", "Ellis", roles=(STAFF, MANAGER), manager=senior, team="Assessment",
                          start_date=date(2019, 1, 14))
    starter = make_person("Noah", "Clarke", manager=manager, team="Assessment", start_date=STARTER_START,
                          job_role="Family Support Worker")
    long_server = make_person("Sam", "Okafor", manager=manager, team="Assessment", start_date=date(2021, 6, 1),
                              job_role="Social Worker")
    team_leader = make_person("Tia", "Leader", roles=(STAFF, MANAGER), manager=manager, team="Early Help",
                              start_date=date(2026, 10, 1))
    indirect = make_person("Ivan", "Indirect", manager=team_leader, team="Early Help", start_date=date(2026, 11, 2))
    leaver = make_person("Gemma", "Stone", manager=manager, team="Assessment", start_date=date(2019, 4, 1),
                         leaving_date=date(2026, 7, 31))
    od = make_person("Olivia", "Dean", roles=(STAFF, OD_ADMIN), team="Centre for Practice Excellence/OD")
    stranger = make_person("Uma", "Unrelated", team="Children in Need")
    return People(senior, manager, starter, long_server, team_leader, indirect, leaver, od, stranger)


@pytest.fixture
def add_session(people):
    """add_session('trix-procedure-manual', day, capacity=...): a session made by the OD team."""

    def factory(slug: str, day: date, *, capacity: int = 10, hour: int = 9, closes_on: date | None = None):
        _db.session.rollback()   # see what requests committed before writing
        course = course_by_slug(slug)
        days = [day + timedelta(weeks=n) for n in range(course.parts)]
        parts = [PartDetails(starts_at=at(d, hour), ends_at=at(d, hour + 3), venue="Middlesbrough House") for d in days]
        session = create_session(course, SessionDetails(booking_closes_on=closes_on, parts=parts, capacity=capacity,
                                                        facilitator="Helen Carter"), people.od)
        _db.session.commit()
        return session

    return factory
