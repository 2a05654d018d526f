"""The training matrix as a read model: who is in it (the filters), which required courses are its
columns (grouped by window), and each person's status on each course. Shared by the page, the CSV
and XLSX exports and `flask --app lnd report matrix`.

Set-based throughout: a page costs the same number of statements for 5 people as for 500, and an
export reads people in keyset-paginated chunks so that it never holds everyone at once.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from lnd.compliance import queries as compliance_queries
from lnd.compliance import rules
from lnd.core.templating import format_date_short
from lnd.extensions import db
from lnd.people.models import CHILDRENS_CARE, JobRole, Organisation, Person, Team
from lnd.people.queries import report_ids_query

NOT_REQUIRED = "not_required"   # the course is not required of this person at all
DASH = "—"
PERSON_HEADINGS = ["Employee number", "Name", "Team", "Job role", "Manager", "Start date"]

# The same few hundred dates recur across thousands of cells in an export.
short_date = lru_cache(maxsize=8192)(format_date_short)


@dataclass(frozen=True)
class MatrixFilters:
    """Who is in the matrix and which windows are its columns (None: no filter)."""

    team_id: int | None = None
    job_role_id: int | None = None
    manager_id: int | None = None       # that manager's direct and indirect reports
    section_slug: str | None = None     # only the windows in this section of the offer
    started_from: date | None = None
    started_to: date | None = None
    include_leavers: bool = False


@dataclass(frozen=True)
class Column:
    course_id: int
    title: str


@dataclass(frozen=True)
class WindowHeading:
    """A window (e.g. the 4-week Children's Services induction) and the required courses under it."""

    key: str
    title: str
    section_slug: str
    section_title: str
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Cell:
    text: str
    kind: str

    @property
    def css_class(self) -> str:
        return f"app-matrix__cell--{self.kind.replace('_', '-')}"


@dataclass
class MatrixRow:
    person: Person
    cells: list[Cell] = field(default_factory=list)

    @property
    def person_values(self) -> list:
        """Employee number, name, team, job role, manager, start date (as shown)."""
        p = self.person
        return [p.employee_number or "", p.name, p.team.name if p.team else "",
                p.job_role.name if p.job_role else "", p.manager.name if p.manager else "",
                short_date(p.start_date)]

    @property
    def texts(self) -> list[str]:
        return [str(v) for v in self.person_values] + [c.text for c in self.cells]


# ---------------------------------------------------------------------------------------------
# Cells
# ---------------------------------------------------------------------------------------------

def cell_for(status: rules.Status | None) -> Cell:
    """What a cell says: a label and the date that matters, e.g. 'Overdue (due 1 Oct 2026)'."""
    if status is None:
        return Cell(DASH, NOT_REQUIRED)
    kind, short = status.kind, short_date
    if kind == rules.COMPLETED:
        return Cell(f"Completed {short(status.completed_on)}", kind)
    if kind == rules.BOOKED:
        if status.is_overdue:   # booked, but the due date has gone by: as pressing as overdue
            return Cell(f"Booked {short(status.booked_on)} (was due {short(status.due_on)})", rules.OVERDUE)
        return Cell(f"Booked {short(status.booked_on)}", kind)
    if kind == rules.OVERDUE:
        return Cell(f"Overdue (due {short(status.due_on)})", kind)
    if kind == rules.EXPIRED:
        return Cell(f"Expired {short(status.due_on)}", kind)
    if kind == rules.DUE_SOON:
        return Cell(f"Due soon (due {short(status.due_on)})", kind)
    if kind == rules.DUE:
        return Cell(f"Due {short(status.due_on)}", kind)
    if kind == rules.EXEMPT:
        return Cell("Exempt", kind)
    return Cell(DASH, kind)   # not applicable (e.g. after leaving)


# ---------------------------------------------------------------------------------------------
# Columns: the required courses, by window
# ---------------------------------------------------------------------------------------------

def window_headings(section_slug: str | None = None) -> list[WindowHeading]:
    """Each window in order (shortest first), with every available course an active requirement
    covers; only the windows in one section of the offer when `section_slug` is given."""
    return in_section(all_window_headings(), section_slug)


def in_section(headings: list[WindowHeading], section_slug: str | None) -> list[WindowHeading]:
    return [h for h in headings if h.section_slug == section_slug] if section_slug else headings


def all_window_headings() -> list[WindowHeading]:
    return [WindowHeading(group.slug, group.title, group.section.slug, group.section.title,
                          tuple(Column(c.id, c.title) for c in courses))
            for group, courses in compliance_queries.required_courses_by_window() if courses]


def sections_of(headings: list[WindowHeading]) -> list[tuple[str, str]]:
    """(slug, title) of the sections of the offer the windows belong to, in the windows' order."""
    return list(dict((h.section_slug, h.section_title) for h in headings).items())


def sections_with_windows() -> list[tuple[str, str]]:
    return sections_of(all_window_headings())


# ---------------------------------------------------------------------------------------------
# Rows: the people
# ---------------------------------------------------------------------------------------------

def people_query(filters: MatrixFilters, today: date, within_reports_of: int | None = None):
    """Children's Care staff matching the filters, by surname; `within_reports_of` limits them to a
    manager's direct and indirect reports (None: everyone, for OD and the command line)."""
    stmt = select(Person).where(Person.organisation_id.in_(
        select(Organisation.id).where(Organisation.kind == CHILDRENS_CARE)))
    if within_reports_of is not None:
        stmt = stmt.where(Person.id.in_(report_ids_query(within_reports_of)))
    if filters.team_id is not None:
        stmt = stmt.where(Person.team_id == filters.team_id)
    if filters.job_role_id is not None:
        stmt = stmt.where(Person.job_role_id == filters.job_role_id)
    if filters.manager_id is not None:
        stmt = stmt.where(Person.id.in_(report_ids_query(filters.manager_id)))
    if filters.started_from is not None:
        stmt = stmt.where(Person.start_date >= filters.started_from)
    if filters.started_to is not None:
        stmt = stmt.where(Person.start_date <= filters.started_to)
    if not filters.include_leavers:
        stmt = stmt.where(or_(Person.leaving_date.is_(None), Person.leaving_date >= today))
    return stmt


def _ordered(stmt):
    return stmt.options(selectinload(Person.manager)).order_by(Person.last_name, Person.first_name, Person.id)


def count_people(stmt) -> int:
    return db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))


def page_of_people(stmt, number: int, per_page: int) -> list[Person]:
    return list(db.session.scalars(_ordered(stmt).limit(per_page).offset((number - 1) * per_page)))


def people_in_chunks(stmt, size: int = 500) -> Iterator[list[Person]]:
    """Everyone the statement matches, `size` at a time, in the page's order. Keyset pagination:
    each chunk starts after the last (surname, first name, id) seen, so no chunk costs more than the first."""
    last = None
    while True:
        chunk_stmt = stmt
        if last is not None:
            surname, first_name, person_id = last
            chunk_stmt = stmt.where(or_(
                Person.last_name > surname,
                and_(Person.last_name == surname, or_(
                    Person.first_name > first_name,
                    and_(Person.first_name == first_name, Person.id > person_id)))))
        chunk = list(db.session.scalars(_ordered(chunk_stmt).limit(size)))
        if not chunk:
            return
        yield chunk
        if len(chunk) < size:
            return
        tail = chunk[-1]
        last = (tail.last_name, tail.first_name, tail.id)


def rows_for(people: list[Person], headings: list[WindowHeading], today: date) -> list[MatrixRow]:
    """Each person with a cell per column, in a fixed number of statements."""
    statuses: dict[tuple[int, int], rules.Status] = {
        (row.person_id, row.course_id): row.status for row in compliance_queries.status_rows(people, today)}
    course_ids = [column.course_id for heading in headings for column in heading.columns]
    return [MatrixRow(person, [cell_for(statuses.get((person.id, course_id))) for course_id in course_ids])
            for person in people]


def column_titles(headings: list[WindowHeading]) -> list[str]:
    return [column.title for heading in headings for column in heading.columns]


def header_row(headings: list[WindowHeading]) -> list[str]:
    """The exports' header: the person's details, then one column per course."""
    return PERSON_HEADINGS + column_titles(headings)


# ---------------------------------------------------------------------------------------------
# What the filters offer
# ---------------------------------------------------------------------------------------------

def teams() -> list[tuple[int, str]]:
    return [(i, name) for i, name in db.session.execute(select(Team.id, Team.name).order_by(Team.name))]


def job_roles() -> list[tuple[int, str]]:
    return [(i, name) for i, name in db.session.execute(select(JobRole.id, JobRole.name).order_by(JobRole.name))]


def managers(within_reports_of: int | None = None) -> list[tuple[int, str]]:
    """(id, name) of everyone who manages somebody: for a manager, themselves and the managers
    among their reports."""
    stmt = select(Person.id, Person.first_name, Person.last_name).where(
        Person.id.in_(select(Person.manager_id).where(Person.manager_id.is_not(None))))
    if within_reports_of is not None:
        stmt = stmt.where(or_(Person.id == within_reports_of, Person.id.in_(report_ids_query(within_reports_of))))
    rows = db.session.execute(stmt.order_by(Person.last_name, Person.first_name, Person.id))
    return [(pid, f"{first} {last}") for pid, first, last in rows]


def team_named(name: str) -> int | None:
    return db.session.scalar(select(Team.id).where(func.lower(Team.name) == name.strip().lower()))


def job_role_named(name: str) -> int | None:
    return db.session.scalar(select(JobRole.id).where(func.lower(JobRole.name) == name.strip().lower()))


def person_with_email(email: str) -> int | None:
    return db.session.scalar(select(Person.id).where(func.lower(Person.email) == email.strip().lower()))
