"""The OD team's use cases for sessions: create, edit, change capacity, cancel, mark the register.
Every change is audited and the people booked are told; the caller commits."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select, update

from lnd.bookings import notifications as notify
from lnd.bookings import rules
from lnd.bookings.models import CANCELLED, Attendance, Booking, CourseSession, SessionPart
from lnd.bookings.services import BookingError, lock_session, promote_waitlist, transition
from lnd.core import audit
from lnd.courses.models import RETIRED, Completion, Course
from lnd.extensions import db
from lnd.people.models import Person
from lnd.people.queries import find_by_email


@dataclass
class PartDetails:
    starts_at: datetime
    ends_at: datetime
    venue: str = ""
    joining_url: str | None = None


@dataclass
class SessionDetails:
    booking_closes_on: date | None
    facilitator: str = ""
    facilitator_email: str = ""
    notes: str = ""
    parts: list[PartDetails] = field(default_factory=list)
    capacity: int | None = None  # set on creation; changed afterwards with change_capacity()


def _snapshot(session: CourseSession) -> dict:
    return {
        "booking_closes_on": session.booking_closes_on, "facilitator": session.facilitator,
        "facilitator_id": session.facilitator_id, "notes": session.notes,
        "parts": [{"starts_at": p.starts_at, "ends_at": p.ends_at, "venue": p.venue, "joining_url": p.joining_url}
                  for p in session.parts],
    }


def _checked_facilitator(details: SessionDetails) -> Person | None:
    email = (details.facilitator_email or "").strip()
    if not email:
        return None
    person = find_by_email(email)
    if person is None:
        raise BookingError("There is nobody with that email address. Leave it empty for a facilitator "
                           "from outside the council", "facilitator_email")
    return person


def _check_parts(details: SessionDetails, parts_expected: int) -> None:
    if len(details.parts) != parts_expected:
        raise BookingError(f"Enter the times of all {parts_expected} parts")
    for index, part in enumerate(details.parts):
        if not part.venue.strip() and not part.joining_url:
            raise BookingError("Enter the venue or an online joining link", f"parts-{index}-venue")
        if part.joining_url and not part.joining_url.lower().startswith("https://"):
            raise BookingError("The joining link must start with https://", f"parts-{index}-joining_url")
    for index, message in rules.part_problems([(p.starts_at, p.ends_at) for p in details.parts]):
        raise BookingError(message, f"parts-{index}-end_time" if "end time" in message else f"parts-{index}-day")
    first_day = rules.london_date(details.parts[0].starts_at)
    if details.booking_closes_on is not None and details.booking_closes_on > first_day:
        raise BookingError("Bookings must close on or before the day of the first part", "booking_closes_on")


def _apply(session: CourseSession, details: SessionDetails, facilitator: Person | None) -> None:
    session.booking_closes_on = details.booking_closes_on
    session.facilitator = details.facilitator.strip() or (facilitator.name if facilitator else "")
    session.facilitator_id = facilitator.id if facilitator else None
    session.notes = details.notes.strip()
    existing = {p.position: p for p in session.parts}
    for position, part in enumerate(details.parts, start=1):
        row = existing.get(position)
        if row is None:
            row = SessionPart(position=position)
            session.parts.append(row)
        row.starts_at, row.ends_at = part.starts_at, part.ends_at
        row.venue, row.joining_url = part.venue.strip(), (part.joining_url or None)
    session.starts_at = details.parts[0].starts_at
    session.ends_at = details.parts[-1].ends_at


def create_session(course: Course, details: SessionDetails, actor: Person) -> CourseSession:
    if course.status == RETIRED:
        raise BookingError("This course is retired, so it cannot have new sessions.")
    if not any(method.has_sessions for method in course.delivery_methods):
        raise BookingError("This course is not delivered in sessions. Change how it is delivered first.")
    refusal = rules.capacity_refusal(details.capacity, 0)
    if refusal:
        raise BookingError(refusal, "capacity")
    _check_parts(details, course.parts)
    facilitator = _checked_facilitator(details)
    session = CourseSession(course=course, capacity=details.capacity, taken=0, status="scheduled")
    _apply(session, details, facilitator)
    db.session.add(session)
    db.session.flush()
    audit.record("session_created", "course_session", session.id, actor=actor,
                 summary=f"Session of {course.title} added", after={"capacity": session.capacity, **_snapshot(session)})
    return session


def _open_bookings(session_id: int, states) -> list[Booking]:
    return list(db.session.scalars(
        select(Booking).where(Booking.session_id == session_id, Booking.state.in_(states)).order_by(Booking.id)))


def update_session(session: CourseSession, details: SessionDetails, actor: Person, now: datetime) -> bool:
    """Change dates, places or facilitator; booked people get the updated invite."""
    if session.is_cancelled:
        raise BookingError("This session is cancelled, so it cannot be changed.")
    _check_parts(details, len(session.parts))
    facilitator = _checked_facilitator(details)
    before = _snapshot(session)
    _apply(session, details, facilitator)
    after = _snapshot(session)
    if before == after:
        return False
    db.session.flush()
    changed_before, changed_after = audit.changes(before, after)
    audit.record("session_changed", "course_session", session.id, actor=actor,
                 summary=f"Session of {session.course.title} changed", before=changed_before, after=changed_after)
    if before["parts"] != after["parts"]:
        for booking in _open_bookings(session.id, rules.CANCELLABLE_STATES):
            booking.sequence += 1
            if booking.state == rules.BOOKED:
                notify.queue(notify.CHANGED, booking)
        db.session.flush()
    return True


def change_capacity(session: CourseSession, new_capacity: int | None, actor: Person, now: datetime) -> list[Booking]:
    """More places promote the waiting list at once; fewer never drop below the places booked."""
    if session.is_cancelled:
        raise BookingError("This session is cancelled, so its capacity cannot be changed.")
    session = lock_session(session.id)
    refusal = rules.capacity_refusal(new_capacity, session.taken)
    if refusal:
        raise BookingError(refusal, "capacity")
    old = session.capacity
    if new_capacity == old:
        return []
    session.capacity = new_capacity
    db.session.flush()
    audit.record("session_capacity_changed", "course_session", session.id, actor=actor,
                 summary=f"Capacity of a {session.course.title} session changed from {old} to {new_capacity}",
                 before={"capacity": old}, after={"capacity": new_capacity})
    return promote_waitlist(session, actor, now) if new_capacity > old else []


def cancel_session(session: CourseSession, reason: str, actor: Person, now: datetime) -> int:
    """Cancel the session and every open booking on it; returns how many people were told."""
    if session.is_cancelled:
        raise BookingError("This session is already cancelled.")
    if now >= session.starts_at:
        raise BookingError("This session has already started, so it cannot be cancelled.")
    if not reason.strip():
        raise BookingError("Enter the reason for cancelling the session", "reason")
    session = lock_session(session.id)
    session.status = CANCELLED
    session.cancelled_reason = reason.strip()
    bookings = _open_bookings(session.id, rules.CANCELLABLE_STATES | {rules.REQUESTED})
    for booking in bookings:
        had_place = booking.state in rules.SEAT_STATES
        booking.waitlisted_at = None
        transition(booking, rules.SESSION_CANCELLED, actor, now, reason.strip())
        notify.queue(notify.CANCELLED, booking, reason.strip(), had_place=had_place)
    db.session.execute(update(CourseSession).where(CourseSession.id == session.id).values(taken=0)
                       .execution_options(synchronize_session=False))
    db.session.expire(session, ["taken"])
    audit.record("session_cancelled", "course_session", session.id, actor=actor,
                 summary=f"Session of {session.course.title} cancelled: {reason.strip()}",
                 before={"status": "scheduled"}, after={"status": CANCELLED, "bookings_cancelled": len(bookings)})
    return len(bookings)


# ---------------------------------------------------------------------------------------------
# The register
# ---------------------------------------------------------------------------------------------

def register_bookings(session_id: int) -> list[Booking]:
    """Everyone holding a seat, in name order: the people on the register."""
    return list(db.session.scalars(
        select(Booking).join(Person, Booking.person_id == Person.id)
        .where(Booking.session_id == session_id, Booking.state.in_(rules.SEAT_STATES))
        .order_by(Person.last_name, Person.first_name, Booking.id)))


def mark_register(session: CourseSession, part: SessionPart, present_ids: set[int], actor: Person,
                  now: datetime) -> dict[str, int]:
    """Record who was at one part; when every part is marked, each booking gets its outcome and
    attending them all records a completion on the last part's date."""
    if session.is_cancelled:
        raise BookingError("This session was cancelled, so it has no register.")
    if part.session_id != session.id:
        raise BookingError("That part belongs to another session.")
    if not rules.register_open(part.starts_at, now):
        day = rules.london_date(part.starts_at)
        raise BookingError(f"The register for this part can be marked from {day.day} {day:%B %Y}.")
    bookings = register_bookings(session.id)
    marked = {a.booking_id: a for a in db.session.scalars(select(Attendance).where(Attendance.part_id == part.id))}
    for booking in bookings:
        row = marked.get(booking.id)
        if row is None:
            db.session.add(Attendance(booking_id=booking.id, part_id=part.id, present=booking.id in present_ids,
                                      marked_by_id=actor.id, marked_at=now))
        elif row.present != (booking.id in present_ids):
            row.present, row.marked_by_id, row.marked_at = booking.id in present_ids, actor.id, now
    db.session.flush()
    _apply_outcomes(session, bookings, actor, now)
    present = sum(1 for b in bookings if b.id in present_ids)
    audit.record("register_marked", "session_part", part.id, actor=actor,
                 summary=f"Register for part {part.position} of a {session.course.title} session: "
                         f"{present} of {len(bookings)} present", after={"present": sorted(present_ids)})
    return {"present": present, "absent": len(bookings) - present}


def _apply_outcomes(session: CourseSession, bookings: list[Booking], actor: Person, now: datetime) -> None:
    part_ids = [p.id for p in session.parts]
    marks: dict[tuple[int, int], bool] = {
        (a.booking_id, a.part_id): a.present for a in db.session.scalars(
            select(Attendance).where(Attendance.booking_id.in_([b.id for b in bookings])))}
    last_day = rules.london_date(session.parts[-1].starts_at)
    for booking in bookings:
        outcome = rules.attendance_outcome([marks.get((booking.id, pid)) for pid in part_ids])
        if outcome is None or outcome == booking.state:
            continue
        transition(booking, outcome, actor, now, "From the register.")
        if outcome == rules.ATTENDED:
            _record_completion(booking, last_day, actor, now)
        elif booking.completion_id is not None:
            _remove_completion(booking, actor)


def _record_completion(booking: Booking, day: date, actor: Person, now: datetime) -> None:
    course_id = booking.session.course_id
    existing = db.session.scalar(select(Completion).where(
        Completion.person_id == booking.person_id, Completion.course_id == course_id, Completion.completed_on == day))
    if existing is not None:
        return  # already recorded (e.g. imported); not ours to link or remove later
    completion = Completion(person_id=booking.person_id, course_id=course_id, completed_on=day,
                            source="attendance", recorded_by_id=actor.id, created_at=now,
                            note=f"Attended every part of the session (booking {booking.id}).")
    db.session.add(completion)
    db.session.flush()
    booking.completion_id = completion.id
    audit.record("completion_recorded", "completion", completion.id, actor=actor,
                 summary=f"{booking.person.name} completed {booking.session.course.title} by attending",
                 after={"completed_on": day, "source": "attendance"})


def _remove_completion(booking: Booking, actor: Person) -> None:
    completion = db.session.get(Completion, booking.completion_id)
    booking.completion_id = None
    db.session.flush()  # the booking lets go of the completion before it is deleted
    if completion is not None and completion.source == "attendance":
        audit.record("completion_removed", "completion", completion.id, actor=actor,
                     summary=f"Register corrected: {booking.person.name} did not attend every part",
                     before={"completed_on": completion.completed_on, "source": "attendance"})
        db.session.delete(completion)
    db.session.flush()
