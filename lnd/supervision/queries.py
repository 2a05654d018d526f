"""Read models for supervision: who may see a record, the supervisor's list, the supervisee's own,
one agreement's sessions and actions, and the calendar feed's sessions (the compliance report is in
report_queries).

Every list is a fixed number of statements whatever its length: agreements come with both people
joined and with their sessions' and actions' figures from two grouped subqueries.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from lnd.core.dates import add_months
from lnd.extensions import db
from lnd.people.models import MANAGER, OD_ADMIN, SUPERVISOR, Person
from lnd.people.queries import is_manager_of
from lnd.supervision import rules, wording
from lnd.supervision.models import (
    CANCELLED, HELD, PLANNED, SupervisionAction, SupervisionAgreement, SupervisionSession, SupervisionTrainingNeed,
)

FEED_HISTORY_DAYS = 180   # how far back the calendar feed keeps supervision already held
REPORT_MONTHS = 12        # "recently": the figures count sessions held in the last 12 months


# ---------------------------------------------------------------------------------------------
# Who may see what
# ---------------------------------------------------------------------------------------------

def is_party(viewer: Person, agreement: SupervisionAgreement) -> bool:
    return viewer.id in (agreement.supervisor_id, agreement.supervisee_id)


def can_see(viewer: Person, agreement: SupervisionAgreement) -> bool:
    """Supervision records are confidential between the supervisor, the supervisee, the
    supervisor's line management (direct or further up) and the OD team."""
    if is_party(viewer, agreement) or viewer.has_role(OD_ADMIN):
        return True
    return is_manager_of(viewer, agreement.supervisor_id)


def may_supervise(person: Person) -> bool:
    return person.has_role(SUPERVISOR, MANAGER)


def has_agreement(person_id: int) -> bool:
    """Whether the person supervises or is supervised under a current agreement (one indexed EXISTS)."""
    return bool(db.session.scalar(select(exists().where(
        SupervisionAgreement.ended_on.is_(None),
        or_(SupervisionAgreement.supervisor_id == person_id, SupervisionAgreement.supervisee_id == person_id)))))


def agreement_by_id(agreement_id: int) -> SupervisionAgreement | None:
    return db.session.get(SupervisionAgreement, agreement_id)


def session_by_id(session_id: int) -> SupervisionSession | None:
    return db.session.get(SupervisionSession, session_id)


def action_by_id(action_id: int) -> SupervisionAction | None:
    return db.session.get(SupervisionAction, action_id)


def current_agreement_between(supervisor_id: int, supervisee_id: int, kind: str) -> SupervisionAgreement | None:
    return db.session.scalar(select(SupervisionAgreement).where(
        SupervisionAgreement.supervisor_id == supervisor_id, SupervisionAgreement.supervisee_id == supervisee_id,
        SupervisionAgreement.kind == kind, SupervisionAgreement.ended_on.is_(None)).limit(1))


# ---------------------------------------------------------------------------------------------
# The cadence of one agreement
# ---------------------------------------------------------------------------------------------

def cadence_inputs(agreement: SupervisionAgreement, words: wording.Wording) -> dict:
    """What the cadence rule needs to know about the supervisee: newly qualified (by job role, or
    an ASYE agreement), on the ASYE, and since when."""
    person = agreement.supervisee
    on_asye = agreement.kind == rules.ASYE
    newly_qualified = on_asye or bool(person.job_role and person.job_role.name in words.newly_qualified_job_roles)
    qualified_on = (person.job_role_since or person.start_date or agreement.starts_on) if newly_qualified else None
    return {"newly_qualified": newly_qualified, "on_asye": on_asye, "qualified_on": qualified_on}


def due_of(agreement: SupervisionAgreement, last_held_on: date | None, today: date,
           words: wording.Wording) -> rules.Due:
    return rules.supervision_due(today=today, starts_on=agreement.starts_on, last_held_on=last_held_on,
                                 frequency=agreement.frequency, **cadence_inputs(agreement, words))


# ---------------------------------------------------------------------------------------------
# Agreements with their figures
# ---------------------------------------------------------------------------------------------

@dataclass
class AgreementRow:
    agreement: SupervisionAgreement
    state: str
    due: rules.Due | None                  # None once the agreement has ended
    review: str
    observation: rules.ObservationDue | None   # None when the kind does not call for observation
    last_held_on: date | None
    next_planned_at: datetime | None
    to_record: int                         # planned sessions whose time has passed
    unacknowledged: int                    # records the supervisee has not acknowledged
    open_actions: int
    overdue_actions: int
    held_recently: int                     # sessions held since the report's start
    late_recently: int                     # …of which recorded late

    @property
    def unsigned(self) -> bool:
        return self.state in (rules.AWAITING_BOTH, rules.AWAITING_SUPERVISEE, rules.AWAITING_SUPERVISOR)

    @property
    def review_due(self) -> bool:
        return self.review != rules.REVIEW_NOT_DUE

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due.overdue

    @property
    def observation_overdue(self) -> bool:
        return self.observation is not None and self.observation.overdue


def _session_figures(now: datetime, since: date):
    s = SupervisionSession
    held = s.state == HELD
    return (select(
        s.agreement_id.label("agreement_id"),
        func.max(case((held, s.held_on))).label("last_held_on"),
        func.max(case((and_(held, s.observation.is_(True)), s.held_on))).label("last_observed_on"),
        func.min(case((and_(s.state == PLANNED, s.planned_starts_at >= now), s.planned_starts_at)))
        .label("next_planned_at"),
        func.sum(case((and_(s.state == PLANNED, s.planned_starts_at < now), 1), else_=0)).label("to_record"),
        func.sum(case((and_(held, s.acknowledged_at.is_(None)), 1), else_=0)).label("unacknowledged"),
        func.sum(case((and_(held, s.held_on >= since), 1), else_=0)).label("held_recently"),
        func.sum(case((and_(held, s.held_on >= since, s.recorded_late.is_(True)), 1), else_=0))
        .label("late_recently"),
    ).group_by(s.agreement_id).subquery("session_figures"))


def _action_figures(today: date):
    a = SupervisionAction
    return (select(
        SupervisionSession.agreement_id.label("agreement_id"),
        func.count(a.id).label("open_actions"),
        func.sum(case((a.due_on < today, 1), else_=0)).label("overdue_actions"),
    ).join(SupervisionSession, a.session_id == SupervisionSession.id)
        .where(a.completed_on.is_(None)).group_by(SupervisionSession.agreement_id).subquery("action_figures"))


def agreement_rows(where, today: date, now: datetime, *, order_by=None, since: date | None = None) -> list[AgreementRow]:
    """Agreements matching `where`, each with its figures, in one statement."""
    since = since or add_months(today, -REPORT_MONTHS)
    sessions, actions = _session_figures(now, since), _action_figures(today)
    supervisee = aliased(Person, name="supervisee_name")
    stmt = (select(SupervisionAgreement, sessions.c.last_held_on, sessions.c.last_observed_on,
                   sessions.c.next_planned_at, sessions.c.to_record, sessions.c.unacknowledged,
                   sessions.c.held_recently, sessions.c.late_recently, actions.c.open_actions,
                   actions.c.overdue_actions)
            .outerjoin(sessions, sessions.c.agreement_id == SupervisionAgreement.id)
            .outerjoin(actions, actions.c.agreement_id == SupervisionAgreement.id)
            .join(supervisee, supervisee.id == SupervisionAgreement.supervisee_id)
            .where(where)
            .order_by(*(order_by if order_by is not None else
                        (supervisee.last_name, supervisee.first_name, SupervisionAgreement.id))))
    words = wording.current()
    rows = []
    for (agreement, last_held_on, last_observed_on, next_planned_at, to_record, unacknowledged, held_recently,
         late_recently, open_actions, overdue_actions) in db.session.execute(stmt):
        current = agreement.ended_on is None
        observe = current and words.of(agreement.kind).observation_of_practice
        rows.append(AgreementRow(
            agreement=agreement, state=agreement.state,
            due=due_of(agreement, last_held_on, today, words) if current else None,
            review=rules.review_state(agreement.review_due_on, today) if current else rules.REVIEW_NOT_DUE,
            observation=rules.observation_due(starts_on=agreement.starts_on, last_observed_on=last_observed_on,
                                              today=today) if observe else None,
            last_held_on=last_held_on, next_planned_at=next_planned_at, to_record=to_record or 0,
            unacknowledged=unacknowledged or 0, open_actions=open_actions or 0,
            overdue_actions=overdue_actions or 0, held_recently=held_recently or 0,
            late_recently=late_recently or 0))
    return rows


@dataclass
class Caseload:
    rows: list[AgreementRow]

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.rows if row.overdue)

    @property
    def unsigned(self) -> int:
        return sum(1 for row in self.rows if row.unsigned)

    @property
    def review_due(self) -> int:
        return sum(1 for row in self.rows if row.review_due)

    @property
    def open_actions(self) -> int:
        return sum(row.open_actions for row in self.rows)

    @property
    def to_record(self) -> int:
        return sum(row.to_record for row in self.rows)


def caseload(supervisor_id: int, today: date, now: datetime) -> Caseload:
    """The supervisor's list: everyone they supervise under a current agreement."""
    return Caseload(agreement_rows(and_(SupervisionAgreement.supervisor_id == supervisor_id,
                                        SupervisionAgreement.ended_on.is_(None)), today, now))


def own_supervision(person_id: int, today: date, now: datetime) -> list[AgreementRow]:
    """The supervisee's own current agreements."""
    return agreement_rows(and_(SupervisionAgreement.supervisee_id == person_id,
                               SupervisionAgreement.ended_on.is_(None)), today, now)


def row_for(agreement: SupervisionAgreement, today: date, now: datetime) -> AgreementRow:
    return agreement_rows(SupervisionAgreement.id == agreement.id, today, now)[0]


def sessions_of(agreement_id: int) -> list[SupervisionSession]:
    """Planned sessions first (soonest first), then records (latest first), then cancelled ones."""
    rows = db.session.scalars(select(SupervisionSession).where(SupervisionSession.agreement_id == agreement_id)
                              .order_by(SupervisionSession.planned_starts_at, SupervisionSession.id)).all()
    planned = [s for s in rows if s.state == PLANNED]
    held = sorted((s for s in rows if s.state == HELD), key=lambda s: (s.held_on, s.id), reverse=True)
    cancelled = [s for s in rows if s.state == CANCELLED]
    return planned + held + cancelled


def actions_of_agreement(agreement_id: int, *, open_only: bool = True) -> list[SupervisionAction]:
    stmt = (select(SupervisionAction).join(SupervisionSession, SupervisionAction.session_id == SupervisionSession.id)
            .where(SupervisionSession.agreement_id == agreement_id))
    if open_only:
        stmt = stmt.where(SupervisionAction.completed_on.is_(None))
    return list(db.session.scalars(stmt.order_by(SupervisionAction.due_on, SupervisionAction.id)))


def actions_of_session(session_id: int) -> list[SupervisionAction]:
    return list(db.session.scalars(select(SupervisionAction).where(SupervisionAction.session_id == session_id)
                                   .order_by(SupervisionAction.due_on, SupervisionAction.id)))


def training_needs_of_session(session_id: int) -> list[SupervisionTrainingNeed]:
    return list(db.session.scalars(select(SupervisionTrainingNeed)
                                   .where(SupervisionTrainingNeed.session_id == session_id)
                                   .order_by(SupervisionTrainingNeed.id)))


def records_to_acknowledge(person_id: int) -> list[SupervisionSession]:
    """Records of the person's own supervision that they have not acknowledged yet, oldest first."""
    return list(db.session.scalars(
        select(SupervisionSession).join(SupervisionAgreement,
                                        SupervisionSession.agreement_id == SupervisionAgreement.id)
        .where(SupervisionAgreement.supervisee_id == person_id, SupervisionSession.state == HELD,
               SupervisionSession.acknowledged_at.is_(None))
        .order_by(SupervisionSession.held_on, SupervisionSession.id)))


def open_actions_as_supervisee(person_id: int) -> list[SupervisionAction]:
    """Open actions from the person's own supervision (whoever owns them), soonest due first."""
    return list(db.session.scalars(
        select(SupervisionAction)
        .join(SupervisionSession, SupervisionAction.session_id == SupervisionSession.id)
        .join(SupervisionAgreement, SupervisionSession.agreement_id == SupervisionAgreement.id)
        .where(SupervisionAgreement.supervisee_id == person_id, SupervisionAgreement.ended_on.is_(None),
               SupervisionAction.completed_on.is_(None))
        .order_by(SupervisionAction.due_on, SupervisionAction.id)))


def people_named(ids) -> dict[int, Person]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(ids)))}


# ---------------------------------------------------------------------------------------------
# The calendar feed
# ---------------------------------------------------------------------------------------------

def feed_sessions(person_id: int, now: datetime) -> list[SupervisionSession]:
    """Sessions the person supervises or receives, planned or held, that are not cancelled."""
    return list(db.session.scalars(
        select(SupervisionSession).join(SupervisionAgreement,
                                        SupervisionSession.agreement_id == SupervisionAgreement.id)
        .where(or_(SupervisionAgreement.supervisor_id == person_id, SupervisionAgreement.supervisee_id == person_id),
               SupervisionSession.state.in_((PLANNED, HELD)),
               SupervisionSession.planned_starts_at >= now - timedelta(days=FEED_HISTORY_DAYS))
        .order_by(SupervisionSession.planned_starts_at)))


# ---------------------------------------------------------------------------------------------
# For the ASYE portfolio: supervision held, against the ASYE's expected cadence (lnd.asye)
# ---------------------------------------------------------------------------------------------

def supervision_dates_for(person_id: int, since: date, until: date) -> list[date]:
    """The days a person's professional or ASYE supervision was held between two dates, oldest first
    (one statement)."""
    return list(db.session.scalars(
        select(SupervisionSession.held_on)
        .join(SupervisionAgreement, SupervisionSession.agreement_id == SupervisionAgreement.id)
        .where(SupervisionAgreement.supervisee_id == person_id, SupervisionSession.state == HELD,
               SupervisionAgreement.kind.in_((rules.PROFESSIONAL, rules.ASYE)),
               SupervisionSession.held_on >= since, SupervisionSession.held_on <= until)
        .order_by(SupervisionSession.held_on)))
