"""The OpenAPI 3.0 description of the read API, served at /api/v1/openapi.json.

Written as data: what the views answer must match it (tests/api/test_schemathesis.py checks that).
The enumerations are taken from the modules that own the values, so they cannot drift.
"""
from __future__ import annotations

from copy import deepcopy

from lnd.api.params import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE

VERSION = "1.0.0"

DESCRIPTION = """\
A read-only API for the council's business-intelligence tools: the people in the service, the
learning offer, completions, each person's mandatory-training status and bookings.

**Authentication.** Every request sends the token of an API client in the `Authorization` header:
`Authorization: Bearer <token>`. The OD team issues and revokes tokens on the *API clients* page.
A missing, unknown or revoked token gets `401` with a `WWW-Authenticate` header. Session cookies
from the web pages are not accepted.

**Paging.** Lists are ordered by `id` and paged with `page` (from 1) and `per_page` (1 to 500,
default 100). `meta.total` counts everything in the list (the compliance list counts people);
`links.next` is the address of the next page, or `null` on the last page. Bad or unknown
parameters get `400` with a sentence saying what is wrong.

**Incremental loads.** `GET /completions?since=…` lists the completions recorded at or after a
moment (an ISO 8601 date-time, taken as UTC when it has no offset, or a date, from midnight UTC).
Keep the largest `created_at` you have loaded and pass it as `since` next time; rows at exactly
that moment come again, so de-duplicate on `id`.

**Personal data.** The API carries the least that reporting needs. People have their employee
number (the key to join with HR data), name, job role, team, manager, start date and leaving date;
no email address, no contact details, no registration numbers and none of their CPD, ASYE or
supervision records. Compliance rows say where each person stands on each requirement, not why
(reasons for exemptions stay in the service).
"""


def _nullable(schema: dict) -> dict:
    return {**schema, "nullable": True}


INTEGER_ID = {"type": "integer", "minimum": 1}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}
TEXT = {"type": "string"}


def _object(properties: dict, description: str) -> dict:
    return {"type": "object", "description": description, "required": list(properties),
            "additionalProperties": False, "properties": properties}


def _enums() -> dict:
    from lnd.bookings.models import BOOKING_STATES
    from lnd.compliance import rules as compliance_rules
    from lnd.courses.models import COMPLETION_SOURCES, COURSE_STATUSES

    return {"booking_states": sorted(BOOKING_STATES), "status_kinds": sorted(compliance_rules.LABELS),
            "completion_sources": sorted(COMPLETION_SOURCES), "course_statuses": sorted(COURSE_STATUSES)}


def _schemas(enums: dict) -> dict:
    return {
        "Person": _object({
            "id": INTEGER_ID,
            "employee_number": _nullable({**TEXT, "description": "The HR system's employee number (external "
                                                                 "learners may have none)"}),
            "name": TEXT,
            "job_role": _nullable(TEXT),
            "team": _nullable(TEXT),
            "manager_id": _nullable({**INTEGER_ID, "description": "The id of the person's line manager"}),
            "start_date": _nullable(DATE),
            "leaving_date": _nullable(DATE),
        }, "A person who uses the service: staff, and external learners such as foster carers."),
        "Course": _object({
            "id": INTEGER_ID,
            "slug": TEXT,
            "title": TEXT,
            "section": {**TEXT, "description": "The slug of the part of the offer the course is in"},
            "section_title": TEXT,
            "group": _nullable({**TEXT, "description": "The slug of the course's group within the section"}),
            "group_title": _nullable(TEXT),
            "status": {"type": "string", "enum": enums["course_statuses"]},
            "external_id": _nullable({**TEXT, "description": "The course's identifier on the e-learning "
                                                             "platform, where one is recorded"}),
        }, "A course of the learning and development offer, retired courses included."),
        "Completion": _object({
            "id": INTEGER_ID,
            "person_id": INTEGER_ID,
            "course_id": INTEGER_ID,
            "completed_on": DATE,
            "source": {"type": "string", "enum": enums["completion_sources"]},
            "created_at": {**DATE_TIME, "description": "When the completion was recorded in the service (UTC)"},
        }, "A person completed a course on a date."),
        "ComplianceStatus": _object({
            "person_id": INTEGER_ID,
            "course_id": INTEGER_ID,
            "requirement": {**TEXT, "description": "The slug of the requirement that makes the course required"},
            "window": {**TEXT, "description": "The window the requirement belongs to, e.g. "
                                              "childrens-services-induction, corporate-induction, "
                                              "childrens-services-core-training"},
            "status": {"type": "string", "enum": enums["status_kinds"]},
            "due_on": _nullable(DATE),
            "completed_on": _nullable(DATE),
        }, "Where a person stands on one required course, as of today."),
        "Booking": _object({
            "id": INTEGER_ID,
            "session_id": INTEGER_ID,
            "course_id": INTEGER_ID,
            "person_id": INTEGER_ID,
            "state": {"type": "string", "enum": enums["booking_states"]},
            "session_starts_at": {**DATE_TIME, "description": "When the session starts (UTC)"},
        }, "A person's place, request or waiting-list entry on a session of a course."),
        "Meta": _object({
            "total": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        }, "Where this page stands in the list."),
        "Links": _object({
            "self": TEXT,
            "next": _nullable({**TEXT, "description": "The next page, or null on the last page"}),
        }, "Addresses of this page and the next."),
        "Error": _object({"error": {**TEXT, "description": "What is wrong, as a sentence"}},
                         "A refusal or a problem with the request."),
    }


def _page_of(item: str) -> dict:
    return _object({"data": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
                    "meta": {"$ref": "#/components/schemas/Meta"},
                    "links": {"$ref": "#/components/schemas/Links"}}, f"One page of {item} rows.")


PARAMETERS = {
    "page": {"name": "page", "in": "query", "required": False, "description": "The page, from 1",
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}},
    "per_page": {"name": "per_page", "in": "query", "required": False,
                 "description": f"Rows per page (the compliance list: people per page), at most {MAX_PER_PAGE}",
                 "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE}},
    "since": {"name": "since", "in": "query", "required": False,
              "description": "Only completions recorded at or after this moment: an ISO 8601 date-time "
                             "(UTC when it has no offset) or a date (from midnight UTC)",
              "schema": {"anyOf": [DATE_TIME, DATE]}},
}

RESPONSES = {
    "BadRequest": {"description": "A query parameter is wrong or unknown",
                   "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
    "Unauthorized": {"description": "No token, or a token that is unknown or revoked",
                     "headers": {"WWW-Authenticate": {"schema": TEXT, "description": "Bearer challenge"}},
                     "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
}

# path -> (operationId, summary, item schema, extra parameters)
LISTS = [
    ("/people", "listPeople", "People", "Person", []),
    ("/courses", "listCourses", "Courses of the offer", "Course", []),
    ("/completions", "listCompletions", "Completions, optionally only those recorded since a moment",
     "Completion", ["since"]),
    ("/compliance", "listComplianceStatuses",
     "Mandatory-training status per person and requirement, for one page of people", "ComplianceStatus", []),
    ("/bookings", "listBookings", "Bookings on sessions", "Booking", []),
]


def _operation(operation_id: str, summary: str, item: str, extra: list[str]) -> dict:
    return {"get": {
        "operationId": operation_id,
        "summary": summary,
        "tags": ["read"],
        "parameters": [{"$ref": f"#/components/parameters/{name}"} for name in ["page", "per_page", *extra]],
        "responses": {
            "200": {"description": f"One page of {item} rows",
                    "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{item}Page"}}}},
            "400": {"$ref": "#/components/responses/BadRequest"},
            "401": {"$ref": "#/components/responses/Unauthorized"},
        },
    }}


def document() -> dict:
    """The OpenAPI document, fresh each time (callers may change their copy)."""
    schemas = _schemas(_enums())
    for _path, _id, _summary, item, _extra in LISTS:
        schemas[f"{item}Page"] = _page_of(item)
    return {
        "openapi": "3.0.3",
        "info": {"title": "Children's Care Learning and Development: read API", "version": VERSION,
                 "description": DESCRIPTION},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}],
        "tags": [{"name": "read", "description": "Read-only lists for reporting"}],
        "paths": {path: _operation(operation_id, summary, item, extra)
                  for path, operation_id, summary, item, extra in LISTS},
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                               "description": "A token issued by the OD team"}},
            "parameters": deepcopy(PARAMETERS),
            "responses": deepcopy(RESPONSES),
            "schemas": schemas,
        },
    }
