"""Supervision use cases: draft, change, sign, review and end agreements; plan, move, cancel and record
sessions; agree actions; acknowledge records; turn training needs into booking requests.

Each takes the acting person explicitly (and `today`/`now`), writes an audit row, flushes and leaves
the commit to the caller. Refusals raise SupervisionError with a sentence a person can read and,
where it belongs to one field of a form, that field's name.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from lnd.bookings import rules as booking_rules
from lnd.bookings import services as bookings
from lnd.bookings.models import CourseSession
from lnd.core import audit
from lnd.core.clock import LONDON
from lnd.courses.models import Course
from lnd.extensions import db
from lnd.people.models import Person
from lnd.supervision import notifications as notify
from lnd.supervision import queries, rules, wording
from lnd.supervision.models import (
    CANCELLED, HELD, PLACE_MAX, PLANNED, SupervisionAction, SupervisionAgreement, SupervisionSession,
    SupervisionTrainingNeed,
)

TEXT_MAX = 20_000       # the agreement's wording, a record's discussion and decisions
COMMENT_MAX = 5_000
ACTION_MAX = 2_000
REASON_MAX = 1_000


class SupervisionError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _text(value: str | None, field: str, limit: int, what: str, missing: str | None = None) -> str:
    text = (value or "").strip()
    if missing and not text:
        raise SupervisionError(missing, field)
    if len(text) > limit:
        raise SupervisionError(f"{what} must be {limit:,} characters or fewer", field)
    return text


def _must_supervise(agreement: SupervisionAgreement, actor: Person) -> None:
    if actor.id != agreement.supervisor_id:
        raise SupervisionError("Only the supervisor can do this.")


def _must_be_current(agreement: SupervisionAgreement) -> None:
    if agreement.ended_on is not None:
        raise SupervisionError("This agreement has ended.")


def _london_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


# ---------------------------------------------------------------------------------------------
# Agreements
# ---------------------------------------------------------------------------------------------

@dataclass
class AgreementDetails:
    """What the supervisor writes; purpose and terms left empty take the kind's standard wording."""

    frequency: str = ""
    usual_place: str = ""
    starts_on: date | None = None
    review_due_on: date | None = None
    purpose: str = ""
    terms: str = ""


def _snapshot(agreement: SupervisionAgreement) -> dict:
    return {"frequency": agreement.frequency, "usual_place": agreement.usual_place,
            "starts_on": agreement.starts_on, "review_due_on": agreement.review_due_on,
            "purpose": agreement.purpose, "terms": agreement.terms, "version": agreement.version}


def _checked(details: AgreementDetails, *, counting_from: date | None = None) -> dict:
    if details.frequency not in rules.FREQUENCIES:
        raise SupervisionError("Select how often supervision is held", "frequency")
    place = _text(details.usual_place, "usual_place", PLACE_MAX, "The usual place",
                  "Enter where supervision is usually held")
    problem = rules.agreement_problem(starts_on=counting_from or details.starts_on, review_due_on=details.review_due_on)
    if problem:
        field_name, message = problem
        raise SupervisionError(message, "review_due_on" if counting_from and field_name == "starts_on" else field_name)
    return {"frequency": details.frequency, "usual_place": place,
            "purpose": _text(details.purpose, "purpose", TEXT_MAX, "The purpose"),
            "terms": _text(details.terms, "terms", TEXT_MAX, "The terms")}


def standard_wording(kind: str, supervisor: Person, supervisee: Person) -> tuple[str, str]:
    words = wording.current().of(kind)
    values = {"supervisor": supervisor.name, "supervisee": supervisee.name,
              "organisation": supervisee.organisation.name if supervisee.organisation else "their organisation"}
    return wording.fill(words.purpose, **values), wording.fill(words.terms, **values)


def draft_agreement(supervisor: Person, supervisee: Person | None, kind: str, details: AgreementDetails,
                    today: date) -> SupervisionAgreement:
    """A new written agreement, not in force until both have signed it."""
    if supervisee is None:
        raise SupervisionError("Enter the email address of someone who uses this service", "supervisee_email")
    if supervisee.id == supervisor.id:
        raise SupervisionError("You cannot be your own supervisor", "supervisee_email")
    if supervisee.is_leaver_on(today):
        raise SupervisionError(f"{supervisee.name} has left, so they cannot be supervised", "supervisee_email")
    if kind not in rules.KINDS:
        raise SupervisionError("Select the kind of supervision", "kind")
    if queries.current_agreement_between(supervisor.id, supervisee.id, kind) is not None:
        raise SupervisionError(f"You already have a current {rules.KINDS[kind].lower()} agreement with "
                               f"{supervisee.name}", "kind")
    values = _checked(details)
    purpose, terms = standard_wording(kind, supervisor, supervisee)
    agreement = SupervisionAgreement(
        supervisor_id=supervisor.id, supervisee_id=supervisee.id, kind=kind, starts_on=details.starts_on,
        review_due_on=details.review_due_on or rules.default_review_date(details.starts_on),
        created_by_id=supervisor.id, version=1,
        **dict(values, purpose=values["purpose"] or purpose, terms=values["terms"] or terms))
    db.session.add(agreement)
    db.session.flush()
    db.session.refresh(agreement)
    audit.record("supervision_agreement_drafted", "supervision_agreement", agreement.id, actor=supervisor,
                 summary=f"{rules.KINDS[kind]}: {supervisor.name} supervising {supervisee.name}",
                 after=_snapshot(agreement))
    notify.queue(notify.TO_SIGN, agreement.id, supervisee.id)
    return agreement


def _clear_signatures(agreement: SupervisionAgreement) -> bool:
    signed = agreement.supervisor_signed_at is not None or agreement.supervisee_signed_at is not None
    agreement.supervisor_signed_at = agreement.supervisee_signed_at = None
    agreement.version += 1
    return signed


def change_agreement(agreement: SupervisionAgreement, actor: Person, details: AgreementDetails,
                     today: date) -> SupervisionAgreement:
    """Change an agreement that is not yet in force. A signature already given is withdrawn: the
    changed text has to be signed again."""
    _must_supervise(agreement, actor)
    _must_be_current(agreement)
    if agreement.in_force:
        raise SupervisionError("This agreement is in force. Review it to change it.")
    values = _checked(details)
    values.update(starts_on=details.starts_on,
                  review_due_on=details.review_due_on or rules.default_review_date(details.starts_on))
    if not values["purpose"] or not values["terms"]:
        purpose, terms = standard_wording(agreement.kind, agreement.supervisor, agreement.supervisee)
        values["purpose"], values["terms"] = values["purpose"] or purpose, values["terms"] or terms
    before = _snapshot(agreement)
    changed = any(getattr(agreement, key) != value for key, value in values.items())
    if not changed:
        return agreement
    for key, value in values.items():
        setattr(agreement, key, value)
    had_signature = _clear_signatures(agreement)
    db.session.flush()
    old, new = audit.changes(before, _snapshot(agreement))
    audit.record("supervision_agreement_changed", "supervision_agreement", agreement.id, actor=actor,
                 summary="Agreement changed" + ("; signatures withdrawn" if had_signature else ""),
                 before=old, after=new)
    notify.queue(notify.TO_SIGN, agreement.id, agreement.supervisee_id)
    return agreement


def review_agreement(agreement: SupervisionAgreement, actor: Person, details: AgreementDetails,
                     today: date) -> SupervisionAgreement:
    """The annual review renews the agreement: the wording as reviewed, a new review date (12 months
    on unless given), and both sign again."""
    _must_supervise(agreement, actor)
    _must_be_current(agreement)
    if not agreement.in_force:
        raise SupervisionError("Only an agreement in force can be reviewed. Change it and sign it instead.")
    details.review_due_on = details.review_due_on or rules.default_review_date(today)
    values = _checked(details, counting_from=today)
    before = _snapshot(agreement)
    for key, value in values.items():
        setattr(agreement, key, value or getattr(agreement, key))
    agreement.review_due_on = details.review_due_on
    agreement.last_reviewed_on = today
    _clear_signatures(agreement)
    db.session.flush()
    old, new = audit.changes(before, _snapshot(agreement))
    audit.record("supervision_agreement_reviewed", "supervision_agreement", agreement.id, actor=actor,
                 summary=f"Agreement reviewed on {today.isoformat()}; to be signed again", before=old, after=new)
    notify.queue(notify.TO_SIGN, agreement.id, agreement.supervisee_id)
    return agreement


def sign_agreement(agreement: SupervisionAgreement, person: Person, now: datetime) -> SupervisionAgreement:
    """One party's electronic signature on the current version, timestamped."""
    _must_be_current(agreement)
    if not queries.is_party(person, agreement):
        raise SupervisionError("Only the supervisor and the supervisee sign the agreement.")
    if agreement.signed_at(person.id) is not None:
        raise SupervisionError("You have already signed this agreement.")
    role = "supervisor" if person.id == agreement.supervisor_id else "supervisee"
    setattr(agreement, f"{role}_signed_at", now)
    db.session.flush()
    audit.record("supervision_agreement_signed", "supervision_agreement", agreement.id, actor=person,
                 summary=f"Signed by the {role}, {person.name} (version {agreement.version})",
                 after={"signed_by": role, "version": agreement.version, "at": now})
    if agreement.in_force:
        audit.record("supervision_agreement_in_force", "supervision_agreement", agreement.id, actor=person,
                     summary=f"Signed by both; version {agreement.version} in force",
                     after={"version": agreement.version})
    else:
        other = agreement.supervisee_id if role == "supervisor" else agreement.supervisor_id
        notify.queue(notify.TO_SIGN, agreement.id, other)
    return agreement


def end_agreement(agreement: SupervisionAgreement, actor: Person, today: date, reason: str) -> SupervisionAgreement:
    """End the agreement (the supervisee left, or someone else now supervises them); sessions still
    planned are cancelled."""
    _must_supervise(agreement, actor)
    _must_be_current(agreement)
    reason = _text(reason, "reason", REASON_MAX, "The reason", "Enter why the agreement is ending")
    agreement.ended_on = today
    agreement.end_reason = reason
    for session in db.session.scalars(db.select(SupervisionSession).where(
            SupervisionSession.agreement_id == agreement.id, SupervisionSession.state == PLANNED)):
        session.state = CANCELLED
        session.cancelled_reason = "The agreement ended."
        session.sequence += 1
    db.session.flush()
    audit.record("supervision_agreement_ended", "supervision_agreement", agreement.id, actor=actor,
                 summary=f"Agreement ended: {reason}", after={"ended_on": today, "reason": reason})
    return agreement


# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------

def _when_and_where(starts_at: datetime | None, minutes: int | None, place: str) -> str:
    if starts_at is None:
        raise SupervisionError("Enter the date and time of the supervision", "day")
    if starts_at.tzinfo is None:
        raise ValueError("Supervision times must be timezone-aware.")
    problem = rules.duration_problem(minutes, "minutes")
    if problem:
        raise SupervisionError(problem[1], problem[0])
    return _text(place, "place", PLACE_MAX, "The place", "Enter where the supervision will be held")


def plan_session(agreement: SupervisionAgreement, actor: Person, starts_at: datetime | None, minutes: int | None,
                 place: str) -> SupervisionSession:
    _must_supervise(agreement, actor)
    _must_be_current(agreement)
    place = _when_and_where(starts_at, minutes, place or agreement.usual_place)
    session = SupervisionSession(agreement=agreement, state=PLANNED, planned_starts_at=starts_at,
                                 planned_minutes=minutes, planned_place=place, sequence=0, agenda=[])
    db.session.add(session)
    db.session.flush()
    audit.record("supervision_session_planned", "supervision_session", session.id, actor=actor,
                 summary=f"Supervision of {agreement.supervisee.name} planned",
                 after={"starts_at": starts_at, "minutes": minutes, "place": place})
    notify.queue(notify.PLANNED, session.id, agreement.supervisee_id)
    return session


def _must_be_planned(session: SupervisionSession) -> None:
    if session.state == HELD:
        raise SupervisionError("This supervision has already been recorded.")
    if session.state == CANCELLED:
        raise SupervisionError("This supervision was cancelled.")


def reschedule_session(session: SupervisionSession, actor: Person, starts_at: datetime | None, minutes: int | None,
                       place: str) -> SupervisionSession:
    agreement = session.agreement
    _must_supervise(agreement, actor)
    _must_be_planned(session)
    place = _when_and_where(starts_at, minutes, place)
    before = {"starts_at": session.planned_starts_at, "minutes": session.planned_minutes,
              "place": session.planned_place}
    after = {"starts_at": starts_at, "minutes": minutes, "place": place}
    if before == after:
        return session
    session.planned_starts_at, session.planned_minutes, session.planned_place = starts_at, minutes, place
    session.sequence += 1
    db.session.flush()
    audit.record("supervision_session_moved", "supervision_session", session.id, actor=actor,
                 summary=f"Supervision of {agreement.supervisee.name} moved", before=before, after=after)
    notify.queue(notify.PLANNED, session.id, agreement.supervisee_id)
    return session


def cancel_session(session: SupervisionSession, actor: Person, reason: str) -> SupervisionSession:
    _must_supervise(session.agreement, actor)
    _must_be_planned(session)
    reason = _text(reason, "reason", REASON_MAX, "The reason")
    session.state = CANCELLED
    session.cancelled_reason = reason
    session.sequence += 1
    db.session.flush()
    audit.record("supervision_session_cancelled", "supervision_session", session.id, actor=actor,
                 summary=f"Supervision of {session.agreement.supervisee.name} cancelled",
                 after={"reason": reason})
    return session


@dataclass
class SessionRecord:
    held_on: date | None = None
    duration_minutes: int | None = None
    place: str = ""
    agenda: list[str] = field(default_factory=list)
    discussion: str = ""
    decisions: str = ""
    observation: bool = False
    observation_notes: str = ""


def record_session(session: SupervisionSession, actor: Person, record: SessionRecord,
                   now: datetime) -> SupervisionSession:
    """The record of a planned session. Made more than one working day after the session, it is
    flagged as late."""
    agreement = session.agreement
    _must_supervise(agreement, actor)
    _must_be_current(agreement)
    _must_be_planned(session)
    today = _london_date(now)
    problem = rules.record_problem(held_on=record.held_on, today=today, duration_minutes=record.duration_minutes,
                                   agenda=record.agenda, discussion=record.discussion or "")
    if problem:
        raise SupervisionError(problem[1], problem[0])
    session.held_on = record.held_on
    session.duration_minutes = record.duration_minutes
    session.place = _text(record.place, "place", PLACE_MAX, "The place", "Enter where the supervision was held")
    session.agenda = [area for area in rules.AGENDA_AREAS if area in record.agenda]
    session.discussion = _text(record.discussion, "discussion", TEXT_MAX, "What was discussed")
    session.decisions = _text(record.decisions, "decisions", TEXT_MAX, "The decisions")
    session.observation = bool(record.observation)
    session.observation_notes = _text(
        record.observation_notes, "observation_notes", TEXT_MAX, "The observation",
        "Enter what was observed and the feedback given" if record.observation else None)
    session.recorded_at = now
    session.recorded_by_id = actor.id
    session.recorded_late = rules.recorded_late(record.held_on, today)
    session.state = HELD
    session.sequence += 1
    db.session.flush()
    audit.record("supervision_session_recorded", "supervision_session", session.id, actor=actor,
                 summary=f"Supervision of {agreement.supervisee.name} on {record.held_on.isoformat()} recorded"
                         + (" late" if session.recorded_late else ""),
                 after={"held_on": record.held_on, "late": session.recorded_late,
                        "observation": session.observation})
    notify.queue(notify.TO_READ, session.id, agreement.supervisee_id)
    return session


def _must_be_held(session: SupervisionSession) -> None:
    if session.state != HELD:
        raise SupervisionError("Record the supervision first.")


def add_action(session: SupervisionSession, actor: Person, *, description: str, owner: str, owner_name: str,
               due_on: date | None) -> SupervisionAction:
    _must_supervise(session.agreement, actor)
    _must_be_held(session)
    description = _text(description, "description", ACTION_MAX, "The action", "Enter the action")
    if owner not in rules.ACTION_OWNERS:
        raise SupervisionError("Select who owns the action", "owner")
    owner_name = _text(owner_name, "owner_name", 200, "The name",
                       "Enter the name of the person who owns the action" if owner == "other" else None)
    if due_on is None:
        raise SupervisionError("Enter the date the action is due", "due_on")
    if due_on < session.held_on:
        raise SupervisionError("The action cannot be due before the supervision was held", "due_on")
    action = SupervisionAction(session_id=session.id, description=description, owner=owner,
                               owner_name=owner_name if owner == "other" else "", due_on=due_on)
    db.session.add(action)
    db.session.flush()
    audit.record("supervision_action_added", "supervision_action", action.id, actor=actor,
                 summary=f"Action for the {rules.ACTION_OWNERS[owner].lower()}, due {due_on.isoformat()}",
                 after={"session": session.id, "owner": owner, "due_on": due_on})
    return action


def complete_action(action: SupervisionAction, actor: Person, today: date) -> SupervisionAction:
    agreement = action.session.agreement
    if not queries.is_party(actor, agreement):
        raise SupervisionError("Only the supervisor and the supervisee can mark actions as done.")
    if action.completed_on is not None:
        raise SupervisionError("This action is already done.")
    action.completed_on = today
    action.completed_by_id = actor.id
    db.session.flush()
    audit.record("supervision_action_done", "supervision_action", action.id, actor=actor,
                 summary="Action marked as done", after={"completed_on": today})
    return action


def acknowledge_record(session: SupervisionSession, person: Person, comments: str,
                       now: datetime) -> SupervisionSession:
    """The supervisee has read the record, with their comments if they have any."""
    if person.id != session.agreement.supervisee_id:
        raise SupervisionError("Only the supervisee acknowledges the record.")
    _must_be_held(session)
    if session.acknowledged_at is not None:
        raise SupervisionError("You have already acknowledged this record.")
    session.supervisee_comments = _text(comments, "comments", COMMENT_MAX, "Your comments")
    session.acknowledged_at = now
    db.session.flush()
    audit.record("supervision_record_acknowledged", "supervision_session", session.id, actor=person,
                 summary="Record acknowledged by the supervisee" + (" with comments" if session.supervisee_comments
                                                                     else ""))
    return session


# ---------------------------------------------------------------------------------------------
# Training needs
# ---------------------------------------------------------------------------------------------

def is_line_manager(supervisor: Person, supervisee: Person) -> bool:
    return supervisee.manager_id is not None and supervisee.manager_id == supervisor.id


def add_training_need(session: SupervisionSession, actor: Person, course: Course | None,
                      course_session: CourseSession | None, description: str, now: datetime) -> SupervisionTrainingNeed:
    """A training need identified in supervision. With a date chosen it becomes a booking request for
    the supervisee through the bookings service, agreed there and then when the supervisor is their
    line manager (a full session still waitlists: agreement never bypasses capacity)."""
    agreement = session.agreement
    _must_supervise(agreement, actor)
    _must_be_current(agreement)
    _must_be_held(session)
    if course is None:
        raise SupervisionError("Select a course from the offer", "course")
    if course_session is not None and course_session.course_id != course.id:
        raise SupervisionError("Select one of the course's dates", "course_session")
    description = _text(description, "description", ACTION_MAX, "The description")
    supervisee = agreement.supervisee
    pre_agreed = is_line_manager(actor, supervisee)
    booking = None
    if course_session is not None:
        try:
            booking = bookings.book_place(course_session, supervisee, actor, now)
            if pre_agreed and booking.state == booking_rules.AWAITING_APPROVAL:
                bookings.approve(booking, actor, now, "Agreed in supervision.")
        except bookings.BookingError as error:
            raise SupervisionError(error.message, "course_session") from None
    need = SupervisionTrainingNeed(session_id=session.id, course_id=course.id, description=description,
                                   booking_id=booking.id if booking else None, pre_agreed=pre_agreed,
                                   created_by_id=actor.id)
    db.session.add(need)
    db.session.flush()
    audit.record("supervision_training_need", "supervision_session", session.id, actor=actor,
                 summary=f"Training need: {course.title}" + (f" (booking {booking.id}, {booking.state})" if booking
                                                            else " (no date chosen)"),
                 after={"course": course.slug, "booking": booking.id if booking else None, "pre_agreed": pre_agreed})
    return need
