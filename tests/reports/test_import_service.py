"""The completions import against the database: matching people and courses, duplicates, all or none,
the statement ids that make a second import add nothing, and the audit row."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from lnd.courses.models import Completion
from lnd.reports import import_services as imports
from lnd.reports.import_models import XapiStatement
from tests.reports._import_support import (  # noqa: F401  (world is a fixture)
    ATTEMPTED, DOLS_ID, PASSED, PREVENT_ID, SID, TODAY, add_course, as_array, as_lines, completion_count, completions,
    csv_bytes, import_audits, statement, statement_count, world,
)


def apply(db, data: bytes, actor=None, source="completions.json") -> imports.CompletionImportPreview:
    result = imports.apply_import(data, actor=actor, today=TODAY, source=source)
    db.session.commit()
    return result


def problems_of(data: bytes) -> list[str]:
    return [str(p) for p in imports.check(data, TODAY).problems]


def test_xapi_statements_add_imported_completions(db, world):
    data = as_array(statement(1), statement(2, email=None, number="D1024", verb=PASSED, course=DOLS_ID,
                                            timestamp="2026-10-05T08:00:00+01:00"),
                    statement(3, verb=ATTEMPTED))
    preview = imports.check(data, TODAY)
    assert (preview.kind, preview.to_add, preview.duplicates, preview.ignored_count) == ("xAPI", 2, 0, 1)
    assert completion_count() == 0   # checking changes nothing
    result = apply(db, data, actor=world.od)
    assert result.summary(added="added") == "2 added, 0 skipped as duplicates, 1 ignored (other verbs)"
    assert completions() == [
        (world.sam.id, world.prevent.title, date(2026, 11, 1), "import"),
        (world.ben.id, world.dols.title, date(2026, 10, 5), "import"),
    ]
    added = db.session.scalars(select(Completion).order_by(Completion.id)).all()
    assert all(c.recorded_by_id == world.od.id for c in added)
    assert added[0].note == "Imported from the e-learning platform (completions.json, line 2)."
    kept = db.session.scalars(select(XapiStatement).order_by(XapiStatement.id)).all()
    assert [(s.statement_id, s.completion_id, s.verb) for s in kept] == [
        (SID.format(1), added[0].id, "completed"), (SID.format(2), added[1].id, "passed")]


def test_importing_the_same_file_twice_adds_nothing_the_second_time(db, world):
    data = as_lines(statement(1), statement(2, course=DOLS_ID), statement(3, verb=ATTEMPTED))
    first = apply(db, data, actor=world.od)
    assert (first.to_add, first.duplicates, first.ignored_count) == (2, 0, 1)
    second = apply(db, data, actor=world.od)
    assert (second.to_add, second.duplicates, second.ignored_count) == (0, 2, 1)
    assert {row.reason for row in second.rows} == {"This statement was imported before."}
    assert completion_count() == 2 and statement_count() == 2
    audits = import_audits()
    assert [(a.after["added"], a.after["duplicates"], a.after["ignored"]) for a in audits] == [(2, 0, 1), (0, 2, 1)]
    assert audits[0].actor_id == world.od.id and audits[0].after["format"] == "xAPI"
    assert "2 added, 0 skipped as duplicates, 1 ignored" in audits[0].summary


def test_a_new_statement_for_a_completion_already_recorded_is_a_duplicate(db, world):
    db.session.add(Completion(person_id=world.sam.id, course_id=world.prevent.id, completed_on=date(2026, 11, 1),
                              source="self_recorded"))
    db.session.commit()
    result = apply(db, as_lines(statement(1, timestamp="2026-11-01T18:00:00Z"),
                                statement(2, timestamp="2026-11-02T09:00:00Z")))
    assert [(r.action, r.reason) for r in result.rows] == [
        (imports.DUPLICATE, "Already recorded for this person on this day."), (imports.ADD, "")]
    assert completion_count() == 2
    # The repeated statement's id is kept too, linked to the completion that was already there.
    assert statement_count() == 2


def test_repeats_within_one_file_are_added_once(db, world):
    data = as_lines(statement(1), statement(1), statement(2, timestamp="2026-11-01T16:00:00Z"))
    result = apply(db, data)
    assert [(r.line, r.action, r.reason) for r in result.rows] == [
        (1, imports.ADD, ""),
        (2, imports.DUPLICATE, "The same statement is on line 1."),
        (3, imports.DUPLICATE, "The same completion is on line 1."),
    ]
    assert completion_count() == 1 and statement_count() == 2
    assert apply(db, data).to_add == 0


def test_csv_rows_match_people_by_email_or_number_and_courses_by_id_or_exact_title(db, world):
    data = csv_bytes(f"SAM.OKAFOR@example.org,{PREVENT_ID},2026-11-01",
                     "D1024,Neglect,01/10/2026",
                     "D1004,Deprivation of Liberty Safeguards (DoLS),2026-09-30",
                     "sam.okafor@example.org,Neglect,01/10/2026",
                     "D1004,Neglect,2026-10-01")
    result = apply(db, data, source="export.csv")
    assert (result.kind, result.to_add, result.duplicates, result.ignored_count) == ("CSV", 4, 1, 0)
    assert result.rows[-1].reason == "The same completion is on line 5."
    assert completions(world.sam) == [
        (world.sam.id, world.dols.title, date(2026, 9, 30), "import"),
        (world.sam.id, "Neglect", date(2026, 10, 1), "import"),
        (world.sam.id, world.prevent.title, date(2026, 11, 1), "import"),
    ]
    assert statement_count() == 0
    again = apply(db, data, source="export.csv")
    assert (again.to_add, again.duplicates) == (0, 5)


def test_every_unknown_person_and_course_is_reported_and_nothing_is_added(db, world):
    add_course("Neglect", slug="neglect-2", section_slug="multi-agency")   # the title is now shared
    data = csv_bytes(f"sam.okafor@example.org,{PREVENT_ID},2026-11-01",
                     f"nobody@example.org,{PREVENT_ID},2026-11-01",
                     f"D9999,{DOLS_ID},2026-11-01",
                     "D1004,Not A Course,2026-11-01",
                     "D1004,Neglect,2026-11-01",
                     "D1004,neglect,2026-11-01",
                     "D1004,Neglect,2026-13-01")
    assert problems_of(data) == [
        "Line 3: No one in the system has the email address “nobody@example.org”.",
        "Line 4: No one in the system has the employee number “D9999”.",
        "Line 5: No course has the e-learning platform id or the exact title “Not A Course”.",
        "Line 6: The title “Neglect” is shared by 2 courses (Library, Multi Agency). Give the course an "
        "e-learning platform id and use it in the file.",
        "Line 7: No course has the e-learning platform id or the exact title “neglect”.",
        "Line 8: The completion date “2026-13-01” is not a real date. Write dates as YYYY-MM-DD or DD/MM/YYYY.",
    ]
    with pytest.raises(imports.CompletionImportRejected) as rejected:
        imports.apply_import(data, actor=None, today=TODAY)
    db.session.rollback()
    assert len(rejected.value.preview.problems) == 6
    assert completion_count() == 0 and import_audits() == []


def test_one_bad_statement_stops_the_whole_file(db, world):
    data = as_lines(statement(1), statement(2, course="https://learn.example.org/activity/unknown"), statement(3))
    assert problems_of(data) == [
        "Line 2: No course has the e-learning platform id “https://learn.example.org/activity/unknown”. "
        "Give the course this id on its edit page, then import the file again."]
    with pytest.raises(imports.CompletionImportRejected):
        imports.apply_import(data, actor=None, today=TODAY)
    db.session.rollback()
    assert completion_count() == 0 and statement_count() == 0


def test_xapi_object_ids_never_match_by_title(db, world):
    data = as_lines(statement(1, course="Neglect"))
    assert problems_of(data)[0].startswith("Line 1: No course has the e-learning platform id “Neglect”.")


def test_a_retired_course_with_the_same_title_gives_way_to_the_live_one(db, world):
    add_course("Neglect", slug="neglect-old", section_slug="old", status="retired")
    result = imports.check(csv_bytes("D1004,Neglect,2026-11-01"), TODAY)
    assert result.problems == [] and result.rows[0].course_title == "Neglect"


def test_malformed_json_and_future_dates_are_problems(db, world):
    data = as_lines(statement(1)) + b"{oops\n" + as_lines(statement(2, timestamp="2026-12-25T09:00:00Z"))
    problems = problems_of(data)
    assert problems[0].startswith("Line 2: The line is not valid JSON")
    assert problems[1] == "Line 3: The timestamp 25 December 2026 is in the future."


@pytest.mark.parametrize("data, reason", [
    (b"[" * 50000, "Line 1: The file cannot be read: its lists or objects are nested too deeply."),
    (as_lines(statement(1)) + b'{"a": ' * 50000 + b"\n",
     "Line 2: The line cannot be read: its lists or objects are nested too deeply."),
    (b'[\n{"id": ' + b"9" * 5000 + b"}\n]", "Line 2: The file cannot be read: it holds a number with too many digits."),
])
def test_json_too_deep_or_with_huge_numbers_is_a_problem_not_a_crash(db, world, data, reason):
    problems = problems_of(data)
    assert problems[-1].startswith(reason), problems
    with pytest.raises(imports.CompletionImportRejected):
        imports.apply_import(data, actor=world.od, today=TODAY, source="deep.json")
    db.session.rollback()
    assert completion_count() == 0


def test_the_number_of_statements_does_not_grow_with_the_file(app, db, world):
    from sqlalchemy import event

    def count(data: bytes) -> int:
        statements = []
        listener = lambda *args: statements.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            imports.check(data, TODAY)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    small = as_lines(statement(1), statement(2, email=None, number="D1024", course=DOLS_ID))
    large = as_lines(*[statement(n, email="sam.okafor@example.org" if n % 2 else None, number="D1024",
                                 course=PREVENT_ID if n % 3 else DOLS_ID,
                                 timestamp=f"2026-{1 + n % 10:02d}-{1 + n % 27:02d}T09:00:00Z") for n in range(1, 120)])
    count(small)   # the transaction begins
    assert count(large) == count(small) <= 12
