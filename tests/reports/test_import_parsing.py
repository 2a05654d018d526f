"""Reading completions files without the database: CSV rows and xAPI statements, and every reason a
row is refused, with its line number."""
from __future__ import annotations

import json
from datetime import date

import pytest

from lnd.reports.imports import CSV, EMAIL, EMPLOYEE_NUMBER, XAPI, parse_date, read_file

TODAY = date(2026, 11, 22)
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
PASSED = "http://adlnet.gov/expapi/verbs/passed"
ATTEMPTED = "http://adlnet.gov/expapi/verbs/attempted"
SID = "6b3a1f0e-9a0b-4c4e-8c1c-{:012d}"


def csv_bytes(*rows: str, header: str = "person,course,completed_on") -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def statement(n: int = 1, *, email: str | None = "sam@example.org", number: str | None = None,
              verb: str = COMPLETED, course: str = "https://learn.example.org/activity/prevent",
              timestamp: str | None = "2026-11-01T10:30:00Z", **extra) -> dict:
    actor = {"objectType": "Agent"}
    if email:
        actor["mbox"] = f"mailto:{email}"
    if number:
        actor["account"] = {"homePage": "https://learn.example.org", "name": number}
    made = {"id": SID.format(n), "actor": actor, "verb": {"id": verb, "display": {"en-GB": verb.rsplit("/", 1)[-1]}},
            "object": {"id": course, "objectType": "Activity"}}
    if timestamp:
        made["timestamp"] = timestamp
    made.update(extra)
    return made


def problems_of(data: bytes) -> list[str]:
    return [str(p) for p in read_file(data, TODAY).problems]


# Dates -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("2026-11-01", date(2026, 11, 1)),
    ("01/11/2026", date(2026, 11, 1)),
    ("1/11/2026", date(2026, 11, 1)),
    ("2026-11-01T14:30:00", date(2026, 11, 1)),
    ("2026-11-01 14:30", date(2026, 11, 1)),
    ("01/11/2026 14:30", date(2026, 11, 1)),
    (" 2026-02-28 ", date(2026, 2, 28)),
    ("29/02/2024", date(2024, 2, 29)),
    ("29/02/2026", None),
    ("2026-13-01", None),
    ("11/31/2026", None),
    ("1 November 2026", None),
    ("20261101", None),
    ("", None),
])
def test_dates_are_iso_or_day_month_year(text, expected):
    assert parse_date(text) == expected


# CSV -----------------------------------------------------------------------------------------------

def test_csv_rows_name_people_by_email_or_employee_number():
    read = read_file(csv_bytes(
        "Sam.Okafor@Example.org,prevent-2026,2026-11-01",
        "D1004,Neglect,01/10/2026",
    ), TODAY)
    assert read.kind == CSV and read.problems == []
    first, second = read.records
    assert (first.line, first.person_kind, first.person_key, first.course_key, first.completed_on) == (
        2, EMAIL, "sam.okafor@example.org", "prevent-2026", date(2026, 11, 1))
    assert (second.line, second.person_kind, second.person_key, second.completed_on) == (
        3, EMPLOYEE_NUMBER, "D1004", date(2026, 10, 1))
    assert first.title_allowed and first.statement_id is None


def test_csv_with_a_byte_order_mark_blank_lines_other_columns_and_other_headings():
    data = "\ufeffEmail,Course Title,Completion Date,Score\r\n\r\nsam@example.org,Neglect,2026-11-01,90\r\n\r\n".encode()
    read = read_file(data, TODAY)
    assert read.problems == []
    assert [(r.line, r.person_key, r.course_key) for r in read.records] == [(3, "sam@example.org", "Neglect")]


def test_csv_line_numbers_count_lines_of_the_file_not_records():
    data = csv_bytes('sam@example.org,"Neglect', 'part two",2026-11-01', "", "ben@example.org,Neglect,2026-12-01")
    assert problems_of(data) == ["Line 5: The completion date 1 December 2026 is in the future."]


@pytest.mark.parametrize("row, reason", [
    (",Neglect,2026-11-01", "The person is missing: give their email address or employee number."),
    ("sam@example,Neglect,2026-11-01", "The email address “sam@example” is not a valid email address."),
    ("sam@example.org,,2026-11-01", "The course is missing: give its e-learning platform id or its exact title."),
    ("sam@example.org,Neglect,", "The completion date is missing."),
    ("sam@example.org,Neglect,31/02/2026", "The completion date “31/02/2026” is not a real date. "
                                           "Write dates as YYYY-MM-DD or DD/MM/YYYY."),
    ("sam@example.org,Neglect,yesterday", "The completion date “yesterday” is not a real date. "
                                          "Write dates as YYYY-MM-DD or DD/MM/YYYY."),
    ("sam@example.org,Neglect,2026-11-23", "The completion date 23 November 2026 is in the future."),
    ("sam@example.org,Neglect", "The row has 2 values but the header row has 3 columns. Check for a missing "
                                "or extra comma, or a value that needs quotation marks."),
    ("sam@example.org,Neglect,2026-11-01,extra", "The row has 4 values but the header row has 3 columns. "
                                                 "Check for a missing or extra comma, or a value that needs "
                                                 "quotation marks."),
    ("sam@example.org," + "x" * 201 + ",2026-11-01", "The course is longer than 200 characters."),
])
def test_each_bad_csv_row_says_why_with_its_line(row, reason):
    data = csv_bytes("ben@example.org,Neglect,2026-11-01", row)
    read = read_file(data, TODAY)
    assert [str(p) for p in read.problems] == [f"Line 3: {reason}"]
    assert [r.line for r in read.records] == [2]


def test_today_is_not_the_future():
    assert problems_of(csv_bytes("sam@example.org,Neglect,2026-11-22")) == []


def test_every_bad_row_is_reported_not_only_the_first():
    data = csv_bytes("D1004,,", "sam@example.org,Neglect,2027-01-01", "ok@example.org,Neglect,2026-01-01")
    assert problems_of(data) == [
        "Line 2: The course is missing: give its e-learning platform id or its exact title.",
        "Line 2: The completion date is missing.",
        "Line 3: The completion date 1 January 2027 is in the future.",
    ]


@pytest.mark.parametrize("data, words", [
    (b"", "The file is empty."),
    (b"  \n\n", "The file is empty."),
    (b"person,course,completed_on\n", "has a header row but no completions"),
    (b"email,title\nsam@example.org,Neglect\n", "missing the columns course, completed_on"),
    (b"person;course;completed_on\nx;y;z\n", "separated by semicolons"),
    (b"email,employee_number,course,completed_on\n", "both name the person"),
    (b'person,course,completed_on\n"sam@example.org,Neglect,2026-11-01\n', "a value that needs quotation marks"),
    (b"\x89PNG\r\n\x1a\n\x00", "it looks like a PNG image"),
    (b"PK\x03\x04rest", "an Excel workbook"),
    ("person,course,completed_on\nAmé,Neglect,2026-11-01\n".encode("latin-1"), "line 2 has a character that is not UTF-8"),
    ("person".encode("utf-16"), "saved as UTF-16"),
    (b"person\x00course", "binary data"),
])
def test_files_that_cannot_be_read_say_why(data, words):
    problems = problems_of(data)
    assert len(problems) == 1 and words in problems[0], problems


# xAPI ---------------------------------------------------------------------------------------------

def as_array(*statements, indent=2) -> bytes:
    return json.dumps(list(statements), indent=indent).encode()


def as_lines(*statements) -> bytes:
    return ("\n".join(json.dumps(s) for s in statements) + "\n").encode()


def test_an_array_and_json_lines_read_the_same_completions():
    statements = [statement(1), statement(2, email=None, number="D1004", verb=PASSED,
                                           timestamp="2026-10-31T23:30:00+00:00")]
    from_array, from_lines = read_file(as_array(*statements), TODAY), read_file(as_lines(*statements), TODAY)
    assert from_array.kind == from_lines.kind == XAPI
    assert from_array.problems == from_lines.problems == []
    for read in (from_array, from_lines):
        first, second = read.records
        assert (first.person_kind, first.person_key, first.course_key, first.completed_on, first.verb) == (
            EMAIL, "sam@example.org", "https://learn.example.org/activity/prevent", date(2026, 11, 1), "completed")
        assert (second.person_kind, second.person_key, second.verb) == (EMPLOYEE_NUMBER, "D1004", "passed")
        assert first.statement_id == SID.format(1) and not first.title_allowed
    assert [r.line for r in from_lines.records] == [1, 2]
    openings = [n for n, line in enumerate(as_array(*statements).decode().splitlines(), 1) if line == "  {"]
    assert [r.line for r in from_array.records] == openings   # where each statement opens in the pretty file
    assert len(openings) == 2 and openings[0] == 2


@pytest.mark.parametrize("timestamp, day", [
    ("2026-06-30T23:30:00Z", date(2026, 7, 1)),         # British Summer Time: already the next day
    ("2026-10-30T23:30:00Z", date(2026, 10, 30)),        # GMT
    ("2026-07-01T00:30:00+01:00", date(2026, 7, 1)),
    ("2026-07-01T09:00:00.123456789Z"[:26] + "Z", date(2026, 7, 1)),
    ("2026-07-01T09:00:00", date(2026, 7, 1)),            # no zone: taken as London time
    ("2026-07-01", date(2026, 7, 1)),
])
def test_the_completion_date_is_the_timestamps_day_in_london(timestamp, day):
    (record,) = read_file(as_lines(statement(timestamp=timestamp)), TODAY).records
    assert record.completed_on == day


def test_statements_with_other_verbs_are_ignored_and_counted():
    read = read_file(as_lines(statement(1), statement(2, verb=ATTEMPTED), statement(3, verb=ATTEMPTED),
                              statement(4, verb="http://adlnet.gov/expapi/verbs/experienced",
                                        timestamp="2099-01-01T00:00:00Z")), TODAY)
    assert read.problems == []
    assert [r.statement_id for r in read.records] == [SID.format(1)]
    assert read.ignored == {"attempted": 2, "experienced": 1} and read.ignored_count == 3


def test_a_single_statement_and_blank_lines_are_read():
    read = read_file(b"\n" + json.dumps(statement(1), indent=2).encode(), TODAY)
    assert read.problems == [] and [r.line for r in read.records] == [2]
    read = read_file(b"\n" + as_lines(statement(1)) + b"\n\n" + as_lines(statement(2)), TODAY)
    assert read.problems == [] and [r.line for r in read.records] == [2, 5]


@pytest.mark.parametrize("bad, reason", [
    (statement(email=None), "The actor has neither an mbox (mailto: and an email address) nor an account name "
                            "(an employee number)."),
    (dict(statement(), actor={"mbox": "sam@example.org"}), "The actor's mbox “sam@example.org” does not start "
                                                            "with mailto:."),
    (statement(email="not-an-email"), "The actor's email address “not-an-email” is not a valid email address."),
    (dict(statement(), verb={}), "The statement has no verb id."),
    (dict(statement(), object={"objectType": "Activity"}), "The statement has no object id (the course's "
                                                           "e-learning platform id)."),
    (statement(timestamp=None), "The statement has no timestamp."),
    (statement(timestamp="last Tuesday"), "The timestamp “last Tuesday” is not a date and time like "
                                          "2026-11-01T10:30:00Z."),
    (statement(timestamp="2026-11-23T08:00:00Z"), "The timestamp 23 November 2026 is in the future."),
    (dict(statement(), id="not-a-uuid"), "The statement id “not-a-uuid” is not a UUID."),
    ("a string", "The statement is not a JSON object."),
])
def test_each_bad_statement_says_why_with_its_line(bad, reason):
    data = as_lines(statement(1), bad)
    read = read_file(data, TODAY)
    assert [str(p) for p in read.problems] == [f"Line 2: {reason}"]
    assert [r.line for r in read.records] == [1]


def test_the_stored_time_stands_in_for_a_missing_timestamp():
    (record,) = read_file(as_lines(statement(timestamp=None, stored="2026-09-01T12:00:00Z")), TODAY).records
    assert record.completed_on == date(2026, 9, 1)


def test_malformed_json_lines_are_each_reported():
    data = as_lines(statement(1)) + b"{not json}\n" + as_lines(statement(2)) + b'{"id": "x",\n'
    problems = problems_of(data)
    assert len(problems) == 2
    assert problems[0].startswith("Line 2: The line is not valid JSON: expecting property name")
    assert problems[1].startswith("Line 4: The line is not valid JSON")
    assert all("Each line must hold one whole statement." in p for p in problems)


@pytest.mark.parametrize("data, reason", [
    (b'[\n {"a": 1},\n {"b": 2\n]', "Line 4: The file is not valid JSON"),
    (b'[\n {"a": 1}\n {"b": 2}\n]', "Line 3: The file is not valid JSON: expected a comma or the ]"),
    (b'[\n {"a": 1},\n', "Line 3: The file is not valid JSON"),
    (b'[]\n[]', "Line 2: The file is not valid JSON: there is more text after the ]"),
])
def test_a_malformed_json_array_is_reported_where_it_breaks(data, reason):
    problems = problems_of(data)
    assert any(p.startswith(reason) for p in problems), problems


def test_an_empty_array_has_no_statements():
    assert problems_of(b"[ ]") == ["The file holds no xAPI statements."]


def test_statement_ids_are_kept_in_lower_case():
    (record,) = read_file(as_lines(dict(statement(), id=SID.format(7).upper())), TODAY).records
    assert record.statement_id == SID.format(7)
