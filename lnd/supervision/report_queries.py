"""The supervision compliance report: by the supervisee's team (or school or setting), how many
agreements are unsigned, supervision overdue, reviews and observations overdue, and how many records
were made late; and which staff have no agreement. Three statements whatever the number of people."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, case, exists, func, or_, select

from lnd.core.dates import add_months
from lnd.extensions import db
from lnd.people.models import CHILDRENS_CARE, OD_ADMIN, Organisation, Person, Team
from lnd.people.queries import report_ids_query
from lnd.supervision import rules
from lnd.supervision.models import SupervisionAgreement
from lnd.supervision.queries import REPORT_MONTHS, AgreementRow, agreement_rows

NO_TEAM = "No team"


@dataclass
class TeamLine:
    team: str
    staff: int = 0                 # Children's Care staff in scope (for "without an agreement")
    without_agreement: int = 0
    agreements: int = 0
    unsigned: int = 0
    overdue: int = 0
    review_overdue: int = 0
    observation_overdue: int = 0
    held: int = 0
    late: int = 0

    @property
    def late_percent(self) -> int | None:
        return round(100 * self.late / self.held) if self.held else None

    def add(self, row: AgreementRow) -> None:
        self.agreements += 1
        self.unsigned += row.unsigned
        self.overdue += row.overdue
        self.review_overdue += row.review == rules.REVIEW_OVERDUE
        self.observation_overdue += row.observation_overdue
        self.held += row.held_recently
        self.late += row.late_recently


@dataclass
class ComplianceReport:
    since: date
    lines: list[TeamLine] = field(default_factory=list)
    total: TeamLine = field(default_factory=lambda: TeamLine("All teams"))
    overdue: list[AgreementRow] = field(default_factory=list)
    whole_service: bool = False


def _team_of(person: Person) -> str:
    if person.organisation and person.organisation.kind != CHILDRENS_CARE:
        return person.organisation.name
    return person.team.name if person.team else NO_TEAM


def compliance_report(viewer: Person, today: date, now: datetime) -> ComplianceReport:
    """Supervision compliance and late recording by the supervisee's team (a school or setting for
    people outside Children's Care). OD sees the whole service; a manager sees the agreements held
    by themselves and the people they manage, and which of their staff have no agreement."""
    whole = viewer.has_role(OD_ADMIN)
    since = add_months(today, -REPORT_MONTHS)
    where = SupervisionAgreement.ended_on.is_(None)
    if not whole:
        where = and_(where, or_(SupervisionAgreement.supervisor_id == viewer.id,
                                SupervisionAgreement.supervisor_id.in_(report_ids_query(viewer.id))))
    rows = agreement_rows(where, today, now, since=since)
    report = ComplianceReport(since=since, whole_service=whole)
    lines: dict[str, TeamLine] = {}
    for row in rows:
        team = _team_of(row.agreement.supervisee)
        line = lines.setdefault(team, TeamLine(team))
        line.add(row)
        report.total.add(row)
    for team, staff, without in _staff_without_agreement(viewer, whole, today):
        line = lines.setdefault(team, TeamLine(team))
        line.staff, line.without_agreement = staff, without
        report.total.staff += staff
        report.total.without_agreement += without
    report.lines = sorted(lines.values(), key=lambda line: (line.team == NO_TEAM, line.team.lower()))
    report.overdue = sorted((row for row in rows if row.overdue), key=lambda row: -row.due.overdue_days)
    return report


def _staff_without_agreement(viewer: Person, whole: bool, today: date) -> list[tuple[str, int, int]]:
    """(team, staff, of whom without a current agreement) for Children's Care staff in scope."""
    supervised = exists().where(SupervisionAgreement.supervisee_id == Person.id,
                                SupervisionAgreement.ended_on.is_(None))
    team_name = func.coalesce(Team.name, NO_TEAM)
    stmt = (select(team_name, func.count(Person.id), func.sum(case((~supervised, 1), else_=0)))
            .join(Organisation, Person.organisation_id == Organisation.id)
            .outerjoin(Team, Person.team_id == Team.id)
            .where(Organisation.kind == CHILDRENS_CARE,
                   or_(Person.leaving_date.is_(None), Person.leaving_date >= today))
            .group_by(team_name))
    if not whole:
        stmt = stmt.where(Person.id.in_(report_ids_query(viewer.id)))
    return [(team, staff, without or 0) for team, staff, without in db.session.execute(stmt)]
