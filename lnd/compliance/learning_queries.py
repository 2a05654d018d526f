"""Read models for My learning, a person's learning page and the manager's team grid: a fixed number
of statements per page, however many courses, sessions or people there are."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from lnd.bookings import rules as booking_rules
from lnd.bookings.models import SCHEDULED, Booking, CourseSession
from lnd.bookings.services import courses_needing_approval
from lnd.compliance import queries, rules
from lnd.compliance.models import Exemption
from lnd.core.clock import LONDON
from lnd.courses.models import COMPLETION_SOURCES, Completion
from lnd.extensions import db
from lnd.people.models import OD_ADMIN, Person, Team
from lnd.people.queries import report_ids_query

TEAM_PAGE_SIZE = 25
DIRECT, INDIRECT = "direct", "indirect"


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=LONDON)


# ---------------------------------------------------------------------------------------------
# Sessions and bookings beside a person's required courses
# ---------------------------------------------------------------------------------------------

@dataclass
class NextSession:
    session: CourseSession
    places_left: int
    needs_approval: bool


def next_sessions(course_ids, today: date, now: datetime, person: Person) -> dict[int, NextSession]:
    """The soonest session of each course that has places left and is still open for booking, in one
    statement (and one for the sessions' parts), and whether booking it asks the person's manager —
    by the rule booking follows (bookings.services.needs_approval, agreements made at appraisal
    included), in one more statement whatever the number of courses."""
    course_ids = list(set(course_ids))
    if not course_ids:
        return {}
    sessions = db.session.scalars(
        select(CourseSession)
        .where(CourseSession.course_id.in_(course_ids), CourseSession.status == SCHEDULED,
               CourseSession.starts_at > now, CourseSession.taken < CourseSession.capacity,
               or_(CourseSession.booking_closes_on.is_(None), CourseSession.booking_closes_on >= today))
        .order_by(CourseSession.course_id, CourseSession.starts_at, CourseSession.id)).all()
    soonest: dict[int, CourseSession] = {}
    for session in sessions:
        soonest.setdefault(session.course_id, session)
    asks = courses_needing_approval([session.course for session in soonest.values()], person, today)
    return {course_id: NextSession(session, booking_rules.places_left(session.capacity, session.taken),
                                   course_id in asks)
            for course_id, session in soonest.items()}


def open_bookings(person_id: int, course_ids, now: datetime) -> dict[int, Booking]:
    """The person's booking still going ahead (booked, requested, awaiting approval, waiting list) on an
    upcoming session of each course, soonest first, in one statement."""
    course_ids = list(set(course_ids))
    if not course_ids:
        return {}
    bookings = db.session.scalars(
        select(Booking).join(CourseSession, Booking.session_id == CourseSession.id)
        .where(Booking.person_id == person_id, Booking.state.in_(booking_rules.ACTIVE_STATES),
               CourseSession.course_id.in_(course_ids), CourseSession.ends_at >= now)
        .order_by(CourseSession.starts_at.desc(), Booking.id.desc())).all()
    return {booking.session.course_id: booking for booking in bookings}   # the soonest one wins


def exemptions_for(person_id: int) -> dict[int, Exemption]:
    """course -> the exemption the OD team recorded for the person."""
    return {e.course_id: e for e in db.session.scalars(select(Exemption).where(Exemption.person_id == person_id))}


# ---------------------------------------------------------------------------------------------
# The record of learning
# ---------------------------------------------------------------------------------------------

@dataclass
class LearningRecord:
    completion: Completion

    @property
    def source_label(self) -> str:
        label = COMPLETION_SOURCES.get(self.completion.source, self.completion.source)
        if self.completion.source == "self_recorded":
            return f"{label}, verified by the OD team" if self.completion.verified_at else \
                f"{label}, not yet verified by the OD team"
        return label


def record_of_learning(person_id: int) -> list[LearningRecord]:
    """Every completion (attendance, recorded and imported e-learning), newest first, in one statement."""
    return [LearningRecord(c) for c in db.session.scalars(
        select(Completion).where(Completion.person_id == person_id)
        .order_by(Completion.completed_on.desc(), Completion.id.desc()))]


# ---------------------------------------------------------------------------------------------
# The team grid
# ---------------------------------------------------------------------------------------------

# The statuses whose courses the grid names in each cell, so the manager sees which without drilling in.
NAMED_IN_CELL = (rules.OVERDUE, rules.EXPIRED, rules.DUE_SOON)


@dataclass
class CellNote:
    """'2 overdue', with the courses' titles when the status is one the grid names."""

    kind: str
    count: int
    titles: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return f"{self.count} {rules.LABELS[self.kind].lower()}"


@dataclass
class WindowCell:
    """One person's position in one window: '3 of 6 completed', and what is pressing, by course."""

    completed: int
    total: int
    counts: dict[str, int]
    titles: dict[str, list[str]] = field(default_factory=dict)   # kind -> course titles (NAMED_IN_CELL only)

    @property
    def worst(self) -> str | None:
        pressing = [kind for kind in self.counts if kind not in (rules.COMPLETED, rules.EXEMPT, rules.NOT_APPLICABLE)]
        return min(pressing, key=rules.SEVERITY.get) if pressing else None

    @property
    def summary(self) -> str:
        return f"{self.completed} of {self.total} completed"

    @property
    def notes(self) -> list[CellNote]:
        """What is not done yet, most pressing first: '2 overdue' (naming the courses), '1 due soon'."""
        return [CellNote(kind, count, self.titles.get(kind, [])) for kind, count in
                sorted(self.counts.items(), key=lambda pair: rules.SEVERITY[pair[0]])
                if kind not in (rules.COMPLETED, rules.NOT_APPLICABLE)]


@dataclass
class TeamRow:
    person: Person
    direct: bool
    cells: dict[str, WindowCell]
    position: queries.TrainingPosition

    @property
    def overdue(self) -> int:
        return self.position.overdue


@dataclass
class TeamGrid:
    rows: list[TeamRow]
    total: int
    windows: list[tuple[str, str]]
    counts: list[tuple[str, str, int]]    # (kind, label, number of required courses) most pressing first
    people_overdue: int
    without_requirements: int
    teams: list[Team] = field(default_factory=list)
    manager_names: dict[int, str] = field(default_factory=dict)


def _cell(items) -> WindowCell:
    completed, total = rules.progress([item.status for item in items])
    counts: dict[str, int] = {}
    titles: dict[str, list[str]] = {}
    for item in items:
        status = item.status
        kind = rules.OVERDUE if status.is_overdue and status.kind == rules.BOOKED else status.kind
        counts[kind] = counts.get(kind, 0) + 1
        if kind in NAMED_IN_CELL:
            titles.setdefault(kind, []).append(item.course.title)
    return WindowCell(completed, total, counts, titles)


def team_people(viewer: Person, today: date, *, relation: str = "", team_id: int | None = None) -> list[Person]:
    """The people on the viewer's grid: their direct and indirect reports (OD: everyone, by team),
    without leavers. One statement (and one for their roles)."""
    stmt = select(Person).where(or_(Person.leaving_date.is_(None), Person.leaving_date >= today))
    if viewer.has_role(OD_ADMIN):
        if team_id:
            stmt = stmt.where(Person.team_id == team_id)
    else:
        stmt = stmt.where(Person.id.in_(report_ids_query(viewer.id)))
        if relation == DIRECT:
            stmt = stmt.where(Person.manager_id == viewer.id)
        elif relation == INDIRECT:
            stmt = stmt.where(Person.manager_id != viewer.id)
    # Roles joined, not 'selectin' (which splits into one statement per 500 people).
    return list(db.session.scalars(stmt.options(joinedload(Person.role_rows))
                                   .order_by(Person.last_name, Person.first_name, Person.id)).unique())


def names_of(person_ids) -> dict[int, str]:
    """id -> name, in one statement (e.g. the managers of the people on one page of the grid)."""
    ids = list(set(person_ids))
    if not ids:
        return {}
    return {pid: f"{first} {last}" for pid, first, last in db.session.execute(
        select(Person.id, Person.first_name, Person.last_name).where(Person.id.in_(ids)))}


def team_grid(viewer: Person, today: date, *, relation: str = "", team_id: int | None = None,
              page: int = 1, per_page: int = TEAM_PAGE_SIZE) -> TeamGrid:
    """People × windows for the viewer, people with something overdue first. The statuses of everyone
    are worked out (a fixed number of statements) so that the order and the counts cover the whole team;
    the cells are built only for the page shown."""
    people = team_people(viewer, today, relation=relation, team_id=team_id)
    learning = queries.required_learning_for(people, today)
    keyed, without = [], 0
    totals: dict[str, int] = dict.fromkeys(rules.SEVERITY, 0)
    for person in people:
        windows = learning.get(person.id, [])
        if not any(window.items for window in windows):
            without += 1
            continue
        overdue, worst = _tally_row(windows, totals)
        keyed.append(((overdue == 0, -overdue, worst, person.last_name, person.first_name, person.id),
                      overdue, person, windows))
    keyed.sort(key=lambda entry: entry[0])
    start = (page - 1) * per_page
    teams = list(db.session.scalars(select(Team).order_by(Team.name))) if viewer.has_role(OD_ADMIN) else []
    counts = [(kind, rules.LABELS[kind], totals.get(kind, 0))
              for kind in sorted(rules.SEVERITY, key=rules.SEVERITY.get) if kind != rules.NOT_APPLICABLE]
    shown = [TeamRow(person, person.manager_id == viewer.id, {window.key: _cell(window.items) for window in windows},
                     queries.position_of(windows))
             for _key, _overdue, person, windows in keyed[start:start + per_page]]
    return TeamGrid(rows=shown, total=len(keyed), windows=queries.windows_in_order(),
                    counts=counts, people_overdue=sum(1 for entry in keyed if entry[1]),
                    without_requirements=without, teams=teams,
                    manager_names=names_of(row.person.manager_id for row in shown
                                           if row.person.manager_id and not row.direct))


_NOT_PRESSING = frozenset({rules.COMPLETED, rules.EXEMPT, rules.NOT_APPLICABLE})


def _tally_row(windows, totals: dict[str, int]) -> tuple[int, int]:
    """Add a person's statuses to the counts by kind (as the cells count them: a booking past its due
    date counts as overdue) and return what orders them on the grid: how many items are overdue (as
    TrainingPosition counts them) and the severity of the most pressing one (the worst of its cells)."""
    overdue, worst = 0, len(rules.SEVERITY)
    severity, booked, overdue_kind = rules.SEVERITY, rules.BOOKED, rules.OVERDUE
    for window in windows:
        for item in window.items:
            status = item.status
            kind = status.kind
            if status.is_overdue:
                overdue += 1
                if kind == booked:
                    kind = overdue_kind
            totals[kind] += 1
            if kind not in _NOT_PRESSING and severity[kind] < worst:
                worst = severity[kind]
    return overdue, worst
