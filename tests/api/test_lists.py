"""What each list holds, field by field, and how it pages: what a BI developer would check."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest

from lnd.core.clock import LONDON

UTC = timezone.utc


def _query(url: str) -> dict:
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "localhost"
    return {key: values[0] for key, values in parse_qs(parts.query).items()}


# ---------------------------------------------------------------------------------------------
# People

def test_people_carry_the_minimal_fields_and_no_contact_details(api, make_person, od):
    boss = make_person("Bea", "Boss", roles=("staff", "manager"), team="Assessment", job_role="Team Manager",
                       employee_number="E100", email="bea.boss@example.org")
    worker = make_person("Wes", "Worker", manager=boss, team="Assessment", job_role="Social Worker",
                         employee_number="E101", start_date=date(2025, 3, 3), leaving_date=date(2026, 12, 31),
                         swe="SW123456", email="wes.worker@example.org")
    body = api("/people").json
    assert body["meta"] == {"total": 3, "page": 1, "per_page": 100}
    rows = {row["id"]: row for row in body["data"]}
    assert [row["id"] for row in body["data"]] == sorted(rows)
    assert rows[worker.id] == {"id": worker.id, "employee_number": "E101", "name": "Wes Worker",
                               "job_role": "Social Worker", "team": "Assessment", "manager_id": boss.id,
                               "start_date": "2025-03-03", "leaving_date": "2026-12-31"}
    assert rows[boss.id]["manager_id"] is None and rows[boss.id]["leaving_date"] is None
    text = api("/people").get_data(as_text=True)
    assert "@example.org" not in text and "SW123456" not in text


def test_pages_follow_one_another_by_id_to_the_end(api, make_person, od):
    for n in range(4):
        make_person(f"P{n}", "Paged")
    first = api("/people", per_page=2).json
    assert [len(first["data"]), first["meta"]] == [2, {"total": 5, "page": 1, "per_page": 2}]
    assert _query(first["links"]["self"]) == {"page": "1", "per_page": "2"}
    assert _query(first["links"]["next"]) == {"page": "2", "per_page": "2"}
    seen = [row["id"] for row in first["data"]]
    url = first["links"]["next"]
    while url:
        body = api("/people", **_query(url)).json
        seen += [row["id"] for row in body["data"]]
        url = body["links"]["next"]
    assert seen == sorted(seen) and len(set(seen)) == 5
    assert body["meta"]["page"] == 3 and len(body["data"]) == 1
    beyond = api("/people", per_page=2, page=9).json
    assert beyond["data"] == [] and beyond["meta"]["total"] == 5 and beyond["links"]["next"] is None


def test_a_full_last_page_has_no_next_page(api, make_person, od):
    make_person("Second", "Person")
    body = api("/people", per_page=2).json
    assert len(body["data"]) == 2 and body["links"]["next"] is None


@pytest.mark.parametrize("query, words", [
    ({"page": "0"}, "page must be a whole number from 1 to 1,000,000"),
    ({"page": "-1"}, "page must be a whole number"),
    ({"page": "two"}, "got 'two'"),
    ({"page": "1.5"}, "page must be a whole number"),
    ({"per_page": "501"}, "per_page must be a whole number from 1 to 500"),
    ({"per_page": "0"}, "per_page must be a whole number from 1 to 500"),
    ({"page": ["1", "2"]}, "Give page once, not 2 times"),
    ({"pagesize": "10"}, "Unknown query parameter: pagesize. This list accepts: page, per_page."),
    ({"since": "2026-11-01"}, "Unknown query parameter: since"),
])
def test_bad_parameters_get_400_with_a_sentence(api, query, words):
    response = api("/people", **query)
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert words in response.json["error"]


def test_bad_parameters_without_a_token_are_refused_first(api):
    assert api("/people", token=None, page="0").status_code == 401


# ---------------------------------------------------------------------------------------------
# Courses

def test_courses_include_retired_ones_with_their_section_and_group(api, catalogue):
    body = api("/courses").json
    assert body["meta"]["total"] == 4
    first, second, _, fourth = catalogue.courses
    rows = {row["id"]: row for row in body["data"]}
    assert rows[first.id] == {"id": first.id, "slug": "course-1", "title": "Course 1", "section": "core-offer",
                              "section_title": "Core Offer", "group": "core-training",
                              "group_title": "Core training", "status": "active", "external_id": None}
    assert rows[second.id]["group"] is None and rows[second.id]["group_title"] is None
    assert rows[second.id]["external_id"] == "ELR-0002"
    assert rows[fourth.id]["status"] == "retired"


# ---------------------------------------------------------------------------------------------
# Completions and `since`

@pytest.fixture
def recorded(make_person, catalogue, complete, od):
    """Three completions recorded at 09:00 UTC on 1, 10 and 20 November 2026."""
    person = make_person("Cara", "Completer")
    course = catalogue.courses[0]
    return [complete(person, course, date(2026, 10, day), datetime(2026, 11, day, 9, 0, tzinfo=UTC))
            for day in (1, 10, 20)]


def test_completions_carry_who_what_when_and_how(api, recorded):
    body = api("/completions").json
    assert body["meta"]["total"] == 3
    first = recorded[0]
    assert body["data"][0] == {"id": first.id, "person_id": first.person_id, "course_id": first.course_id,
                               "completed_on": "2026-10-01", "source": "import",
                               "created_at": "2026-11-01T09:00:00+00:00"}


@pytest.mark.parametrize("since, days", [
    ("2026-11-10", [10, 20]),                        # a date: from midnight UTC
    ("2026-11-10T09:00:00Z", [10, 20]),              # at or after: the same moment comes again
    ("2026-11-10T09:00:01Z", [20]),
    ("2026-11-10T09:30:00+01:00", [10, 20]),         # 08:30 UTC
    ("2026-11-10T10:30:00+01:00", [20]),             # 09:30 UTC
    ("2026-11-10T09:00:00", [10, 20]),               # no offset: UTC
    ("2026-11-10t09:00:00.000001z", [20]),           # RFC 3339 allows lower case
    ("2026-11-21", []),
    ("2000-01-01", [1, 10, 20]),
])
def test_since_lists_only_what_was_recorded_from_that_moment(api, recorded, since, days):
    body = api("/completions", since=since).json
    assert [row["created_at"][8:10] for row in body["data"]] == [f"{day:02d}" for day in days]
    assert body["meta"]["total"] == len(days)


def test_since_is_kept_in_the_next_page_address(api, recorded):
    body = api("/completions", since="2026-11-01", per_page=1).json
    assert _query(body["links"]["next"]) == {"since": "2026-11-01", "page": "2", "per_page": "1"}
    assert api("/completions", **_query(body["links"]["next"])).json["data"][0]["id"] == recorded[1].id


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01", "2026-11-31", "1 November 2026", "2026-11-01T25:00"])
def test_a_since_that_is_not_a_date_gets_400(api, since):
    response = api("/completions", since=since)
    assert response.status_code == 400
    assert "since must be an ISO 8601 date-time such as 2026-11-01T09:30:00Z" in response.json["error"]


def test_an_incremental_load_picks_up_only_new_rows(api, recorded, make_person, catalogue, complete):
    loaded = api("/completions").json["data"]
    high_water = max(row["created_at"] for row in loaded)
    newer = complete(make_person("Nia", "Newer"), catalogue.courses[1], date(2026, 11, 21),
                     datetime(2026, 11, 21, 16, 45, tzinfo=UTC))
    again = api("/completions", since=high_water).json["data"]
    assert {row["id"] for row in again} == {recorded[-1].id, newer.id}


# ---------------------------------------------------------------------------------------------
# Bookings

def test_bookings_carry_the_session_course_person_state_and_start(api, make_person, catalogue, book):
    person = make_person("Bo", "Booker")
    course = catalogue.courses[0]
    starts = datetime(2026, 12, 7, 9, 30, tzinfo=LONDON)
    booking = book(person, course, starts)
    waiting = book(person, catalogue.courses[1], starts + timedelta(days=7), state="waitlisted")
    body = api("/bookings").json
    assert body["meta"]["total"] == 2
    assert body["data"][0] == {"id": booking.id, "session_id": booking.session_id, "course_id": course.id,
                               "person_id": person.id, "state": "booked",
                               "session_starts_at": "2026-12-07T09:30:00+00:00"}
    assert body["data"][1]["state"] == "waitlisted" and body["data"][1]["id"] == waiting.id


# ---------------------------------------------------------------------------------------------
# Compliance

def test_compliance_lists_each_required_course_of_each_person_on_the_page(api, offer, make_person, od):
    from lnd.compliance import queries as compliance_queries
    from lnd.extensions import db
    from lnd.people.models import Person

    starter = make_person("Sam", "Starter", start_date=date(2026, 11, 2))
    long_gone = make_person("Lee", "Leaver", start_date=date(2020, 1, 6), leaving_date=date(2024, 1, 1))
    external = make_person("Ezra", "External", roles=("external_learner",), kind="school")
    body = api("/compliance").json
    assert body["meta"]["total"] == 4   # people, not rows
    by_person = {}
    for row in body["data"]:
        assert set(row) == {"person_id", "course_id", "requirement", "window", "status", "due_on", "completed_on"}
        by_person.setdefault(row["person_id"], []).append(row)
    assert external.id not in by_person
    people = {p.id: p for p in db.session.scalars(db.select(Person))}
    expected = compliance_queries.required_learning_for([people[starter.id]], date(2026, 11, 22))[starter.id]
    assert len(by_person[starter.id]) == sum(len(window.items) for window in expected) > 0
    assert {row["status"] for row in by_person[starter.id]} <= {"due", "due_soon"}
    assert {row["status"] for row in by_person[long_gone.id]} == {"not_applicable"}
    windows = {window.key: window for window in expected}
    for row in by_person[starter.id]:
        item = next(i for i in windows[row["window"]].items if i.course.id == row["course_id"])
        assert row["requirement"] == item.requirement.slug
        assert row["due_on"] == item.status.due_on.isoformat() and row["completed_on"] is None
    assert {row["window"] for row in body["data"]} <= {key for key, _title in compliance_queries.windows_in_order()}
    person_ids = [row["person_id"] for row in body["data"]]
    assert person_ids == sorted(person_ids)


def test_compliance_pages_count_people(api, offer, make_person, od):
    for n in range(3):
        make_person(f"N{n}", "Newstarter", start_date=date(2026, 11, 2))
    body = api("/compliance", per_page=2).json
    assert body["meta"] == {"total": 4, "page": 1, "per_page": 2}
    assert len({row["person_id"] for row in body["data"]}) == 2   # OD and the first new starter
    last = api("/compliance", per_page=2, page=2).json
    assert len({row["person_id"] for row in last["data"]}) == 2 and last["links"]["next"] is None
