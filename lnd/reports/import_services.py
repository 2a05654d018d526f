"""Importing e-learning completions: check a file against the database, preview it, apply all or none.

`check(data, today)` reads and checks a file and says what would happen to each completion;
`apply_import(data, actor=…, today=…, source=…)` checks it again and, only if there is no problem at
all, adds the completions (source "import"), keeps the ids of the xAPI statements it used, writes one
audit row and flushes. The caller commits.

People are matched by email address (any case) or employee number. A course is matched by its
e-learning platform id (`Course.external_id`) exactly; a CSV row may also name it by its exact title.
A completion already recorded (same person, course and day), or an xAPI statement imported before,
is skipped as a duplicate, so importing the same file twice adds nothing the second time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select

from lnd.core import audit
from lnd.courses.models import RETIRED, Completion, Course
from lnd.extensions import db
from lnd.people.models import Person
from lnd.reports.import_models import XapiStatement
from lnd.reports.imports import (
    EMAIL, MAX_COURSE_LENGTH, MAX_PERSON_LENGTH, CompletionRecord, Problem, quote, read_file,
)

ADD, DUPLICATE = "add", "duplicate"
IMPORT_SOURCE = "import"
_IN_CHUNK = 500  # keeps IN (...) lists well inside every database's parameter limit


@dataclass
class RowPreview:
    line: int
    person_name: str
    person_ref: str
    course_title: str
    completed_on: date
    action: str
    reason: str = ""


@dataclass
class CompletionImportPreview:
    kind: str
    rows: list[RowPreview] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)

    @property
    def to_add(self) -> int:
        return sum(1 for row in self.rows if row.action == ADD)

    @property
    def duplicates(self) -> int:
        return sum(1 for row in self.rows if row.action == DUPLICATE)

    @property
    def ignored_count(self) -> int:
        return sum(self.ignored.values())

    @property
    def has_changes(self) -> bool:
        return self.to_add > 0

    def summary(self, added: str = "to add") -> str:
        return (f"{self.to_add} {added}, {self.duplicates} skipped as duplicates, "
                f"{self.ignored_count} ignored (other verbs)")


class CompletionImportRejected(Exception):
    """The file has problems, so nothing was applied; `preview.problems` lists every one."""

    def __init__(self, preview: CompletionImportPreview):
        self.preview = preview
        super().__init__(f"The import has {len(preview.problems)} problem(s); nothing was changed.")


@dataclass
class _Item:
    record: CompletionRecord
    person: Person
    course: Course
    action: str
    existing_id: int | None = None      # the completion already recorded that this one repeats
    same_as: int | None = None          # the line of the file that this one repeats
    imported_before: bool = False       # its statement id was imported by an earlier import


@dataclass
class _Plan:
    preview: CompletionImportPreview
    items: list[_Item] = field(default_factory=list)


def _chunks(values) -> list[list]:
    values = sorted(values)
    return [values[i:i + _IN_CHUNK] for i in range(0, len(values), _IN_CHUNK)]


def _people(records: list[CompletionRecord]) -> tuple[dict[str, Person], dict[str, Person]]:
    emails = {r.person_key for r in records if r.person_kind == EMAIL}
    numbers = {r.person_key for r in records if r.person_kind != EMAIL}
    by_email, by_number = {}, {}
    for chunk in _chunks(emails):
        by_email.update((p.email.lower(), p) for p in db.session.scalars(
            select(Person).where(func.lower(Person.email).in_(chunk))))
    for chunk in _chunks(numbers):
        by_number.update((p.employee_number, p) for p in db.session.scalars(
            select(Person).where(Person.employee_number.in_(chunk))))
    return by_email, by_number


def _courses(records: list[CompletionRecord]) -> tuple[dict[str, Course], dict[str, list[Course]]]:
    keys = {r.course_key for r in records}
    by_id, by_title = {}, {}
    for chunk in _chunks(keys):
        by_id.update((c.external_id, c) for c in db.session.scalars(
            select(Course).where(Course.external_id.in_(chunk))))
    titles = {r.course_key for r in records if r.title_allowed and r.course_key not in by_id}
    for chunk in _chunks(titles):
        for course in db.session.scalars(select(Course).where(Course.title.in_(chunk)).order_by(Course.id)):
            by_title.setdefault(course.title, []).append(course)
    return by_id, by_title


def _course_for(record: CompletionRecord, by_id: dict, by_title: dict) -> Course | str:
    named = quote(record.course_key, MAX_COURSE_LENGTH)
    if record.course_key in by_id:
        return by_id[record.course_key]
    if not record.title_allowed:
        return (f"No course has the e-learning platform id {named}. "
                "Give the course this id on its edit page, then import the file again.")
    matches = by_title.get(record.course_key, [])
    live = [c for c in matches if c.status != RETIRED]
    if len(matches) == 1 or len(live) == 1:
        return matches[0] if len(matches) == 1 else live[0]
    if not matches:
        return f"No course has the e-learning platform id or the exact title {named}."
    sections = ", ".join(sorted({c.section.title for c in matches}))
    return (f"The title {named} is shared by {len(matches)} courses ({sections}). "
            "Give the course an e-learning platform id and use it in the file.")


def _seen_statements(records: list[CompletionRecord]) -> set[str]:
    ids = {r.statement_id for r in records if r.statement_id}
    seen = set()
    for chunk in _chunks(ids):
        seen.update(db.session.scalars(select(XapiStatement.statement_id).where(XapiStatement.statement_id.in_(chunk))))
    return seen


def _recorded(person_ids: set[int], course_ids: set[int]) -> dict[tuple[int, int, date], int]:
    found = {}
    for chunk in _chunks(person_ids):
        rows = db.session.execute(select(Completion.person_id, Completion.course_id, Completion.completed_on,
                                         Completion.id)
                                  .where(Completion.person_id.in_(chunk), Completion.course_id.in_(course_ids)))
        found.update(((p, c, d), i) for p, c, d, i in rows)
    return found


def _plan(data: bytes, today: date) -> _Plan:
    read = read_file(data, today)
    plan = _Plan(preview=CompletionImportPreview(kind=read.kind, problems=list(read.problems), ignored=read.ignored))
    if not read.records:
        return plan
    by_email, by_number = _people(read.records)
    by_id, by_title = _courses(read.records)
    resolved = []
    for record in read.records:
        person = (by_email if record.person_kind == EMAIL else by_number).get(record.person_key)
        course = _course_for(record, by_id, by_title)
        if person is None:
            what = "email address" if record.person_kind == EMAIL else "employee number"
            plan.preview.problems.append(Problem(record.line, f"No one in the system has the {what} "
                                                              f"{quote(record.person_key, MAX_PERSON_LENGTH)}."))
        if isinstance(course, str):
            plan.preview.problems.append(Problem(record.line, course))
        if person is not None and not isinstance(course, str):
            resolved.append((record, person, course))
    plan.preview.problems.sort(key=lambda p: p.line or 0)
    seen = _seen_statements(read.records)
    recorded = _recorded({p.id for _, p, _ in resolved}, {c.id for _, _, c in resolved})
    statement_lines: dict[str, int] = {}
    key_lines: dict[tuple, int] = {}
    for record, person, course in resolved:
        key = (person.id, course.id, record.completed_on)
        item = _Item(record, person, course, DUPLICATE)
        if record.statement_id in seen:
            item.imported_before, reason = True, "This statement was imported before."
        elif record.statement_id in statement_lines:
            item.same_as = statement_lines[record.statement_id]
            reason = f"The same statement is on line {item.same_as}."
        elif key in recorded:
            item.existing_id = recorded[key]
            reason = "Already recorded for this person on this day."
        elif key in key_lines:
            item.same_as = key_lines[key]
            reason = f"The same completion is on line {item.same_as}."
        else:
            item.action, reason = ADD, ""
            key_lines[key] = record.line
        if record.statement_id and record.statement_id not in seen:
            statement_lines.setdefault(record.statement_id, record.line)
        plan.items.append(item)
        plan.preview.rows.append(RowPreview(
            line=record.line, person_name=person.name, person_ref=record.person_key, course_title=course.title,
            completed_on=record.completed_on, action=item.action, reason=reason))
    return plan


def check(data: bytes, today: date) -> CompletionImportPreview:
    """Every problem with the file and, completion by completion, what importing it would do."""
    return _plan(data, today).preview


def apply_import(data: bytes, *, actor, today: date, source: str = "") -> CompletionImportPreview:
    """Check the file and, only if there is no problem at all, add every new completion; flush, never
    commit. Raises CompletionImportRejected, having changed nothing, when there is any problem."""
    plan = _plan(data, today)
    preview = plan.preview
    if preview.problems:
        raise CompletionImportRejected(preview)
    actor_id = getattr(actor, "id", actor)
    where = f"{source}, " if source else ""
    added: dict[int, Completion] = {}   # line -> the completion it added
    for item in plan.items:
        if item.action == ADD:
            added[item.record.line] = Completion(
                person_id=item.person.id, course_id=item.course.id, completed_on=item.record.completed_on,
                source=IMPORT_SOURCE, recorded_by_id=actor_id,
                note=f"Imported from the e-learning platform ({where}line {item.record.line}).")
    db.session.add_all(added.values())
    db.session.flush()
    kept: set[str] = set()
    for item in plan.items:
        record = item.record
        if not record.statement_id or item.imported_before or record.statement_id in kept:
            continue   # no id, imported before, or a statement this file repeats
        kept.add(record.statement_id)
        completion_id = added[record.line].id if item.action == ADD else (
            item.existing_id if item.existing_id is not None else added[item.same_as].id)
        db.session.add(XapiStatement(statement_id=record.statement_id, person_id=item.person.id,
                                     course_id=item.course.id, completion_id=completion_id, verb=record.verb,
                                     timestamp=record.timestamp, imported_by_id=actor_id))
    audit.record("completions_import", "import", None, actor=actor,
                 summary=f"E-learning completions import{f' from {source}' if source else ''} "
                         f"({preview.kind}): {preview.summary(added='added')}",
                 after={"source": source, "format": preview.kind, "added": preview.to_add,
                        "duplicates": preview.duplicates, "ignored": preview.ignored_count,
                        "ignored_verbs": preview.ignored,
                        "completion_ids": sorted(c.id for c in added.values())})
    db.session.flush()
    return preview
