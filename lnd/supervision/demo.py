"""Demonstration supervision, for `seed --demo`: made through the same services as the pages, with
dates around 22 November 2026 like the rest of the demo organisation.

- Sofia Marsh (supervisor@) gives David Reid (dsl@, Riverside Primary School) DSL supervision: in
  force, one record made late, one on time still to be acknowledged, the next session planned.
- Morgan Ellis (manager@) supervises Sam Okafor (social.worker@): the last supervision was on
  29 September, so it is overdue; the agreement is past its annual review; an observation of
  practice and a training need are on record.
- Morgan Ellis supervises Nadia Hussain (nqsw@) on the ASYE, weekly: signed by Morgan only.

Idempotent: an agreement already there for the same two people and kind is left alone. Mail the
services queue is discarded: the demo writes to nobody.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from lnd.bookings import notifications as booking_notifications
from lnd.core.clock import LONDON
from lnd.courses.queries import course_by_slug
from lnd.extensions import db
from lnd.people.queries import find_by_email
from lnd.supervision import notifications, rules, services, session_services
from lnd.supervision.models import SupervisionAgreement


ASSESSMENT_TEAM_ROOM = "Middlesbrough House, Assessment team room"


@dataclass
class DemoResult:
    agreements_created: int = 0
    sessions_created: int = 0

    def __str__(self) -> str:
        return f"{self.agreements_created} agreements created, {self.sessions_created} sessions"


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=LONDON)


def _exists(supervisor, supervisee, kind: str) -> bool:
    return db.session.scalar(select(SupervisionAgreement.id).where(
        SupervisionAgreement.supervisor_id == supervisor.id, SupervisionAgreement.supervisee_id == supervisee.id,
        SupervisionAgreement.kind == kind).limit(1)) is not None


def _agreement(supervisor, supervisee, kind: str, frequency: str, place: str, starts_on: date,
               signatures: list[tuple]) -> SupervisionAgreement:
    """An agreement drafted on the day it starts, then signed by each (person, moment) given."""
    agreement = services.draft_agreement(supervisor, supervisee, kind, services.AgreementDetails(
        frequency=frequency, usual_place=place, starts_on=starts_on), starts_on)
    for person, moment in signatures:
        services.sign_agreement(agreement, person, moment)
    return agreement


def _held(agreement, supervisor, day: date, hour: int, recorded_at: datetime, agenda: list[str], discussion: str,
          decisions: str = "", place: str = "", observation_notes: str = ""):
    session = session_services.plan_session(agreement, supervisor, at(day, hour), 90, place or agreement.usual_place)
    session_services.record_session(session, supervisor, session_services.SessionRecord(
        held_on=day, duration_minutes=90, place=place or agreement.usual_place, agenda=agenda,
        discussion=discussion, decisions=decisions, observation=bool(observation_notes),
        observation_notes=observation_notes), recorded_at)
    return session


def _dsl_supervision(supervisor, dsl, result: DemoResult) -> None:
    agreement = _agreement(supervisor, dsl, rules.DSL, rules.MONTHLY, "Riverside Primary School, the family room",
                           date(2026, 9, 1), [(supervisor, at(date(2026, 9, 1), 10)),
                                              (dsl, at(date(2026, 9, 2), 16, 15))])
    october = _held(agreement, supervisor, date(2026, 10, 6), 15, at(date(2026, 10, 9), 11),
                    ["wellbeing", "casework", "standards"],
                    "Two new referrals since September, both about neglect. We went through the evidence gathered "
                    "by class teachers and the threshold for a referral to the front door.",
                    "David to make both referrals this week, using the neglect toolkit.")
    session_services.acknowledge_record(october, dsl, "", at(date(2026, 10, 12), 8, 30))
    november = _held(agreement, supervisor, date(2026, 11, 3), 15, at(date(2026, 11, 4), 9, 30),
                     ["wellbeing", "casework", "development"],
                     "Outcomes of the October referrals. The impact on David of a disclosure made to him directly, "
                     "and the support available. The school's safeguarding log.",
                     "The log is to record the outcome of each referral as well as the referral.")
    session_services.add_action(november, supervisor, description="Add the outcome of each referral to the school's "
                        "safeguarding log", owner="supervisee", owner_name="", due_on=date(2026, 11, 30))
    toolkit = session_services.add_action(november, supervisor, description="Send David the Teeswide neglect toolkit",
                                  owner="supervisor", owner_name="", due_on=date(2026, 11, 10))
    session_services.complete_action(toolkit, supervisor, date(2026, 11, 5))
    session_services.plan_session(agreement, supervisor, at(date(2026, 12, 1), 15, 30), 90, agreement.usual_place)
    result.agreements_created += 1
    result.sessions_created += 3


def _professional_supervision(manager, worker, result: DemoResult) -> None:
    agreement = _agreement(manager, worker, rules.PROFESSIONAL, rules.MONTHLY, ASSESSMENT_TEAM_ROOM,
                           date(2025, 11, 3), [(manager, at(date(2025, 11, 3), 14)),
                                               (worker, at(date(2025, 11, 4), 9, 10))])
    _held(agreement, manager, date(2026, 8, 25), 10, at(date(2026, 8, 25), 16),
          ["wellbeing", "health_safety", "casework"],
          "Caseload of 16, two families new since July. Lone working on late visits: the buddy system is in place.",
          "Sam to use the buddy system for every visit after 5pm.")
    september = _held(agreement, manager, date(2026, 9, 29), 10, at(date(2026, 9, 30), 12),
                      ["casework", "development", "standards"],
                      "Reflection on the home visit observed on 24 September; the M family's assessment, due on "
                      "9 October; preparing for Sam's first final hearing.",
                      "The assessment goes to the team manager for sign-off by 9 October.",
                      observation_notes="Observed Sam's home visit to the M family on 24 September: clear, warm "
                                        "communication with the children, seen alone; the chronology needs the "
                                        "school's information.")
    chronology = session_services.add_action(september, manager, description="Complete the M family's chronology",
                                     owner="supervisee", owner_name="", due_on=date(2026, 10, 9))
    session_services.complete_action(chronology, worker, date(2026, 10, 8))
    session_services.add_action(september, manager, description="Shadow a colleague at a final hearing",
                        owner="supervisee", owner_name="", due_on=date(2026, 12, 18))
    court = course_by_slug("court-skills-and-pre-proceedings")
    if court is not None:
        session_services.add_training_need(september, manager, court, None, "Before the first final hearing",
                                   at(date(2026, 9, 30), 12, 5))
    result.agreements_created += 1
    result.sessions_created += 2


def _asye_supervision(manager, nqsw, result: DemoResult) -> None:
    agreement = _agreement(manager, nqsw, rules.ASYE, rules.WEEKLY, ASSESSMENT_TEAM_ROOM, date(2026, 9, 7),
                           [(manager, at(date(2026, 9, 7), 11))])
    _held(agreement, manager, date(2026, 11, 16), 10, at(date(2026, 11, 16), 15),
          ["wellbeing", "development", "casework"],
          "First reflective log for module 2; protected development time is being kept; caseload of 8.",
          "Nadia to bring the draft of her first direct observation to the next supervision.")
    session_services.plan_session(agreement, manager, at(date(2026, 11, 23), 10), 60, agreement.usual_place)
    result.agreements_created += 1
    result.sessions_created += 2


def load_demo() -> DemoResult:
    result = DemoResult()
    people = {email: find_by_email(email) for email in ("supervisor@example.org", "dsl@example.org",
                                                         "manager@example.org", "social.worker@example.org",
                                                         "nqsw@example.org")}
    plans = [
        ("supervisor@example.org", "dsl@example.org", rules.DSL, _dsl_supervision),
        ("manager@example.org", "social.worker@example.org", rules.PROFESSIONAL, _professional_supervision),
        ("manager@example.org", "nqsw@example.org", rules.ASYE, _asye_supervision),
    ]
    for supervisor_email, supervisee_email, kind, make in plans:
        supervisor, supervisee = people[supervisor_email], people[supervisee_email]
        if supervisor is None or supervisee is None or _exists(supervisor, supervisee, kind):
            continue
        make(supervisor, supervisee, result)
    db.session.flush()
    notifications.discard()
    booking_notifications.discard()
    return result
