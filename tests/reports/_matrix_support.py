"""What the training-matrix tests share: a small organisation on a fixed date, its learning records,
reading the matrix back from the page, and counting SQL statements."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from html.parser import HTMLParser

import pytest
from sqlalchemy import event

from lnd.core import clock
from lnd.extensions import db

TODAY = date(2026, 11, 22)


@dataclass
class Org:
    senior: object
    manager: object
    owner: object
    peer: object
    leaver: object
    other_manager: object
    unrelated: object
    od: object
    external: object


@pytest.fixture
def org(offer, make_person) -> Org:
    """Assessment: senior > manager > (owner, peer, leaver). Children in Need: other_manager > unrelated.
    The date is fixed at 22 November 2026."""
    clock.freeze(TODAY)
    senior = make_person("Sienna", "Senior", roles=("staff", "manager"), team="Assessment",
                         job_role="Service Manager", start_date=date(2015, 2, 2))
    manager = make_person("Morgan", "Manager", roles=("staff", "manager"), manager=senior, team="Assessment",
                          job_role="Team Manager", start_date=date(2018, 6, 11))
    owner = make_person("Olive", "Owner", manager=manager, team="Assessment", job_role="Social Worker",
                        start_date=date(2026, 10, 1))
    peer = make_person("Peter", "Peer", manager=manager, team="Assessment", job_role="Family Support Worker",
                       start_date=date(2024, 1, 8))
    leaver = make_person("Lena", "Leaver", manager=manager, team="Assessment", job_role="Social Worker",
                         start_date=date(2019, 4, 1), leaving_date=date(2026, 7, 31))
    other_manager = make_person("Omar", "Othermanager", roles=("staff", "manager"), team="Children in Need",
                                job_role="Team Manager", start_date=date(2016, 4, 18))
    unrelated = make_person("Uma", "Unrelated", manager=other_manager, team="Children in Need",
                            job_role="Social Worker", start_date=date(2025, 9, 1))
    od = make_person("Odette", "Admin", roles=("staff", "od_admin"), team="Centre for Practice Excellence/OD",
                     job_role="OD Admin Officer", start_date=date(2020, 3, 16))
    external = make_person("Ezra", "External", roles=("external_learner",), kind="school")
    return Org(senior, manager, owner, peer, leaver, other_manager, unrelated, od, external)


def signed_in(app, person):
    """A browser of its own, signed in as the person."""
    from tests.conftest import TEST_PASSWORD

    browser = app.test_client()
    response = browser.post("/login", data={"email": person.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return browser


def course(slug: str):
    from lnd.courses.models import Course

    return db.session.scalar(db.select(Course).filter_by(slug=slug))


def complete(person, slug: str, day: date) -> None:
    from lnd.courses.models import Completion

    db.session.add(Completion(person_id=person.id, course_id=course(slug).id, completed_on=day, source="od_recorded"))
    db.session.commit()


def exempt(person, slug: str, reason: str = "Prior learning") -> None:
    from lnd.compliance.models import Exemption

    db.session.add(Exemption(person_id=person.id, course_id=course(slug).id, reason=reason))
    db.session.commit()


def book(person, slug: str, day: date) -> None:
    from lnd.bookings.models import Booking, CourseSession

    starts = datetime(day.year, day.month, day.day, 10, 0, tzinfo=timezone.utc)
    session = CourseSession(course_id=course(slug).id, capacity=10, taken=1, starts_at=starts,
                            ends_at=starts.replace(hour=12))
    db.session.add(session)
    db.session.flush()
    db.session.add(Booking(session_id=session.id, person_id=person.id, state="booked"))
    db.session.commit()


class _Matrix(HTMLParser):
    """The body rows of the matrix table as lists of cell texts, and its header cells."""

    def __init__(self):
        super().__init__()
        self.rows, self.headers = [], []
        self._in_table = self._in_body = False
        self._cell = None

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "table" and "app-matrix__table" in classes:
            self._in_table = True
        elif self._in_table and tag == "tbody":
            self._in_body = True
        elif self._in_table and tag == "tr" and self._in_body:
            self.rows.append([])
        elif self._in_table and tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = self._in_body = False
        elif self._in_table and tag in ("td", "th") and self._cell is not None:
            text = " ".join("".join(self._cell).split())
            (self.rows[-1] if self._in_body else self.headers).append(text)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def matrix_of(html: str) -> _Matrix:
    parser = _Matrix()
    parser.feed(html)
    return parser


def names_on(html: str) -> list[str]:
    return [row[1] for row in matrix_of(html).rows]


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
