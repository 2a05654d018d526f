"""HR import of staff: read the HR system's CSV export, check every row, preview, apply all or none.

`check(data)` reads and checks a file and says what would happen to each row; `apply_import(data, …)`
checks it again and, only if there is no problem at all, creates and updates people, writes the audit
rows and flushes. The caller commits. People are matched by employee number; people not in the file
are left alone, and leavers are kept with a leaving date.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from lnd.core import audit
from lnd.core.templating import format_date
from lnd.extensions import db
from lnd.people.models import CHILDRENS_CARE, STAFF, JobRole, Organisation, Person, Team

from lnd.people.import_csv import (  # noqa: F401  (COLUMNS, REQUIRED re-exported for the views and CLI)
    COLUMNS, CREATE, LABELS, ORGANISATION_NAME, REQUIRED, UNCHANGED, UPDATE, ImportRow, Problem, quote,
    read_csv,
)

_IN_CHUNK = 500  # keeps IN (...) lists well inside every database's parameter limit


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass
class RowPreview:
    line: int
    employee_number: str
    name: str
    action: str
    changes: list[Change] = field(default_factory=list)


@dataclass
class ImportPreview:
    rows: list[RowPreview] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    new_job_roles: list[str] = field(default_factory=list)
    new_teams: list[str] = field(default_factory=list)

    def _count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def to_create(self) -> int:
        return self._count(CREATE)

    @property
    def to_update(self) -> int:
        return self._count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self._count(UNCHANGED)

    @property
    def has_changes(self) -> bool:
        return any(row.action != UNCHANGED for row in self.rows)

    def summary(self) -> str:
        return f"{self.to_create} to create, {self.to_update} to update, {self.unchanged} unchanged"


class StaffImportRejected(Exception):
    """The file has problems, so nothing was applied; `preview.problems` lists every one."""

    def __init__(self, preview: ImportPreview):
        self.preview = preview
        super().__init__(f"The import has {len(preview.problems)} problem(s); nothing was changed.")




# Checking against the database -----------------------------------------------------------------

def _chunks(values) -> list[list]:
    values = sorted(values)
    return [values[i:i + _IN_CHUNK] for i in range(0, len(values), _IN_CHUNK)]


def _snapshot(person: Person, manager_label: str | None) -> dict:
    return {"first_name": person.first_name, "last_name": person.last_name, "email": person.email,
            "job_role": person.job_role.name if person.job_role else None,
            "team": person.team.name if person.team else None, "manager": manager_label,
            "start_date": person.start_date, "leaving_date": person.leaving_date}


def _shown(value) -> str:
    if value is None or value == "":
        return "(none)"
    return format_date(value) if isinstance(value, date) else str(value)


@dataclass
class _Plan:
    """What `check` learnt, kept so that `apply_import` writes exactly what was previewed."""

    preview: ImportPreview
    rows: list[ImportRow] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)        # by employee number
    job_roles: dict[str, JobRole] = field(default_factory=dict)    # by lower-case name
    teams: dict[str, Team] = field(default_factory=dict)
    targets: dict[str, dict] = field(default_factory=dict)         # employee number -> values after
    befores: dict[str, dict] = field(default_factory=dict)


def _load_people(rows: list[ImportRow]):
    """Everyone the file names (by employee number or email), with their current manager: set-based."""
    manager = aliased(Person)
    base = (select(Person, manager.employee_number, manager.first_name, manager.last_name)
            .outerjoin(manager, Person.manager_id == manager.id))
    numbers = {r.employee_number for r in rows if r.employee_number} | {r.manager_number for r in rows if r.manager_number}
    emails = {r.email for r in rows if r.email}
    found: dict[int, tuple] = {}
    for chunk in _chunks(numbers):
        found.update((r[0].id, tuple(r)) for r in db.session.execute(base.where(Person.employee_number.in_(chunk))))
    for chunk in _chunks(emails):
        found.update((r[0].id, tuple(r)) for r in db.session.execute(base.where(func.lower(Person.email).in_(chunk))))
    by_number = {p.employee_number: p for p, *_ in found.values() if p.employee_number}
    by_email = {p.email.lower(): p for p, *_ in found.values()}
    manager_labels = {p.id: (f"{first} {last} ({num})" if num else f"{first} {last}") if p.manager_id else None
                      for p, num, first, last in found.values()}
    return by_number, by_email, manager_labels


def _ancestors(start_ids: set[int]) -> dict[int, tuple[int | None, str | None]]:
    """id -> (manager_id, employee_number) for the given people and everyone above them, in one query."""
    if not start_ids:
        return {}
    up = (select(Person.id, Person.manager_id, Person.employee_number)
          .where(Person.id.in_(start_ids)).cte("up", recursive=True))
    up = up.union(select(Person.id, Person.manager_id, Person.employee_number).join(up, Person.id == up.c.manager_id))
    return {r.id: (r.manager_id, r.employee_number) for r in db.session.execute(select(up))}


def _cycle_problems(rows: list[ImportRow], by_number: dict[str, Person], lines: dict[str, int]) -> list[Problem]:
    """Management lines that would loop (A manages B manages A), following existing people upwards too."""
    in_file = {r.employee_number: r for r in rows if r.employee_number and lines[r.employee_number] == r.line}
    outside = {by_number[r.manager_number].id for r in in_file.values()
               if r.manager_number and r.manager_number not in in_file and r.manager_number in by_number}
    above = _ancestors(outside)

    def node(person_id: int):
        number = above.get(person_id, (None, None))[1]
        return ("file", number) if number in in_file else ("db", person_id)

    def parent(key):
        kind, value = key
        if kind == "file":
            number = in_file[value].manager_number
            if not number or number == value:
                return None
            if number in in_file:
                return ("file", number)
            return ("db", by_number[number].id) if number in by_number else None
        manager_id = above.get(value, (None, None))[0]
        return node(manager_id) if manager_id in above else None

    def label(key) -> str:
        return key[1] if key[0] == "file" else (above[key[1]][1] or "a person with no employee number")

    state: dict = {}
    problems = []
    for start in (("file", n) for n in in_file):
        path, key = [], start
        while key is not None and key not in state:
            state[key] = start
            path.append(key)
            key = parent(key)
        if key is not None and state[key] == start:  # walked into this walk's own path: a loop
            loop = path[path.index(key):]
            chain = " manages ".join(label(k) for k in [*reversed(loop), loop[-1]])
            for member in loop:
                if member[0] == "file":
                    problems.append(Problem(in_file[member[1]].line,
                                            f"The manager would create a loop in the management line: {chain}."))
    return problems


def _database_problems(rows: list[ImportRow], by_number: dict, by_email: dict, lines: dict) -> list[Problem]:
    problems = []
    for row in rows:
        if row.manager_number and row.manager_number not in lines and row.manager_number not in by_number:
            problems.append(Problem(row.line, f"Manager's employee number {quote(row.manager_number)} is not in "
                                              "the file or in the system."))
        holder = by_email.get(row.email)
        if row.email and holder is not None and holder.employee_number != row.employee_number:
            who = f"employee number {holder.employee_number}" if holder.employee_number else "no employee number"
            problems.append(Problem(row.line, f"Email address {quote(row.email)} already belongs to {holder.name} "
                                              f"({who}), who is someone else."))
    return problems + _cycle_problems(rows, by_number, lines)


def _load_names(plan: _Plan, good: list[ImportRow]) -> None:
    """The job roles and teams the file names, matched without regard to case; the rest are new."""
    for model, attr, found in ((JobRole, "job_role", plan.job_roles), (Team, "team", plan.teams)):
        for chunk in _chunks({getattr(r, attr).lower() for r in good}):
            found.update((o.name.lower(), o) for o in db.session.scalars(
                select(model).where(func.lower(model.name).in_(chunk))))
    plan.preview.new_job_roles = sorted({r.job_role for r in good if r.job_role.lower() not in plan.job_roles})
    plan.preview.new_teams = sorted({r.team for r in good if r.team.lower() not in plan.teams})


def _row_preview(plan: _Plan, row: ImportRow, file_names: dict, manager_labels: dict) -> RowPreview:
    existing = plan.people.get(row.employee_number)
    role, team = plan.job_roles.get(row.job_role.lower()), plan.teams.get(row.team.lower())
    manager = plan.people.get(row.manager_number)
    target = {"first_name": row.first_name, "last_name": row.last_name, "email": row.email,
              "job_role": role.name if role else row.job_role, "team": team.name if team else row.team,
              "manager": f"{file_names.get(row.manager_number) or manager.name} ({row.manager_number})"
              if row.manager_number else None,
              "start_date": row.start_date, "leaving_date": row.leaving_date}
    before, action = {}, CREATE
    if existing is not None:
        before = _snapshot(existing, manager_labels[existing.id])
        if before["email"].lower() == target["email"]:
            target["email"] = before["email"]  # a change of case alone is not a change
        if manager is not None and existing.manager_id == manager.id:
            target["manager"] = before["manager"]  # the same manager, perhaps renamed in this file
        action = UPDATE if before != target else UNCHANGED
    changes = [Change(LABELS[k], _shown(before.get(k)), _shown(v)) for k, v in target.items()
               if before.get(k) != v and (existing is not None or v not in (None, ""))]
    plan.targets[row.employee_number], plan.befores[row.employee_number] = target, before
    return RowPreview(row.line, row.employee_number, file_names[row.employee_number], action, changes)


def _plan(data: bytes) -> _Plan:
    rows, problems = read_csv(data)
    plan = _Plan(preview=ImportPreview(problems=problems), rows=rows)
    if not rows:
        return plan
    plan.people, by_email, manager_labels = _load_people(rows)
    lines: dict[str, int] = {}
    for row in rows:
        lines.setdefault(row.employee_number, row.line)
    problems += _database_problems(rows, plan.people, by_email, lines)
    problems.sort(key=lambda p: p.line or 0)
    bad_lines = {p.line for p in problems}
    good = [r for r in rows if r.valid and r.line not in bad_lines]
    _load_names(plan, good)
    file_names = {r.employee_number: f"{r.first_name} {r.last_name}" for r in rows}
    plan.preview.rows = [_row_preview(plan, row, file_names, manager_labels) for row in good]
    return plan


def check(data: bytes) -> ImportPreview:
    """Every problem with the file and, row by row, what importing it would do. Changes nothing."""
    return _plan(data).preview


# Applying ------------------------------------------------------------------------------------

def _named(plan_map: dict, model, name: str):
    key = name.lower()
    if key not in plan_map:
        flags = {"is_social_work": "social worker" in key, "is_management": "manager" in key} if model is JobRole else {}
        plan_map[key] = model(name=name, **flags)
        db.session.add(plan_map[key])
    return plan_map[key]


def _write_people(plan: _Plan, today: date) -> dict[str, Person]:
    """Create and update the people the preview says will change; managers last, once everyone exists."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.name == ORGANISATION_NAME))
    rows = {r.employee_number: r for r in plan.rows}
    people = dict(plan.people)
    touched = [rows[item.employee_number] for item in plan.preview.rows if item.action != UNCHANGED]
    with db.session.no_autoflush:
        if organisation is None:
            organisation = Organisation(name=ORGANISATION_NAME, kind=CHILDRENS_CARE)
            db.session.add(organisation)
        for row in touched:
            person = people.get(row.employee_number)
            role = _named(plan.job_roles, JobRole, row.job_role)
            if person is None:
                person = Person(employee_number=row.employee_number, organisation=organisation,
                                job_role_since=row.start_date)
                person.set_roles([STAFF])
                db.session.add(person)
                people[row.employee_number] = person
            elif _kind_of_role(person.job_role) != _kind_of_role(role):
                # A move into another kind of role (into social work, into management) starts the
                # clock on that role's requirements; a promotion within the same kind does not.
                person.job_role_since = today
            person.job_role, person.team = role, _named(plan.teams, Team, row.team)
            person.first_name, person.last_name = row.first_name, row.last_name
            person.email = plan.targets[row.employee_number]["email"]
            person.start_date, person.leaving_date = row.start_date, row.leaving_date
        for row in touched:
            person = people[row.employee_number]
            wanted = people[row.manager_number] if row.manager_number else None
            if person.manager_id is None or wanted is None or person.manager_id != wanted.id:
                person.manager = wanted
    db.session.flush()
    return people


def _audit(plan: _Plan, people: dict[str, Person], actor, source: str) -> None:
    preview = plan.preview
    for item in preview.rows:
        person = people[item.employee_number]
        before, after = plan.befores[item.employee_number], plan.targets[item.employee_number]
        if item.action == CREATE:
            audit.record("person_created", "person", person.id, actor=actor, after=after,
                         summary=f"{person.name} ({person.employee_number}) added by the staff import")
        elif item.action == UPDATE:
            old, new = audit.changes(before, after)
            audit.record("person_updated", "person", person.id, actor=actor, before=old, after=new,
                         summary=f"{person.name} ({person.employee_number}) updated by the staff import")
    audit.record("staff_import", "import", None, actor=actor,
                 summary=f"Staff import{f' from {source}' if source else ''}: {preview.summary()}",
                 after={"source": source, "created": preview.to_create, "updated": preview.to_update,
                        "unchanged": preview.unchanged, "new_job_roles": preview.new_job_roles,
                        "new_teams": preview.new_teams})


def apply_import(data: bytes, *, actor, today: date, source: str = "") -> ImportPreview:
    """Check the file and, only if there is no problem at all, apply every row; flush, never commit.
    Raises StaffImportRejected, having changed nothing, when there is any problem."""
    plan = _plan(data)
    if plan.preview.problems:
        raise StaffImportRejected(plan.preview)
    people = _write_people(plan, today)
    _audit(plan, people, actor, source)
    db.session.flush()
    return plan.preview


def _kind_of_role(role: JobRole | None) -> tuple[bool, bool]:
    return (bool(role and role.is_social_work), bool(role and role.is_management))
