"""Read models for CPD pages and exports: set-based, a fixed number of queries per page."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, func, or_, select

from lnd.bookings.models import Attendance, Booking, SessionPart
from lnd.courses.models import Completion
from lnd.cpd import rules
from lnd.cpd.models import CpdAttachment, CpdRecord
from lnd.extensions import db
from lnd.people.models import OD_ADMIN, Person, Team
from lnd.people.queries import can_view_person, report_ids_query


# ---------------------------------------------------------------------------------------------
# One record, one attachment, one completion
# ---------------------------------------------------------------------------------------------

def record_by_id(record_id: int) -> CpdRecord | None:
    return db.session.get(CpdRecord, record_id)


def attachment_by_id(attachment_id: int) -> CpdAttachment | None:
    return db.session.get(CpdAttachment, attachment_id)


def can_view_cpd_of(viewer: Person, person_id: int) -> bool:
    """The owner, anyone in their management chain, and the OD team."""
    return can_view_person(viewer, person_id)


def record_for_completion(completion_id: int) -> CpdRecord | None:
    return db.session.scalar(select(CpdRecord).where(CpdRecord.completion_id == completion_id))


def own_completion(person_id: int, *, completion_id: int | None = None, course_id: int | None = None,
                   completed_on: date | None = None) -> Completion | None:
    """One of the person's own completions, by id or by course and date; never someone else's."""
    stmt = select(Completion).where(Completion.person_id == person_id)
    if completion_id is not None:
        stmt = stmt.where(Completion.id == completion_id)
    elif course_id is not None and completed_on is not None:
        stmt = stmt.where(Completion.course_id == course_id, Completion.completed_on == completed_on)
    else:
        return None
    return db.session.scalars(stmt.order_by(Completion.id).limit(1)).first()


def completions_without_cpd(person_id: int, year: rules.RegistrationYear) -> list[Completion]:
    """The person's completions in the year that no CPD record is linked to yet, newest first."""
    recorded = select(CpdRecord.completion_id).where(CpdRecord.completion_id.is_not(None))
    return list(db.session.scalars(
        select(Completion)
        .where(Completion.person_id == person_id, Completion.completed_on.between(year.starts_on, year.ends_on),
               Completion.id.not_in(recorded))
        .order_by(Completion.completed_on.desc(), Completion.id.desc())))


def hours_for_completion(completion: Completion) -> Decimal | None:
    """How long the learning took, when the completion came from attending a session: the length of
    the session's parts the person was at (parts with no register mark count). Courses in the offer
    carry no duration, so for other completions the person enters the hours."""
    rows = db.session.execute(
        select(SessionPart.starts_at, SessionPart.ends_at)
        .join(Booking, Booking.session_id == SessionPart.session_id)
        .outerjoin(Attendance, and_(Attendance.booking_id == Booking.id, Attendance.part_id == SessionPart.id))
        .where(Booking.completion_id == completion.id, Booking.person_id == completion.person_id,
               or_(Attendance.present.is_(None), Attendance.present.is_(True)))).all()
    seconds = sum((ends - starts).total_seconds() for starts, ends in rows)
    if seconds <= 0:
        return None
    return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))


# ---------------------------------------------------------------------------------------------
# A person's records for a registration year
# ---------------------------------------------------------------------------------------------

def records_in_year(person_id: int, year: rules.RegistrationYear) -> list[CpdRecord]:
    return list(db.session.scalars(
        select(CpdRecord)
        .where(CpdRecord.person_id == person_id, CpdRecord.activity_date.between(year.starts_on, year.ends_on))
        .order_by(CpdRecord.activity_date, CpdRecord.id)))


def years_with_records(person_id: int, today: date) -> list[rules.RegistrationYear]:
    """Registration years from the person's earliest record to the current one, newest first."""
    first, last = db.session.execute(
        select(func.min(CpdRecord.activity_date), func.max(CpdRecord.activity_date))
        .where(CpdRecord.person_id == person_id)).one()
    current = rules.registration_year(today).ending_year
    oldest = rules.registration_year(first).ending_year if first else current
    newest = max(current, rules.registration_year(last).ending_year) if last else current
    return [rules.registration_year_ending(y) for y in range(newest, oldest - 1, -1)]


def _has_peer():
    return case((CpdRecord.peer_learning.is_not(None), 1), else_=0)


def year_counts(person_ids, year: rules.RegistrationYear) -> dict[int, tuple[int, int]]:
    """(records, records with a peer reflection) in the year, for each person in `person_ids`
    (a select of ids); people without records are absent."""
    rows = db.session.execute(
        select(CpdRecord.person_id, func.count(CpdRecord.id), func.sum(_has_peer()))
        .where(CpdRecord.person_id.in_(person_ids),
               CpdRecord.activity_date.between(year.starts_on, year.ends_on))
        .group_by(CpdRecord.person_id))
    return {person_id: (count, int(peers or 0)) for person_id, count, peers in rows}


def person_readiness(person: Person, today: date) -> rules.Readiness | None:
    """Readiness for renewal, for people with a Social Work England registration number only."""
    if not person.swe_registration_number:
        return None
    year = rules.registration_year(today)
    records, peers = year_counts(select(Person.id).where(Person.id == person.id), year).get(person.id, (0, 0))
    return rules.readiness_from_counts(records, peers, today)


# ---------------------------------------------------------------------------------------------
# Managers and the OD team: social workers' readiness by team
# ---------------------------------------------------------------------------------------------

@dataclass
class ReadinessRow:
    person: Person
    readiness: rules.Readiness


@dataclass
class TeamReadiness:
    name: str
    rows: list[ReadinessRow] = field(default_factory=list)
    total: int = 0          # registered social workers in the team, ready or not

    @property
    def not_ready(self) -> int:
        return sum(1 for row in self.rows if not row.readiness.ready)


NO_TEAM = "No team recorded"


def _registered_in_scope(viewer: Person, today: date):
    stmt = select(Person.id).where(
        Person.swe_registration_number.is_not(None), Person.swe_registration_number != "",
        or_(Person.leaving_date.is_(None), Person.leaving_date >= today))
    if not viewer.has_role(OD_ADMIN):
        stmt = stmt.where(Person.id.in_(report_ids_query(viewer.id)))
    return stmt


def readiness_by_team(viewer: Person, today: date, include_ready: bool = False) -> list[TeamReadiness]:
    """Registered social workers the viewer may see (OD: everyone; a manager: their reports), grouped
    by team, with their readiness for the current year. Only the not-ready unless `include_ready`."""
    ids = _registered_in_scope(viewer, today)
    year = rules.registration_year(today)
    counts = year_counts(ids, year)
    people = db.session.scalars(
        select(Person).outerjoin(Team, Person.team_id == Team.id).where(Person.id.in_(ids))
        .order_by(func.coalesce(Team.name, "~"), Person.last_name, Person.first_name, Person.id)).all()
    _load_managers(people)
    teams: dict[str, TeamReadiness] = {}
    for person in people:
        name = person.team.name if person.team else NO_TEAM
        team = teams.setdefault(name, TeamReadiness(name))
        team.total += 1
        state = rules.readiness_from_counts(*counts.get(person.id, (0, 0)), today)
        if include_ready or not state.ready:
            team.rows.append(ReadinessRow(person, state))
    return list(teams.values())


READINESS_CSV_HEADER = ["Team", "Name", "Employee number", "Social Work England registration number",
                        "Line manager", "Email", "Registration year", "CPD records this year",
                        "Records with a peer reflection", "Status", "Still needed", "Days until 30 November"]


def readiness_csv_rows(teams: list[TeamReadiness]) -> list[list]:
    rows = []
    for team in teams:
        for row in team.rows:
            person, state = row.person, row.readiness
            rows.append([team.name, person.name, person.employee_number or "", person.swe_registration_number,
                         person.manager.name if person.manager else "", person.email, state.year.label,
                         state.records, state.peer_reflections, state.label, state.still_needed or "Nothing",
                         state.days_left])
    return rows


def _load_managers(people: list[Person]) -> None:
    """Load the line managers of a list of people in one query, so `person.manager` needs none."""
    ids = {p.manager_id for p in people if p.manager_id}
    if ids:
        db.session.scalars(select(Person).where(Person.id.in_(ids))).all()
