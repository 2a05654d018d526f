"""Sessions of a course, bookings with their append-only history, attendance, feedback,
personal calendar feeds and certificates of self-recorded learning."""
from __future__ import annotations

import uuid
from datetime import date, datetime, timezone

from sqlalchemy import (
    Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

from lnd.bookings.rules import (
    ATTENDED, AWAITING_APPROVAL, BOOKED, CANCELLED_BY_OD, CANCELLED_BY_PERSON, DECLINED, NO_SHOW, PARTLY_ATTENDED,
    REQUESTED, SESSION_CANCELLED, WAITLISTED, preapproval_valid_until,
)
from lnd.core.models import utcnow
from lnd.courses.models import Completion, Course
from lnd.extensions import db
from lnd.people.models import Person

# Session statuses
SCHEDULED = "scheduled"
CANCELLED = "cancelled"
SESSION_STATUSES = {SCHEDULED: "Scheduled", CANCELLED: "Cancelled"}

# Labels of the booking states (the states themselves are named in rules.py).
BOOKING_STATES = {
    REQUESTED: "Requested",
    AWAITING_APPROVAL: "Awaiting approval",
    BOOKED: "Booked",
    WAITLISTED: "On the waiting list",
    DECLINED: "Declined",
    CANCELLED_BY_PERSON: "Cancelled by you",
    CANCELLED_BY_OD: "Cancelled by the OD team",
    SESSION_CANCELLED: "Session cancelled",
    ATTENDED: "Attended",
    PARTLY_ATTENDED: "Partly attended",
    NO_SHOW: "Did not attend",
}


def _in_list(column: str, values) -> str:
    return f"{column} in ({', '.join(repr(v) for v in values)})"


class UTCDateTime(TypeDecorator):
    """A timezone-aware UTC moment on every database: stored as UTC, read back as aware UTC
    (SQLite has no time zones and would otherwise return naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("Session times must be timezone-aware.")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def new_uid() -> str:
    return uuid.uuid4().hex


class CourseSession(db.Model):
    """A dated run of a course: one or more parts, a capacity and a booking close date."""

    __tablename__ = "course_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    capacity: Mapped[int] = mapped_column(Integer)
    # Seats held (booked, attended, partly attended, no-show). Changed only by one conditional
    # UPDATE at a time (services._take_seat/_release_seat), so the CHECK below can never be hit
    # by a race: a full session simply updates no row.
    taken: Mapped[int] = mapped_column(Integer, default=0)
    booking_closes_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=SCHEDULED)
    facilitator: Mapped[str] = mapped_column(String(200), default="")
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")
    cancelled_reason: Mapped[str] = mapped_column(Text, default="")
    # First part's start and last part's end, kept by the services from the parts for ordering and rules.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship(lazy="joined")
    facilitator_person: Mapped[Person | None] = relationship(foreign_keys=[facilitator_id], lazy="select")
    parts: Mapped[list["SessionPart"]] = relationship(
        back_populates="session", order_by="SessionPart.position", cascade="all, delete-orphan", lazy="selectin")

    __table_args__ = (
        CheckConstraint("capacity >= 1", name="capacity_positive"),
        CheckConstraint("taken >= 0 and taken <= capacity", name="taken_within_capacity"),
        CheckConstraint(_in_list("status", SESSION_STATUSES), name="status"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        Index("ix_course_session_course_starts", "course_id", "starts_at"),
        Index("ix_course_session_starts_at", "starts_at"),
    )

    @property
    def places_left(self) -> int:
        return max(self.capacity - self.taken, 0)

    @property
    def is_cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def status_label(self) -> str:
        return SESSION_STATUSES[self.status]


class SessionPart(db.Model):
    """One workshop of a session, with its own time and place."""

    __tablename__ = "session_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("course_session.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    venue: Mapped[str] = mapped_column(Text, default="")
    joining_url: Mapped[str | None] = mapped_column(String(500))

    session: Mapped[CourseSession] = relationship(back_populates="parts")

    __table_args__ = (
        UniqueConstraint("session_id", "position"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("position >= 1", name="position_positive"),
    )


class Booking(db.Model):
    """A person's place (or request, or waiting-list entry) on a session. One row per person and
    session: booking again after cancelling reopens the row, so the calendar UID stays the same."""

    __tablename__ = "booking"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("course_session.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(30), default=REQUESTED)
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=new_uid)
    # The calendar SEQUENCE: raised on every change so calendars update the event in place.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Position on the waiting list: first come, first served (ties broken by id).
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completion.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    session: Mapped[CourseSession] = relationship(lazy="joined")
    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
    decided_by: Mapped[Person | None] = relationship(foreign_keys=[decided_by_id], lazy="select")
    events: Mapped[list["BookingEvent"]] = relationship(
        back_populates="booking", order_by="BookingEvent.id", lazy="select")

    __table_args__ = (
        UniqueConstraint("session_id", "person_id"),
        CheckConstraint(_in_list("state", BOOKING_STATES), name="state"),
        CheckConstraint("state <> 'waitlisted' or waitlisted_at is not null", name="waitlist_position"),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        Index("ix_booking_session_state", "session_id", "state", "waitlisted_at"),
        Index("ix_booking_person_state", "person_id", "state"),
    )

    @property
    def state_label(self) -> str:
        return BOOKING_STATES[self.state]


class BookingEvent(db.Model):
    """One change of a booking's state: who, when, why. Rows are only ever added."""

    __tablename__ = "booking_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text, default="")

    booking: Mapped[Booking] = relationship(back_populates="events")
    actor: Mapped[Person | None] = relationship(foreign_keys=[actor_id], lazy="joined")

    __table_args__ = (Index("ix_booking_event_booking", "booking_id", "id"),)

    @property
    def to_label(self) -> str:
        return BOOKING_STATES.get(self.to_state, self.to_state)


@event.listens_for(BookingEvent, "before_update")
@event.listens_for(BookingEvent, "before_delete")
def _history_is_append_only(mapper, connection, target):
    raise ValueError("A booking's history is append-only: events are never changed or removed.")


class Attendance(db.Model):
    """The register: whether a booked person was present at one part."""

    __tablename__ = "attendance"

    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"), primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("session_part.id", ondelete="CASCADE"), primary_key=True)
    present: Mapped[bool] = mapped_column(Boolean)
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (Index("ix_attendance_part", "part_id"),)


RATINGS = {5: "Very good", 4: "Good", 3: "Neither good nor poor", 2: "Poor", 1: "Very poor"}


class Feedback(db.Model):
    """What a person thought of a session they attended."""

    __tablename__ = "booking_feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(ForeignKey("booking.id", ondelete="CASCADE"), unique=True)
    usefulness: Mapped[int] = mapped_column(Integer)
    delivery: Mapped[int] = mapped_column(Integer)
    will_do_differently: Mapped[str] = mapped_column(Text, default="")
    comments: Mapped[str] = mapped_column(Text, default="")
    given_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    booking: Mapped[Booking] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint("usefulness between 1 and 5", name="usefulness_range"),
        CheckConstraint("delivery between 1 and 5", name="delivery_range"),
    )


class CalendarFeed(db.Model):
    """A person's private calendar feed: whoever has the token can read their booked sessions."""

    __tablename__ = "calendar_feed"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CompletionCertificate(db.Model):
    """A certificate uploaded with a self-recorded completion (stored under a generated name)."""

    __tablename__ = "completion_certificate"

    completion_id: Mapped[int] = mapped_column(ForeignKey("completion.id", ondelete="CASCADE"), primary_key=True)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    original_name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    completion: Mapped[Completion] = relationship(lazy="joined")


# Where a pre-approval was agreed, as the booking history says it: "Agreed at appraisal on …".
PREAPPROVAL_SOURCES = {"appraisal": "at appraisal", "supervision": "in supervision", "manager": "by the manager"}


class PreApproval(db.Model):
    """A course agreed in advance with the person's manager (at appraisal, say): booking a session
    of it needs no further approval. Used by the first booking that takes it; free again if that
    booking ends without the person attending (cancelled, or the session cancelled)."""

    __tablename__ = "pre_approval"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    agreed_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20), default="appraisal")
    # The appraisal that agreed it (compliance.appraisal_models): a plain reference, since bookings
    # sit below compliance and know nothing of appraisals.
    appraisal_id: Mapped[int | None] = mapped_column(Integer)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="select")
    course: Mapped[Course] = relationship(lazy="joined")
    agreed_by: Mapped[Person | None] = relationship(foreign_keys=[agreed_by_id], lazy="joined")
    booking: Mapped[Booking | None] = relationship(lazy="select")

    __table_args__ = (
        CheckConstraint(_in_list("source", PREAPPROVAL_SOURCES), name="source"),
        Index("ix_pre_approval_person_course", "person_id", "course_id"),
        Index("ix_pre_approval_appraisal", "appraisal_id"),
    )

    @property
    def reason(self) -> str:
        """Agreed at appraisal on 3 March 2026 by Morgan Ellis."""
        by = f" by {self.agreed_by.name}" if self.agreed_by else ""
        where = PREAPPROVAL_SOURCES.get(self.source, "")
        return f"Agreed {where} on {self.agreed_on.day} {self.agreed_on:%B %Y}{by}"

    @property
    def valid_until(self) -> date:
        """The last day the agreement can be used to book (rules.PREAPPROVAL_VALID_FOR)."""
        return preapproval_valid_until(self.agreed_on)
