"""The course and session report: sessions run, fill rate, attendance, no-shows, waiting-list demand
and feedback, per course and per session, over a date range. Set-based: GROUP BY queries, the same
number of statements whatever the number of courses, sessions and bookings.

Places, fill rate and feedback describe the sessions themselves and count everyone. Bookings,
attendance, no-shows and the people waiting count the viewer's people: everyone for the OD team, a
manager's direct and indirect reports.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased

from lnd.bookings import rules as booking_rules
from lnd.bookings.models import SCHEDULED, Booking, CourseSession, Feedback
from lnd.core.clock import LONDON, london_date
from lnd.courses.models import Completion, Course
from lnd.extensions import db
from lnd.people.models import OD_ADMIN, Person
from lnd.people.queries import report_ids_query
from lnd.reports import summary_rules as rules

ATTENDED_STATES = (booking_rules.ATTENDED, booking_rules.PARTLY_ATTENDED)
# A place on an upcoming session, or asking for one: the person has a session to go to.
HOLDING_STATES = (booking_rules.REQUESTED, booking_rules.AWAITING_APPROVAL, booking_rules.BOOKED)


@dataclass(frozen=True)
class Range:
    starts_on: date
    ends_on: date

    @property
    def first_moment(self) -> datetime:
        return datetime.combine(self.starts_on, time(0, 0), tzinfo=LONDON)

    @property
    def after_moment(self) -> datetime:
        return datetime.combine(self.ends_on + timedelta(days=1), time(0, 0), tzinfo=LONDON)


def default_range(today: date) -> Range:
    """The last 12 months, to today."""
    from lnd.core.dates import add_months

    return Range(add_months(today, -12) + timedelta(days=1), today)


@dataclass
class Figures:
    """A course's (or one session's) figures."""

    sessions: int = 0          # sessions run (held, not cancelled)
    cancelled: int = 0
    capacity: int = 0
    taken: int = 0             # places held on those sessions (everyone)
    booked: int = 0            # the viewer's people with a place
    attended: int = 0
    no_shows: int = 0
    waitlisted: int = 0        # on the session's waiting list (drill-down only)
    waiting: int = 0           # people waiting with no session to go to
    responses: int = 0
    usefulness: float | None = None
    delivery: float | None = None

    @property
    def fill_rate(self) -> int | None:
        return rules.rate(self.taken, self.capacity)

    @property
    def attendance_rate(self) -> int | None:
        return rules.rate(self.attended, self.attended + self.no_shows)

    @property
    def feedback_rate(self) -> int | None:
        return rules.rate(self.responses, self.attended)


@dataclass
class CourseLine:
    course: Course
    figures: Figures


@dataclass
class Waiting:
    person: Person
    waitlisted_for: date


def _scope(viewer: Person):
    return None if viewer.has_role(OD_ADMIN) else report_ids_query(viewer.id)


def _held(period: Range, now: datetime):
    """Sessions held in the range: started within it, by now, and not cancelled."""
    return and_(CourseSession.status == SCHEDULED, CourseSession.starts_at >= period.first_moment,
                CourseSession.starts_at < min(period.after_moment, now))


# ---------------------------------------------------------------------------------------------
# Waiting-list demand
# ---------------------------------------------------------------------------------------------

def waiting_people(period: Range, now: datetime, within=None, course_id: int | None = None) -> dict[int, list[Waiting]]:
    """course id -> the people waiting with no session to go to: on the waiting list of a session
    that was held in the range, or of an upcoming session that is full, with no place (or request)
    on any upcoming session of the course, not yet left, and who have not completed the course
    since. Three statements."""
    upcoming = CourseSession.starts_at >= now
    other_booking, other_session = aliased(Booking), aliased(CourseSession)
    has_a_session = exists().where(
        other_booking.session_id == other_session.id, other_booking.person_id == Booking.person_id,
        other_session.course_id == CourseSession.course_id, other_session.status == SCHEDULED,
        other_session.starts_at >= now, other_booking.state.in_(HOLDING_STATES))
    stmt = (select(CourseSession.course_id, Booking.person_id, func.max(CourseSession.starts_at))
            .join(CourseSession, Booking.session_id == CourseSession.id)
            .where(Booking.state == booking_rules.WAITLISTED,
                   or_(_held(period, now),
                       and_(upcoming, CourseSession.status == SCHEDULED,
                            CourseSession.taken >= CourseSession.capacity)),
                   ~has_a_session)
            .group_by(CourseSession.course_id, Booking.person_id))
    if within is not None:
        stmt = stmt.where(Booking.person_id.in_(within))
    if course_id is not None:
        stmt = stmt.where(CourseSession.course_id == course_id)
    # People who have left are waiting for nothing.
    stmt = stmt.join(Person, Booking.person_id == Person.id).where(
        or_(Person.leaving_date.is_(None), Person.leaving_date >= london_date(now)))
    candidates = [(course, person, london_date(starts)) for course, person, starts in db.session.execute(stmt)]
    if not candidates:
        return {}
    person_ids = {person for _, person, _ in candidates}
    course_ids = {course for course, _, _ in candidates}
    done = {(person, course): completed_on for person, course, completed_on in db.session.execute(
        select(Completion.person_id, Completion.course_id, func.max(Completion.completed_on))
        .where(Completion.person_id.in_(person_ids), Completion.course_id.in_(course_ids))
        .group_by(Completion.person_id, Completion.course_id))}
    people = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(person_ids)))}
    found: dict[int, list[Waiting]] = defaultdict(list)
    for course, person, waitlisted_for in candidates:
        if rules.still_waiting(waitlisted_for, done.get((person, course))):
            found[course].append(Waiting(people[person], waitlisted_for))
    for rows in found.values():
        rows.sort(key=lambda w: (w.waitlisted_for, w.person.last_name, w.person.first_name))
    return found


# ---------------------------------------------------------------------------------------------
# Per course
# ---------------------------------------------------------------------------------------------

def _booking_counts(where, within, group_column):
    """(key, state) -> bookings, for the viewer's people, on the sessions `where` picks."""
    stmt = (select(group_column, Booking.state, func.count(Booking.id))
            .join(CourseSession, Booking.session_id == CourseSession.id).where(where)
            .group_by(group_column, Booking.state))
    if within is not None:
        stmt = stmt.where(Booking.person_id.in_(within))
    return db.session.execute(stmt)


def _add_states(figures: Figures, state: str, count: int) -> None:
    if state in booking_rules.SEAT_STATES:
        figures.booked += count
    if state in ATTENDED_STATES:
        figures.attended += count
    elif state == booking_rules.NO_SHOW:
        figures.no_shows += count
    elif state == booking_rules.WAITLISTED:
        figures.waitlisted += count


def _feedback(where, group_column):
    return db.session.execute(
        select(group_column, func.count(Feedback.id), func.avg(Feedback.usefulness), func.avg(Feedback.delivery))
        .join(Booking, Feedback.booking_id == Booking.id).join(CourseSession, Booking.session_id == CourseSession.id)
        .where(where).group_by(group_column))


def course_lines(viewer: Person, period: Range, now: datetime) -> list[CourseLine]:
    """Every course with a session held in the range or people waiting, by title: six statements."""
    within = _scope(viewer)
    held = _held(period, now)
    figures: dict[int, Figures] = defaultdict(Figures)
    for course_id, sessions, capacity, taken in db.session.execute(
            select(CourseSession.course_id, func.count(CourseSession.id), func.sum(CourseSession.capacity),
                   func.sum(CourseSession.taken)).where(held).group_by(CourseSession.course_id)):
        line = figures[course_id]
        line.sessions, line.capacity, line.taken = sessions, int(capacity or 0), int(taken or 0)
    for course_id, cancelled in db.session.execute(
            select(CourseSession.course_id, func.count(CourseSession.id))
            .where(CourseSession.status != SCHEDULED, CourseSession.starts_at >= period.first_moment,
                   CourseSession.starts_at < period.after_moment).group_by(CourseSession.course_id)):
        figures[course_id].cancelled = cancelled
    for course_id, state, count in _booking_counts(held, within, CourseSession.course_id):
        _add_states(figures[course_id], state, count)
    for course_id, responses, usefulness, delivery in _feedback(held, CourseSession.course_id):
        line = figures[course_id]
        line.responses, line.usefulness, line.delivery = responses, _mean(usefulness), _mean(delivery)
    for course_id, people in waiting_people(period, now, within).items():
        figures[course_id].waiting = len(people)
    if not figures:
        return []
    courses = db.session.scalars(select(Course).where(Course.id.in_(list(figures)))).all()
    return sorted((CourseLine(c, figures[c.id]) for c in courses), key=lambda line: line.course.title.lower())


def _mean(value) -> float | None:
    return None if value is None else round(float(value), 1)


def totals(lines: list[CourseLine]) -> Figures:
    total = Figures()
    weighted_u = weighted_d = 0.0
    for line in lines:
        f = line.figures
        for name in ("sessions", "cancelled", "capacity", "taken", "booked", "attended", "no_shows", "waiting"):
            setattr(total, name, getattr(total, name) + getattr(f, name))
        if f.responses:
            total.responses += f.responses
            weighted_u += (f.usefulness or 0) * f.responses
            weighted_d += (f.delivery or 0) * f.responses
    if total.responses:
        total.usefulness = round(weighted_u / total.responses, 1)
        total.delivery = round(weighted_d / total.responses, 1)
    return total


# ---------------------------------------------------------------------------------------------
# One course, session by session
# ---------------------------------------------------------------------------------------------

@dataclass
class SessionLine:
    session: CourseSession
    figures: Figures
    held: bool


@dataclass
class CourseSessions:
    course: Course
    lines: list[SessionLine] = field(default_factory=list)
    waiting: list[Waiting] = field(default_factory=list)


def course_sessions(viewer: Person, course: Course, period: Range, now: datetime) -> CourseSessions:
    """Each session of the course that starts in the range (held, cancelled or still to come), with
    its figures, and the people waiting for the course: a fixed number of statements."""
    within = _scope(viewer)
    in_range = and_(CourseSession.course_id == course.id, CourseSession.starts_at >= period.first_moment,
                    CourseSession.starts_at < period.after_moment)
    sessions = list(db.session.scalars(select(CourseSession).where(in_range)
                                       .order_by(CourseSession.starts_at, CourseSession.id)))
    figures: dict[int, Figures] = {s.id: Figures(capacity=s.capacity, taken=s.taken) for s in sessions}
    for session_id, state, count in _booking_counts(in_range, within, CourseSession.id):
        _add_states(figures[session_id], state, count)
    for session_id, responses, usefulness, delivery in _feedback(in_range, CourseSession.id):
        line = figures[session_id]
        line.responses, line.usefulness, line.delivery = responses, _mean(usefulness), _mean(delivery)
    result = CourseSessions(course)
    for session in sessions:
        held = session.status == SCHEDULED and session.starts_at < now
        line = figures[session.id]
        line.sessions = int(held)
        line.cancelled = int(session.status != SCHEDULED)
        result.lines.append(SessionLine(session, line, held))
    result.waiting = waiting_people(period, now, within, course.id).get(course.id, [])
    return result
