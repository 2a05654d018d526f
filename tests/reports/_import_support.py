"""What the completion-import tests share: a small catalogue, people, and files to import."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import func, select

from lnd.core.models import AuditEvent
from lnd.courses.models import Completion, Course, DeliveryMethod, Section
from lnd.extensions import db as _db
from lnd.reports.import_models import XapiStatement

TODAY = date(2026, 11, 22)
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
PREVENT_ID = "https://learn.example.org/activity/prevent"
DOLS_ID = "https://learn.example.org/activity/dols"
SID = "6b3a1f0e-9a0b-4c4e-8c1c-{:012d}"


@dataclass
class World:
    sam: object
    ben: object
    od: object
    prevent: Course
    dols: Course
    neglect: Course


def add_course(title: str, external_id: str | None = None, *, slug: str | None = None, section_slug="library",
               status="active") -> Course:
    section = _db.session.scalar(select(Section).filter_by(slug=section_slug)) or Section(
        slug=section_slug, title=section_slug.replace("-", " ").title())
    method = _db.session.get(DeliveryMethod, "e_learning") or DeliveryMethod(code="e_learning", label="E-Learning")
    course = Course(slug=slug or title.lower().replace(" ", "-"), title=title, section=section, external_id=external_id,
                    status=status, delivery_methods=[method], summary="An e-learning course.")
    _db.session.add(course)
    _db.session.commit()
    return course


@pytest.fixture
def world(db, make_person) -> World:
    sam = make_person("Sam", "Okafor", email="sam.okafor@example.org", employee_number="D1004")
    ben = make_person("Ben", "Turner", email="ben.turner@example.org", employee_number="D1024")
    od = make_person("Olu", "Admin", email="od@example.org", roles=["staff", "od_admin"])
    return World(sam=sam, ben=ben, od=od,
                 prevent=add_course("Safeguarding Against Radicalisation - The Prevent Duty", PREVENT_ID),
                 dols=add_course("Deprivation of Liberty Safeguards (DoLS)", DOLS_ID),
                 neglect=add_course("Neglect"))


def statement(n: int, *, email: str | None = "sam.okafor@example.org", number: str | None = None,
              verb: str = COMPLETED, course: str = PREVENT_ID, timestamp: str = "2026-11-01T10:30:00Z") -> dict:
    actor = {"mbox": f"mailto:{email}"} if email else {"account": {"homePage": "https://learn.example.org",
                                                                    "name": number}}
    return {"id": SID.format(n), "actor": actor, "verb": {"id": verb, "display": {"en-GB": verb.rsplit("/", 1)[-1]}},
            "object": {"id": course}, "timestamp": timestamp}


def as_array(*statements) -> bytes:
    return json.dumps(list(statements), indent=2).encode()


def as_lines(*statements) -> bytes:
    return ("\n".join(json.dumps(s) for s in statements) + "\n").encode()


def csv_bytes(*rows: str, header: str = "person,course,completed_on") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def completions(person=None) -> list[tuple]:
    """(person id, course title, date, source) of every completion, in order."""
    stmt = select(Completion).order_by(Completion.person_id, Completion.completed_on, Completion.id)
    if person is not None:
        stmt = stmt.where(Completion.person_id == person.id)
    return [(c.person_id, c.course.title, c.completed_on, c.source) for c in _db.session.scalars(stmt)]


def completion_count() -> int:
    return _db.session.scalar(select(func.count(Completion.id)))


def statement_count() -> int:
    return _db.session.scalar(select(func.count(XapiStatement.id)))


def import_audits() -> list[AuditEvent]:
    return list(_db.session.scalars(select(AuditEvent).filter_by(action="completions_import").order_by(AuditEvent.id)))
