"""Supervision sessions: plan, move and cancel them; record them (flagged late more than one working day
after); agree actions; the supervisee's acknowledgement; training needs that become booking requests.

Like services, each takes the acting person (and `today`/`now`) explicitly, writes an audit row,
flushes and leaves the commit to the caller; refusals raise SupervisionError.
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
from lnd.supervision import queries, rules
from lnd.supervision.models import (
    CANCELLED, HELD, PLACE_MAX, PLANNED, SupervisionAction, SupervisionAgreement, SupervisionSession,
    SupervisionTrainingNeed,
)
from lnd.supervision.services import (
    ACTION_MAX, COMMENT_MAX, REASON_MAX, TEXT_MAX, SupervisionError, clean_text, must_be_current, must_supervise,
)


def _london_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


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
    return clean_text(place, "place", PLACE_MAX, "The place", "Enter where the supervision will be held")


def plan_session(agreement: SupervisionAgreement, actor: Person, starts_at: datetime | None, minutes: int | None,
                 place: str) -> SupervisionSession:
    must_supervise(agreement, actor)
    must_be_current(agreement)
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
    must_supervise(agreement, actor)
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
    must_supervise(session.agreement, actor)
    _must_be_planned(session)
    reason = clean_text(reason, "reason", REASON_MAX, "The reason")
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
    must_supervise(agreement, actor)
    must_be_current(agreement)
    _must_be_planned(session)
    today = _london_date(now)
    problem = rules.record_problem(held_on=record.held_on, today=today, duration_minutes=record.duration_minutes,
                                   agenda=record.agenda, discussion=record.discussion or "")
    if problem:
        raise SupervisionError(problem[1], problem[0])
    session.held_on = record.held_on
    session.duration_minutes = record.duration_minutes
    session.place = clean_text(record.place, "place", PLACE_MAX, "The place", "Enter where the supervision was held")
    session.agenda = [area for area in rules.AGENDA_AREAS if area in record.agenda]
    session.discussion = clean_text(record.discussion, "discussion", TEXT_MAX, "What was discussed")
    session.decisions = clean_text(record.decisions, "decisions", TEXT_MAX, "The decisions")
    session.observation = bool(record.observation)
    session.observation_notes = clean_text(
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
    must_supervise(session.agreement, actor)
    _must_be_held(session)
    description = clean_text(description, "description", ACTION_MAX, "The action", "Enter the action")
    if owner not in rules.ACTION_OWNERS:
        raise SupervisionError("Select who owns the action", "owner")
    owner_name = clean_text(owner_name, "owner_name", 200, "The name",
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
    session.supervisee_comments = clean_text(comments, "comments", COMMENT_MAX, "Your comments")
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
    must_supervise(agreement, actor)
    must_be_current(agreement)
    _must_be_held(session)
    if course is None:
        raise SupervisionError("Select a course from the offer", "course")
    if course_session is not None and course_session.course_id != course.id:
        raise SupervisionError("Select one of the course's dates", "course_session")
    description = clean_text(description, "description", ACTION_MAX, "The description")
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
