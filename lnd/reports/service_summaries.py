"""ASYE, CPD readiness and supervision compliance in figures, for the reports index. Each comes from
the owning module's own read model, so the rules are worked out in one place only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from lnd.asye.cohort_queries import CohortRow, cohort
from lnd.cpd import rules as cpd_rules
from lnd.cpd.queries import TeamReadiness, readiness_by_team
from lnd.people.models import OD_ADMIN, Person
from lnd.people.queries import report_ids_query
from lnd.supervision.report_queries import ComplianceReport, compliance_report


@dataclass
class AsyeSummary:
    nqsws: int
    overdue: int           # with an overdue review
    due_soon: int          # with a review due soon
    evidence_met: int      # with every minimum piece of evidence
    final_signed: int


def asye_summary(viewer: Person, today: date) -> AsyeSummary:
    if viewer.has_role(OD_ADMIN):
        rows: list[CohortRow] = cohort(viewer, today)
    else:  # a manager: every NQSW they manage, whoever assesses them
        rows = cohort(None, today, nqsw_ids=report_ids_query(viewer.id))
    return AsyeSummary(
        nqsws=len(rows),
        overdue=sum(1 for r in rows if r.overdue),
        due_soon=sum(1 for r in rows if r.due_soon),
        evidence_met=sum(1 for r in rows if r.evidence_met == len(r.checklist)),
        final_signed=sum(1 for r in rows if r.final is not None and r.final.signed))


@dataclass
class CpdSummary:
    year: cpd_rules.RegistrationYear
    days_left: int
    registered: int
    not_ready: int
    teams: list[TeamReadiness]

    @property
    def ready(self) -> int:
        return self.registered - self.not_ready


def cpd_summary(viewer: Person, today: date) -> CpdSummary:
    teams = readiness_by_team(viewer, today, include_ready=True)
    year = cpd_rules.registration_year(today)
    return CpdSummary(year, (year.ends_on - today).days, sum(t.total for t in teams),
                      sum(t.not_ready for t in teams), teams)


def supervision_summary(viewer: Person, today: date, now: datetime) -> ComplianceReport:
    return compliance_report(viewer, today, now)
