"""Each list costs the same number of SQL statements for a page of 2 rows as for a page of 20."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import event

from lnd.core.clock import LONDON
from lnd.extensions import db


@contextmanager
def counting():
    statements = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


@pytest.fixture
def busy(offer, make_person, complete, book, od):
    """24 people in two teams under managers, each with completions of required courses and a booking."""
    from lnd.courses.models import Course

    courses = db.session.scalars(db.select(Course).where(Course.group_id.is_not(None)).order_by(Course.id)
                                 .limit(6)).all()
    managers = [make_person("Mo", f"Manager{n}", roles=("staff", "manager"), team=f"Team {n}",
                            job_role="Team Manager") for n in range(2)]
    for n in range(22):
        person = make_person(f"P{n:02d}", "Busy", manager=managers[n % 2], team=f"Team {n % 2}",
                             job_role="Social Worker", start_date=date(2026, 6, 1) if n % 3 else date(2023, 1, 9))
        for k, course in enumerate(courses[: n % 4 + 1]):
            complete(person, course, date(2026, 7, 1 + k), datetime(2026, 7, 1 + k, 12, tzinfo=timezone.utc))
        book(person, courses[n % len(courses)], datetime(2026, 12, 1, 9, 30, tzinfo=LONDON) + timedelta(days=n))


@pytest.mark.parametrize("path, query", [
    ("/people", {}),
    ("/courses", {}),
    ("/completions", {}),
    ("/completions", {"since": "2026-07-02"}),
    ("/bookings", {}),
    ("/compliance", {}),
])
def test_a_page_of_20_costs_the_same_statements_as_a_page_of_2(api, busy, path, query):
    api(path, per_page=1, **query)   # the token's first use records it; later uses within the minute do not
    with counting() as few:
        small = api(path, per_page=2, **query).json
    with counting() as many:
        large = api(path, per_page=20, **query).json
    assert len(large["data"]) > len(small["data"]) >= 2
    assert len(many) == len(few), "\n\n".join(many)
    if path != "/compliance":   # (the compliance foundation has its own fixed cost)
        assert len(many) <= 3, "\n\n".join(many)
