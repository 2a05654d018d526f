"""The API's tests: an OD admin, a token they issued, a small world of courses, completions and
bookings, and a client that sends the token."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

import pytest

from lnd.api import services
from lnd.core import clock
from lnd.extensions import db as _db

NOW = datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc)
TODAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def fixed_clock(db):
    clock.freeze(NOW)
    yield
    clock.freeze(None)


@pytest.fixture
def od(make_person):
    return make_person("Odette", "Admin", roles=("staff", "od_admin"), team="Centre for Practice Excellence/OD")


@pytest.fixture
def issue(od):
    """issue('Power BI') -> (client, token), committed."""

    def factory(name="Power BI workforce dashboard", purpose="Monthly compliance figures for directors"):
        client, token = services.issue_client(name, purpose, od, clock.now())
        _db.session.commit()
        return client, token

    return factory


@pytest.fixture
def token(issue):
    return issue()[1]


@pytest.fixture
def api(client, token):
    """api(path, **query) -> response, sent with the token (token=None: no header; token='x': that one)."""

    def get(path, *, token=token, headers=None, **query):
        sent = dict(headers or {})
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        return client.get(f"/api/v1{path}", query_string=query, headers=sent)

    return get


@dataclass
class Catalogue:
    section: object
    group: object
    courses: list


@pytest.fixture
def catalogue(db):
    from lnd.courses.models import Course, CourseGroup, Section

    section = Section(slug="core-offer", title="Core Offer")
    group = CourseGroup(slug="core-training", section=section, title="Core training")
    courses = [Course(slug=f"course-{n}", title=f"Course {n}", section=section, group=group if n % 2 else None,
                      status="active" if n < 3 else "retired", summary="",
                      external_id="ELR-0002" if n == 2 else None) for n in range(1, 5)]
    _db.session.add_all(courses)
    _db.session.commit()
    return Catalogue(section, group, courses)


@pytest.fixture
def complete(db):
    """complete(person, course, on, recorded_at) -> Completion, committed."""
    from lnd.courses.models import Completion

    def factory(person, course, completed_on, created_at, source="import"):
        row = Completion(person_id=person.id, course_id=course.id, completed_on=completed_on, source=source,
                         created_at=created_at)
        _db.session.add(row)
        _db.session.commit()
        return row

    return factory


@pytest.fixture
def book(db):
    """book(person, course, starts_at, state) -> Booking on a new session of the course, committed."""
    from lnd.bookings.models import Booking, CourseSession

    def factory(person, course, starts_at, state="booked"):
        session = CourseSession(course_id=course.id, capacity=10, starts_at=starts_at,
                                ends_at=starts_at + timedelta(hours=3))
        _db.session.add(session)
        _db.session.flush()
        booking = Booking(session_id=session.id, person_id=person.id, state=state,
                          waitlisted_at=starts_at if state == "waitlisted" else None)
        _db.session.add(booking)
        _db.session.commit()
        return booking

    return factory
