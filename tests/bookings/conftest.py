"""Factories for the booking tests: courses of each authorisation rule, sessions, a fixed clock and
a real SMTP server on loopback."""
from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from lnd.bookings import notifications, session_services
from lnd.core import clock
from lnd.courses.models import Course, CourseGroup, DeliveryMethod, Section
from lnd.extensions import db as _db

LONDON = clock.LONDON
TODAY = date(2026, 11, 23)          # a Monday
SESSION_DAY = date(2026, 12, 7)     # two weeks later, also a Monday

_numbers = itertools.count(1)

METHODS = {
    "seminar": ("Seminar", True),
    "e_learning": ("E-Learning", False),
    "video": ("Video", False),
    "information_page": ("Information Page", False),
}


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def fixed_clock(db):
    clock.freeze(at(TODAY, 9))
    yield
    clock.freeze(None)
    notifications.discard()


@pytest.fixture
def make_course(db):
    def factory(title=None, *, authorisation="none", method="seminar", parts=1, status="active", link_url=None):
        n = next(_numbers)
        label, has_sessions = METHODS[method]
        method_row = _db.session.get(DeliveryMethod, method) or DeliveryMethod(
            code=method, label=label, has_sessions=has_sessions)
        section = _db.session.scalar(select(Section).filter_by(slug="test-section")) or Section(
            slug="test-section", title="Test section")
        group = CourseGroup(slug=f"test-group-{n}", section=section, title=f"Group {n}", authorisation=authorisation)
        course = Course(slug=f"test-course-{n}", title=title or f"Course {n}", section=section, group=group,
                        status=status, parts=parts, delivery_methods=[method_row], link_url=link_url,
                        summary="A course for the tests.")
        _db.session.add(course)
        _db.session.commit()
        return course

    return factory


@pytest.fixture
def od(make_person):
    return make_person("Olivia", "Dean", roles=["staff", "od_admin"], team="Centre for Practice Excellence/OD")


@pytest.fixture
def make_session(db, od):
    def factory(course, *, day=SESSION_DAY, start=(9, 30), end=(12, 30), capacity=20, parts=None, closes_on=None,
                venue="Middlesbrough House, Room 2", joining_url=None, facilitator="Jo Facilitator",
                facilitator_email=""):
        if parts is None:
            parts = [(at(day + timedelta(days=7 * i), *start), at(day + timedelta(days=7 * i), *end))
                     for i in range(course.parts)]
        details = session_services.SessionDetails(
            booking_closes_on=closes_on, facilitator=facilitator, facilitator_email=facilitator_email,
            capacity=capacity,
            parts=[session_services.PartDetails(s, e, venue, joining_url) for s, e in parts])
        session = session_services.create_session(course, details, od)
        _db.session.commit()
        notifications.discard()
        return session

    return factory


@pytest.fixture
def inbox(smtp_server):
    """A real SMTP server on loopback; the app sends to it; the test reads what it received."""
    return smtp_server
