"""The API answers as its OpenAPI document says: schemathesis generates requests for every operation
from /api/v1/openapi.json and checks each answer (status codes, content types, response schemas, no
server errors, refusal without the token)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

MAX_EXAMPLES = 20


@pytest.fixture
def some_data(offer, make_person, complete, book, od):
    from lnd.courses.models import Course
    from lnd.extensions import db

    course = db.session.scalar(db.select(Course).where(Course.group_id.is_not(None)).order_by(Course.id))
    manager = make_person("Mo", "Manager", roles=("staff", "manager"), team="Assessment", job_role="Team Manager")
    for n in range(3):
        person = make_person(f"P{n}", "Person", manager=manager, team="Assessment", start_date=date(2026, 10, 5))
        complete(person, course, date(2026, 10, 20 + n), datetime(2026, 10, 20 + n, 12, tzinfo=timezone.utc))
        book(person, course, datetime(2026, 12, 1 + n, 9, 30, tzinfo=timezone.utc))


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {operation.path for operation in operations} == {
        "/people", "/courses", "/completions", "/compliance", "/bookings"}
    return operations


def _run(operation, mode: GenerationMode, headers: dict):
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    def check(case):
        case.call_and_validate(headers=headers)

    check()


def test_the_api_matches_its_openapi_document(app, token, some_data):
    headers = {"Authorization": f"Bearer {token}"}
    for operation in _operations(app):
        _run(operation, GenerationMode.POSITIVE, headers)


def test_the_api_refuses_what_its_document_does_not_allow(app, token, some_data):
    headers = {"Authorization": f"Bearer {token}"}
    for operation in _operations(app):
        _run(operation, GenerationMode.NEGATIVE, headers)
