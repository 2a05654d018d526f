"""Read models for sessions and bookings: a fixed number of statements per page, whatever the
number of rows (sessions come with their course joined and their parts in one `selectin`)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from lnd.bookings import rules
from lnd.bookings.models import (
    SCHEDULED, Attendance, Booking, BookingEvent, CalendarFeed, CompletionCertificate, CourseSession, Feedback, SessionPart,
)
from lnd.courses.models import Completion, Course
from lnd.extensions import db
from lnd.people.models import OD_ADMIN, Person
from lnd.people.queries import is_manager_of, report_ids_query

PAGE_SIZE = 25
FEED_HISTORY_DAYS = 180  # how far back the calendar feed keeps sessions already attended


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=rules.LONDON)


# ---------------------------------------------------------------------------------------------
# Access to records
# ---------------------------------------------------------------------------------------------

def can_view_booking(viewer: Person, booking: Booking) -> bool:
    """The person's own booking, their managers', and the OD team's."""
    if viewer.id == booking.person_id or viewer.has_role(OD_ADMIN):
        return True
    return is_manager_of(viewer, booking.person_id)


def can_run_register(viewer: Person, session: CourseSession) -> bool:
    return viewer.has_role(OD_ADMIN) or (session.facilitator_id is not None and session.facilitator_id == viewer.id)


# ---------------------------------------------------------------------------------------------
# Sessions on a course page
# ---------------------------------------------------------------------------------------------

@dataclass
class UpcomingSession:
    session: CourseSession
    places_left: int
    booking_open: bool
    availability: str  # "3 places left", "Full – join the waiting list", "Booking closed"


def availability(session: CourseSession, today: date, now: datetime | None) -> tuple[bool, str]:
    started = now is not None and now >= session.starts_at
    if started or (session.booking_closes_on is not None and today > session.booking_closes_on):
        return False, "Booking closed"
    left = rules.places_left(session.capacity, session.taken)
    if left == 0:
        return True, "Full – join the waiting list"
    return True, f"{left} place{'s' if left != 1 else ''} left"


def upcoming_sessions_for_course(course_id: int, today: date, now: datetime | None = None) -> list[UpcomingSession]:
    """Scheduled sessions of a course from today on, soonest first, with places left."""
    sessions = db.session.scalars(
        select(CourseSession).where(CourseSession.course_id == course_id, CourseSession.status == SCHEDULED,
                                    CourseSession.starts_at >= start_of_day(today))
        .order_by(CourseSession.starts_at, CourseSession.id)).all()
    rows = []
    for session in sessions:
        open_, text = availability(session, today, now)
        rows.append(UpcomingSession(session, rules.places_left(session.capacity, session.taken), open_, text))
    return rows


def bookings_on_sessions(person_id: int, session_ids: list[int]) -> dict[int, Booking]:
    if not session_ids:
        return {}
    return {b.session_id: b for b in db.session.scalars(
        select(Booking).where(Booking.person_id == person_id, Booking.session_id.in_(session_ids)))}


def own_completions(person_id: int, course_id: int) -> list[Completion]:
    return list(db.session.scalars(
        select(Completion).where(Completion.person_id == person_id, Completion.course_id == course_id)
        .order_by(Completion.completed_on.desc())))


# ---------------------------------------------------------------------------------------------
# A person's bookings
# ---------------------------------------------------------------------------------------------

@dataclass
class MyBookings:
    upcoming: list[Booking] = field(default_factory=list)
    past: list[Booking] = field(default_factory=list)
    feedback_due: set[int] = field(default_factory=set)


def my_bookings(person_id: int, now: datetime) -> MyBookings:
    bookings = db.session.scalars(
        select(Booking).join(CourseSession, Booking.session_id == CourseSession.id)
        .where(Booking.person_id == person_id)
        .order_by(CourseSession.starts_at, Booking.id)).all()
    result = MyBookings(feedback_due={b.id for b in outstanding_feedback(person_id)})
    for booking in bookings:
        current = booking.session.ends_at >= now and booking.state in rules.OPEN_STATES
        (result.upcoming if current else result.past).append(booking)
    result.past.reverse()
    return result


def booking_by_id(booking_id: int) -> Booking | None:
    return db.session.get(Booking, booking_id)


def history(booking_id: int) -> list[BookingEvent]:
    return list(db.session.scalars(
        select(BookingEvent).where(BookingEvent.booking_id == booking_id).order_by(BookingEvent.id)))


def had_place(booking_id: int) -> bool:
    return db.session.scalar(select(BookingEvent.id).where(
        BookingEvent.booking_id == booking_id, BookingEvent.to_state == rules.BOOKED).limit(1)) is not None


def outstanding_feedback(person_id: int) -> list[Booking]:
    """Sessions the person attended and has not yet given feedback on."""
    return list(db.session.scalars(
        select(Booking).join(CourseSession, Booking.session_id == CourseSession.id)
        .where(Booking.person_id == person_id, Booking.state.in_(rules.FEEDBACK_STATES),
               ~exists().where(Feedback.booking_id == Booking.id))
        .order_by(CourseSession.starts_at.desc())))


def has_feedback(booking_id: int) -> bool:
    return db.session.scalar(select(Feedback.id).where(Feedback.booking_id == booking_id)) is not None


def feed_owner(token: str) -> Person | None:
    """Whose private calendar feed this secret address is (None for an unknown or reset one)."""
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Person).join(CalendarFeed, CalendarFeed.person_id == Person.id)
                             .where(CalendarFeed.token == token))


def feed_bookings(person_id: int, now: datetime) -> list[Booking]:
    """What the private calendar feed lists: places held on sessions that are still on."""
    return list(db.session.scalars(
        select(Booking).join(CourseSession, Booking.session_id == CourseSession.id)
        .where(Booking.person_id == person_id, Booking.state.in_(rules.SEAT_STATES - {rules.NO_SHOW}),
               CourseSession.status == SCHEDULED,
               CourseSession.ends_at >= now - timedelta(days=FEED_HISTORY_DAYS))
        .order_by(CourseSession.starts_at)))


# ---------------------------------------------------------------------------------------------
# A session's people (OD team and facilitator)
# ---------------------------------------------------------------------------------------------

@dataclass
class SessionPeople:
    booked: list[Booking] = field(default_factory=list)       # seats: booked, attended, …
    waitlist: list[Booking] = field(default_factory=list)     # first come, first served
    awaiting: list[Booking] = field(default_factory=list)
    ended: list[Booking] = field(default_factory=list)        # declined and cancelled


def session_people(session_id: int) -> SessionPeople:
    bookings = db.session.scalars(
        select(Booking).join(Person, Booking.person_id == Person.id).where(Booking.session_id == session_id)
        .order_by(Person.last_name, Person.first_name, Booking.id)).all()
    people = SessionPeople()
    for booking in bookings:
        if booking.state in rules.SEAT_STATES:
            people.booked.append(booking)
        elif booking.state == rules.WAITLISTED:
            people.waitlist.append(booking)
        elif booking.state in (rules.AWAITING_APPROVAL, rules.REQUESTED):
            people.awaiting.append(booking)
        else:
            people.ended.append(booking)
    people.waitlist.sort(key=lambda b: (b.waitlisted_at, b.id))
    return people


@dataclass
class SessionRow:
    session: CourseSession
    waitlisted: int
    awaiting: int


def _count_in(state_list):
    return func.count(Booking.id).filter(Booking.state.in_(state_list))


def od_sessions(*, now: datetime, past: bool = False, page: int = 1, per_page: int = PAGE_SIZE):
    """Sessions for the OD team, upcoming (soonest first) or past (latest first), with their
    waiting-list and approval counts (two statements and one for the parts)."""
    stmt = select(CourseSession)
    stmt = stmt.where(CourseSession.ends_at < now) if past else stmt.where(CourseSession.ends_at >= now)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    order = (CourseSession.starts_at.desc(),) if past else (CourseSession.starts_at,)
    sessions = db.session.scalars(stmt.order_by(*order, CourseSession.id)
                                  .limit(per_page).offset((page - 1) * per_page)).all()
    counts = {}
    if sessions:
        counts = {sid: (w, a) for sid, w, a in db.session.execute(
            select(Booking.session_id, _count_in([rules.WAITLISTED]), _count_in([rules.AWAITING_APPROVAL]))
            .where(Booking.session_id.in_([s.id for s in sessions])).group_by(Booking.session_id))}
    return [SessionRow(s, *counts.get(s.id, (0, 0))) for s in sessions], total


def facilitated_sessions(person_id: int, now: datetime) -> list[CourseSession]:
    return list(db.session.scalars(
        select(CourseSession).where(CourseSession.facilitator_id == person_id,
                                    CourseSession.ends_at >= now - timedelta(days=30))
        .order_by(CourseSession.starts_at)))


def register_marks(session_id: int) -> dict[tuple[int, int], bool]:
    return {(booking_id, part_id): present for booking_id, part_id, present in db.session.execute(
        select(Attendance.booking_id, Attendance.part_id, Attendance.present)
        .join(SessionPart, Attendance.part_id == SessionPart.id).where(SessionPart.session_id == session_id))}


# ---------------------------------------------------------------------------------------------
# Approvals
# ---------------------------------------------------------------------------------------------

def approval_queue(approver: Person, page: int = 1, per_page: int = PAGE_SIZE) -> tuple[list[Booking], int]:
    """Requests waiting for the approver: their reports' (direct and indirect), or everyone's for the OD
    team; never their own. Oldest first."""
    stmt = select(Booking).where(Booking.state == rules.AWAITING_APPROVAL, Booking.person_id != approver.id)
    if not approver.has_role(OD_ADMIN):
        stmt = stmt.where(Booking.person_id.in_(report_ids_query(approver.id)))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.scalars(stmt.order_by(Booking.requested_at, Booking.id)
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return list(rows), total


# ---------------------------------------------------------------------------------------------
# Feedback for the OD team
# ---------------------------------------------------------------------------------------------

@dataclass
class FeedbackReport:
    attended: int
    responses: int
    usefulness: float | None
    delivery: float | None
    entries: list[Feedback]
    per_session: list[tuple[CourseSession, int, float | None, float | None]] = field(default_factory=list)

    @property
    def response_rate(self) -> int:
        return round(100 * self.responses / self.attended) if self.attended else 0


def _average(value) -> float | None:
    return round(float(value), 1) if value is not None else None


def _feedback_report(condition) -> FeedbackReport:
    attended = db.session.scalar(
        select(func.count(Booking.id)).join(CourseSession, Booking.session_id == CourseSession.id)
        .where(condition, Booking.state.in_(rules.FEEDBACK_STATES))) or 0
    count, usefulness, delivery = db.session.execute(
        select(func.count(Feedback.id), func.avg(Feedback.usefulness), func.avg(Feedback.delivery))
        .join(Booking, Feedback.booking_id == Booking.id)
        .join(CourseSession, Booking.session_id == CourseSession.id).where(condition)).one()
    entries = db.session.scalars(
        select(Feedback).join(Booking, Feedback.booking_id == Booking.id)
        .join(CourseSession, Booking.session_id == CourseSession.id).where(condition)
        .order_by(Feedback.given_at.desc())).all()
    return FeedbackReport(attended, count or 0, _average(usefulness), _average(delivery), list(entries))


def session_feedback(session_id: int) -> FeedbackReport:
    return _feedback_report(CourseSession.id == session_id)


def course_feedback(course_id: int) -> FeedbackReport:
    report = _feedback_report(CourseSession.course_id == course_id)
    rows = db.session.execute(
        select(CourseSession, func.count(Feedback.id), func.avg(Feedback.usefulness), func.avg(Feedback.delivery))
        .join(Booking, Booking.session_id == CourseSession.id)
        .join(Feedback, Feedback.booking_id == Booking.id)
        .where(CourseSession.course_id == course_id)
        .group_by(CourseSession.id).order_by(CourseSession.starts_at.desc()))
    report.per_session = [(s, n, _average(u), _average(d)) for s, n, u, d in rows]
    return report


# ---------------------------------------------------------------------------------------------
# Self-recorded learning for the OD team to verify
# ---------------------------------------------------------------------------------------------

@dataclass
class RecordRow:
    completion: Completion
    person: Person
    certificate: CompletionCertificate | None


def self_records(*, unverified_only: bool = True, page: int = 1, per_page: int = PAGE_SIZE):
    stmt = (select(Completion, Person, CompletionCertificate)
            .join(Person, Completion.person_id == Person.id)
            .outerjoin(CompletionCertificate, CompletionCertificate.completion_id == Completion.id)
            .where(Completion.source == "self_recorded"))
    if unverified_only:
        stmt = stmt.where(Completion.verified_at.is_(None))
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = db.session.execute(stmt.order_by(Completion.created_at.desc(), Completion.id.desc())
                              .limit(per_page).offset((page - 1) * per_page)).all()
    return [RecordRow(c, p, cert) for c, p, cert in rows], total


def certificate_for(completion_id: int) -> CompletionCertificate | None:
    return db.session.get(CompletionCertificate, completion_id)


def certificates_for(completion_ids: list[int]) -> dict[int, CompletionCertificate]:
    if not completion_ids:
        return {}
    return {c.completion_id: c for c in db.session.scalars(
        select(CompletionCertificate).where(CompletionCertificate.completion_id.in_(completion_ids)))}


def course_by_id(course_id: int) -> Course | None:
    return db.session.get(Course, course_id)


def session_by_id(session_id: int) -> CourseSession | None:
    return db.session.scalar(
        select(CourseSession).where(CourseSession.id == session_id).options(selectinload(CourseSession.parts)))

