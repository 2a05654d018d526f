"""Factories for the supervision tests: people in two teams, a CSAWS supervisor and a school DSL,
agreements in any signing state, planned and recorded sessions, and a fixed clock."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from lnd.bookings import notifications as booking_notifications
from lnd.core import clock
from lnd.extensions import db as _db
from lnd.people.models import EXTERNAL_LEARNER, MANAGER, OD_ADMIN, SCHOOL, STAFF, SUPERVISOR
from lnd.supervision import notifications, rules, services, session_services

LONDON = clock.LONDON
TODAY = date(2026, 11, 23)    # a Monday


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


@pytest.fixture(autouse=True)
def fixed_clock(db):
    clock.freeze(at(TODAY, 9))
    yield
    clock.freeze(None)
    notifications.discard()
    booking_notifications.discard()


class People:
    """Assessment: senior > manager > (worker, peer). Children in Need: other_manager > unrelated.
    Child Protection: cp_manager > csaws (a supervisor who manages nobody). A school DSL, an OD admin."""

    def __init__(self, make_person):
        self.senior = make_person("Sienna", "Senior", roles=(STAFF, MANAGER), team="Assessment")
        self.manager = make_person("Morgan", "Manager", roles=(STAFF, MANAGER, SUPERVISOR), manager=self.senior,
                                   team="Assessment")
        self.worker = make_person("Wanda", "Worker", manager=self.manager, team="Assessment",
                                  job_role="Social Worker")
        self.peer = make_person("Peter", "Peer", manager=self.manager, team="Assessment")
        self.other_manager = make_person("Omar", "Othermanager", roles=(STAFF, MANAGER), team="Children in Need")
        self.unrelated = make_person("Uma", "Unrelated", manager=self.other_manager, team="Children in Need")
        self.cp_manager = make_person("Carl", "Cpmanager", roles=(STAFF, MANAGER), team="Child Protection")
        self.csaws = make_person("Sofia", "Csaws", roles=(STAFF, SUPERVISOR), manager=self.cp_manager,
                                 team="Child Protection")
        self.other_supervisor = make_person("Sol", "Othersupervisor", roles=(STAFF, SUPERVISOR),
                                            team="Child Protection")
        self.dsl = make_person("David", "Dsl", roles=(EXTERNAL_LEARNER,), kind=SCHOOL,
                               organisation="Riverside Primary School", job_role="Designated Safeguarding Lead")
        self.od = make_person("Odette", "Admin", roles=(STAFF, OD_ADMIN), team="Centre for Practice Excellence/OD")


@pytest.fixture
def people(make_person) -> People:
    return People(make_person)


@pytest.fixture
def make_agreement(db):
    """make_agreement(supervisor, supervisee, kind='professional', signed='both'|'supervisor'|'supervisee'|None)"""

    def factory(supervisor, supervisee, kind=rules.PROFESSIONAL, *, signed="both", starts_on=date(2026, 9, 1),
                frequency=rules.MONTHLY, place="Room 3, Middlesbrough House", review_due_on=None):
        agreement = services.draft_agreement(supervisor, supervisee, kind, services.AgreementDetails(
            frequency=frequency, usual_place=place, starts_on=starts_on, review_due_on=review_due_on), starts_on)
        if signed in ("both", "supervisor"):
            services.sign_agreement(agreement, supervisor, at(starts_on, 10))
        if signed in ("both", "supervisee"):
            services.sign_agreement(agreement, supervisee, at(starts_on, 11))
        _db.session.commit()
        notifications.discard()
        return agreement

    return factory


@pytest.fixture
def plan(db):
    def factory(agreement, day=date(2026, 11, 26), hour=14, minutes=90, place=""):
        session = session_services.plan_session(agreement, agreement.supervisor, at(day, hour), minutes,
                                        place or agreement.usual_place)
        _db.session.commit()
        notifications.discard()
        return session

    return factory


@pytest.fixture
def record(db, plan):
    """A planned session, recorded: record(agreement, held_on, recorded_on=held_on, observation_notes='')"""

    def factory(agreement, held_on=date(2026, 11, 16), recorded_on=None, observation_notes="", hour=10):
        session = plan(agreement, day=held_on, hour=hour)
        session_services.record_session(session, agreement.supervisor, session_services.SessionRecord(
            held_on=held_on, duration_minutes=60, place=agreement.usual_place, agenda=["wellbeing", "casework"],
            discussion="Caseload and wellbeing.", decisions="Carry on.", observation=bool(observation_notes),
            observation_notes=observation_notes), at(recorded_on or held_on, 16))
        _db.session.commit()
        notifications.discard()
        return session

    return factory


@pytest.fixture
def course_with_session(db, people):
    """A seminar needing the line manager's agreement (as the Developmental Offer does), with one
    session two weeks on: course_with_session(authorisation='line_manager', capacity=10)."""
    import itertools

    from sqlalchemy import select

    from lnd.bookings import session_services
    from lnd.courses.models import Course, CourseGroup, DeliveryMethod, Section

    numbers = itertools.count(1)

    def factory(authorisation="line_manager", capacity=10):
        n = next(numbers)
        method = _db.session.get(DeliveryMethod, "seminar") or DeliveryMethod(code="seminar", label="Seminar",
                                                                             has_sessions=True)
        section = _db.session.scalar(select(Section).filter_by(slug="test-section")) or Section(
            slug="test-section", title="Test section")
        group = CourseGroup(slug=f"sup-group-{n}", section=section, title=f"Group {n}", authorisation=authorisation)
        course = Course(slug=f"sup-course-{n}", title=f"Court Skills {n}", section=section, group=group,
                        status="active", parts=1, delivery_methods=[method], summary="For the tests.")
        _db.session.add(course)
        _db.session.flush()
        day = date(2026, 12, 7)
        details = session_services.SessionDetails(
            booking_closes_on=None, facilitator="Jo Facilitator", facilitator_email="", capacity=capacity,
            parts=[session_services.PartDetails(at(day, 9, 30), at(day, 12, 30), "Room 2", None)])
        session = session_services.create_session(course, details, people.od)
        _db.session.commit()
        booking_notifications.discard()
        return course, session

    return factory
