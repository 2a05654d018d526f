"""Booking use cases: book, approve, decline, cancel, the waiting list, feedback and calendar feeds.

Each takes the acting person explicitly, flushes and leaves the commit to the caller. Seats are
only ever taken or given back by one conditional UPDATE (`_take_seat`, `_release_seat`), so the
session row's CHECK (0 <= taken <= capacity) can never be broken, whatever runs at the same time.
"""
from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import select, update

from lnd.bookings import notifications as notify
from lnd.bookings import rules
from lnd.bookings.models import (
    Booking, BookingEvent, CalendarFeed, CourseSession, Feedback, PreApproval, SessionPart,
)
from lnd.core import audit
from lnd.courses.models import Course
from lnd.courses.queries import is_live
from lnd.extensions import db
from lnd.people.models import MANAGER, OD_ADMIN, Person
from lnd.people.queries import is_manager_of


class BookingError(Exception):
    """A refusal a person can read, optionally tied to a form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def is_manager(person: Person) -> bool:
    return person.has_role(MANAGER) or bool(person.job_role and person.job_role.is_management)


def may_decide(approver: Person, person: Person) -> bool:
    """The person's managers (direct or further up) and the OD team decide; never the person."""
    if approver.id == person.id:
        return False
    return approver.has_role(OD_ADMIN) or is_manager_of(approver, person.id)


# ---------------------------------------------------------------------------------------------
# Seats: one conditional statement each
# ---------------------------------------------------------------------------------------------

def _take_seat(session_id: int) -> bool:
    result = db.session.execute(
        update(CourseSession)
        .where(CourseSession.id == session_id, CourseSession.taken < CourseSession.capacity,
               CourseSession.status == "scheduled")
        .values(taken=CourseSession.taken + 1)
        .execution_options(synchronize_session=False))
    _forget_taken(session_id)
    return result.rowcount == 1


def _release_seat(session_id: int) -> None:
    db.session.execute(
        update(CourseSession).where(CourseSession.id == session_id, CourseSession.taken > 0)
        .values(taken=CourseSession.taken - 1).execution_options(synchronize_session=False))
    _forget_taken(session_id)


def _forget_taken(session_id: int) -> None:
    loaded = db.session.identity_map.get(db.session.identity_key(CourseSession, session_id))
    if loaded is not None:
        db.session.expire(loaded, ["taken"])


def lock_session(session_id: int) -> CourseSession:
    """The session row, fresh and locked until commit (PostgreSQL; SQLite's BEGIN IMMEDIATE already
    serialises writers)."""
    return db.session.execute(
        select(CourseSession).where(CourseSession.id == session_id).with_for_update(of=CourseSession)
        .execution_options(populate_existing=True)).scalar_one()


# ---------------------------------------------------------------------------------------------
# State changes with their history
# ---------------------------------------------------------------------------------------------

def transition(booking: Booking, to_state: str, actor: Person | None, now: datetime, reason: str = "",
               *, new: bool = False) -> None:
    """Move a booking to a new state, appending to its history and the audit log. Every change
    raises the calendar SEQUENCE so an updated invite replaces the old one."""
    from_state = None if new else booking.state
    booking.state = to_state
    if from_state is not None:
        booking.sequence = (booking.sequence or 0) + 1
    db.session.add(BookingEvent(booking=booking, at=now, actor_id=getattr(actor, "id", None),
                                from_state=from_state, to_state=to_state, reason=reason))
    db.session.flush()
    audit.record(f"booking_{to_state}", "booking", booking.id, actor=actor,
                 summary=f"{booking.person.name}: {booking.session.course.title} – {to_state.replace('_', ' ')}",
                 before={"state": from_state}, after={"state": to_state, "reason": reason} if reason else
                 {"state": to_state})


def _seat_or_waitlist(booking: Booking, actor: Person, now: datetime, *, approved: bool = False,
                      reason: str = "") -> None:
    """A seat if one is free, otherwise the end of the waiting list. Approval never bypasses capacity."""
    if _take_seat(booking.session_id):
        booking.waitlisted_at = None
        transition(booking, rules.BOOKED, actor, now, reason)
        notify.queue(notify.APPROVED if approved else notify.BOOKED, booking)
    else:
        booking.waitlisted_at = now
        transition(booking, rules.WAITLISTED, actor, now, " ".join(filter(None, [reason, "The session was full."])))
        notify.queue(notify.APPROVED if approved else notify.WAITLISTED, booking)


def _busy(person_id: int, session: CourseSession) -> list[rules.Busy]:
    """The person's other sessions whose parts fall within this session's span (one query)."""
    rows = db.session.execute(
        select(SessionPart.starts_at, SessionPart.ends_at, Course.title)
        .join(CourseSession, SessionPart.session_id == CourseSession.id)
        .join(Booking, Booking.session_id == CourseSession.id)
        .join(Course, CourseSession.course_id == Course.id)
        .where(Booking.person_id == person_id, Booking.state.in_(rules.CALENDAR_STATES),
               CourseSession.status == "scheduled", CourseSession.id != session.id,
               SessionPart.starts_at < session.ends_at, SessionPart.ends_at > session.starts_at))
    return [rules.Busy(start, end, title) for start, end, title in rows]


def _lock_person(person_id: int) -> None:
    """One booking at a time per person, so two overlapping bookings cannot slip past each other."""
    db.session.execute(select(Person.id).where(Person.id == person_id).with_for_update())


def book_place(session: CourseSession, person: Person, actor: Person, now: datetime) -> Booking:
    """Request a place: refused with a sentence, sent for approval, booked, or waitlisted."""
    _lock_person(person.id)
    existing = db.session.scalar(
        select(Booking).where(Booking.session_id == session.id, Booking.person_id == person.id))
    course = session.course
    clash = rules.first_overlap([(p.starts_at, p.ends_at) for p in session.parts], _busy(person.id, session))
    refusal = rules.booking_refusal(
        course_bookable=course.is_bookable and is_live(course), course_status_label=course.status_label,
        session_cancelled=session.is_cancelled, starts_at=session.starts_at, closes_on=session.booking_closes_on,
        now=now, existing_state=existing.state if existing else None, clash=clash)
    if refusal:
        raise BookingError(refusal)
    if existing is None:
        booking = Booking(session=session, person=person, requested_at=now, state=rules.REQUESTED)
        db.session.add(booking)
        db.session.flush()
        transition(booking, rules.REQUESTED, actor, now, new=True)
    else:
        booking = existing
        booking.requested_at = now
        booking.waitlisted_at = None
        booking.decided_by_id = None
        booking.decided_at = None
        booking.decision_reason = ""
        transition(booking, rules.REQUESTED, actor, now, "Booked again.")
    needed, agreed = needs_approval(course, person, rules.london_date(now))
    if agreed is not None:
        book_as_agreed(booking, agreed, actor, now)
    elif needed:
        transition(booking, rules.AWAITING_APPROVAL, actor, now)
        notify.queue(notify.APPROVAL_REQUESTED, booking)
    else:
        _seat_or_waitlist(booking, actor, now)
    return booking


# ---------------------------------------------------------------------------------------------
# Places agreed in advance (at appraisal): booked without asking the manager again
# ---------------------------------------------------------------------------------------------

def preapproval_free():
    """A pre-approval not yet taken by a booking, or whose booking ended without a place being used."""
    return (PreApproval.used_at.is_(None)) | PreApproval.booking_id.in_(
        select(Booking.id).where(Booking.state.in_(rules.ENDED_STATES)))


def preapproval_usable(today: date):
    """Free (above) and still good on `today`: agreed within rules.PREAPPROVAL_VALID_FOR."""
    return preapproval_free() & (PreApproval.agreed_on >= rules.preapproval_agreed_since(today))


def available_preapproval(person_id: int, course_id: int, today: date) -> PreApproval | None:
    return db.session.scalar(
        select(PreApproval).where(PreApproval.person_id == person_id, PreApproval.course_id == course_id,
                                  preapproval_usable(today))
        .order_by(PreApproval.agreed_on, PreApproval.id).limit(1))


def preapproved_course_ids(person_id: int, course_ids, today: date) -> set[int]:
    """Which of these courses the person has a usable pre-approval for, in one statement."""
    course_ids = list(set(course_ids))
    if not course_ids:
        return set()
    return set(db.session.scalars(
        select(PreApproval.course_id).where(PreApproval.person_id == person_id,
                                            PreApproval.course_id.in_(course_ids), preapproval_usable(today))))


def _asks_manager(course: Course, person: Person) -> bool:
    """The course's authorisation rule alone, before any agreement made in advance."""
    authorisation = course.group.authorisation if course.group else rules.NO_AUTHORISATION
    return rules.approval_needed(authorisation, is_manager(person))


def needs_approval(course: Course, person: Person, today: date) -> tuple[bool, PreApproval | None]:
    """Whether booking this course sends a request to the manager, and the agreement that spares it.
    The one rule book_place follows; courses_needing_approval is the same for many courses at once."""
    if not _asks_manager(course, person):
        return False, None
    agreed = available_preapproval(person.id, course.id, today)
    return agreed is None, agreed


def courses_needing_approval(courses, person: Person, today: date) -> set[int]:
    """needs_approval for many courses: the ids of those whose booking goes to the manager (one
    statement for the pre-approvals, whatever the number of courses)."""
    asked = {course.id for course in courses if _asks_manager(course, person)}
    return asked - preapproved_course_ids(person.id, asked, today)


def book_as_agreed(booking: Booking, agreed: PreApproval, actor: Person | None, now: datetime) -> None:
    """The manager's earlier agreement stands as the approval: a seat or the waiting list at once."""
    reason = f"{agreed.reason}."
    booking.decided_by_id, booking.decided_at, booking.decision_reason = agreed.agreed_by_id, now, reason
    was_waiting = booking.state == rules.AWAITING_APPROVAL
    _seat_or_waitlist(booking, actor, now, approved=was_waiting, reason=reason)
    agreed.used_at, agreed.booking_id = now, booking.id
    db.session.flush()
    audit.record("preapproval_used", "pre_approval", agreed.id, actor=actor,
                 summary=f"{booking.person.name}: {booking.session.course.title} booked as agreed",
                 after={"booking_id": booking.id, "state": booking.state})


def approve(booking: Booking, approver: Person, now: datetime, note: str = "") -> Booking:
    _check_decision(booking, approver)
    if now >= booking.session.starts_at:
        raise BookingError("This session has already started, so the request can no longer be approved. "
                           "Decline it instead.")
    booking.decided_by_id, booking.decided_at, booking.decision_reason = approver.id, now, note.strip()
    _seat_or_waitlist(booking, approver, now, approved=True)
    return booking


def decline(booking: Booking, approver: Person, now: datetime, reason: str) -> Booking:
    _check_decision(booking, approver)
    if not reason.strip():
        raise BookingError("Enter the reason for declining the request", "reason")
    booking.decided_by_id, booking.decided_at, booking.decision_reason = approver.id, now, reason.strip()
    transition(booking, rules.DECLINED, approver, now, reason.strip())
    notify.queue(notify.DECLINED, booking, reason.strip())
    return booking


def _check_decision(booking: Booking, approver: Person) -> None:
    if not may_decide(approver, booking.person):
        raise BookingError("You cannot decide on this request.")
    if booking.state != rules.AWAITING_APPROVAL:
        raise BookingError("This request has already been decided or withdrawn.")


def cancel(booking: Booking, actor: Person, now: datetime, *, by_od: bool, cutoff_working_days: int,
           reason: str = "") -> Booking:
    """Cancel a place, request or waiting-list entry; a freed seat goes to the waiting list."""
    session = booking.session
    if by_od:
        refusal = rules.od_cancellation_refusal(booking.state)
    else:
        refusal = rules.cancellation_refusal(booking.state, rules.london_date(session.starts_at),
                                             rules.london_date(now), now >= session.starts_at, cutoff_working_days)
    if refusal:
        raise BookingError(refusal)
    had_place = booking.state in rules.SEAT_STATES
    booking.waitlisted_at = None
    transition(booking, rules.CANCELLED_BY_OD if by_od else rules.CANCELLED_BY_PERSON, actor, now, reason.strip())
    if had_place:
        _release_seat(session.id)
        promote_waitlist(session, actor, now)
    notify.queue(notify.CANCELLED, booking, reason.strip(), had_place=had_place)
    return booking


def promote_waitlist(session: CourseSession, actor: Person | None, now: datetime) -> list[Booking]:
    """Give free seats to the first people on the waiting list, never once the session has started.
    (`actor` caused the free seat; the history records the promotion as the service's own.)"""
    session = lock_session(session.id)
    waiting = list(db.session.scalars(
        select(Booking).where(Booking.session_id == session.id, Booking.state == rules.WAITLISTED)
        .order_by(Booking.waitlisted_at, Booking.id).with_for_update(of=Booking)))
    plan = rules.promotions(session.capacity, session.taken,
                            [rules.WaitlistEntry(b.id, b.waitlisted_at) for b in waiting],
                            now=now, starts_at=session.starts_at, cancelled=session.is_cancelled)
    by_id = {b.id: b for b in waiting}
    promoted = []
    for entry in plan:
        if not _take_seat(session.id):
            break
        booking = by_id[entry.booking_id]
        booking.waitlisted_at = None
        # The service promotes, not the person whose cancellation (or capacity change) freed the seat.
        transition(booking, rules.BOOKED, None, now, "A place became free.")
        notify.queue(notify.PROMOTED, booking)
        promoted.append(booking)
    return promoted


# ---------------------------------------------------------------------------------------------
# Feedback and the calendar feed
# ---------------------------------------------------------------------------------------------

def give_feedback(booking: Booking, person: Person, now: datetime, *, usefulness: int, delivery: int,
                  will_do_differently: str, comments: str) -> Feedback:
    if booking.person_id != person.id:
        raise BookingError("You can only give feedback on your own sessions.")
    existing = db.session.scalar(select(Feedback.id).where(Feedback.booking_id == booking.id))
    if not rules.may_give_feedback(booking.state, existing is not None):
        raise BookingError("Feedback can be given once, after attending the session.")
    for name, value in (("usefulness", usefulness), ("delivery", delivery)):
        if value not in range(1, 6):
            raise BookingError("Choose a rating from the list", name)
    feedback = Feedback(booking=booking, usefulness=usefulness, delivery=delivery, given_at=now,
                        will_do_differently=will_do_differently.strip(), comments=comments.strip())
    db.session.add(feedback)
    db.session.flush()
    audit.record("feedback_given", "booking", booking.id, actor=person,
                 summary=f"Feedback on {booking.session.course.title}")
    return feedback


def feed_for(person: Person, create: bool = True) -> CalendarFeed | None:
    feed = db.session.get(CalendarFeed, person.id)
    if feed is None and create:
        feed = CalendarFeed(person_id=person.id, token=secrets.token_urlsafe(32))
        db.session.add(feed)
        db.session.flush()
    return feed


def reset_feed(person: Person, now: datetime) -> CalendarFeed:
    """A new secret address; the old one stops working at once."""
    feed = feed_for(person)
    feed.token = secrets.token_urlsafe(32)
    feed.created_at = now
    db.session.flush()
    audit.record("calendar_feed_reset", "person", person.id, actor=person, summary="Calendar feed address reset")
    return feed


def cutoff_deadline(session: CourseSession, working_days: int) -> date:
    return rules.cancellation_deadline(rules.london_date(session.starts_at), working_days)
