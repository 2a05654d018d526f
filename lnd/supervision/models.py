"""Supervision agreements between a supervisor and a supervisee (staff, or someone at a school or
setting), the sessions held under them (planned, then recorded), the actions agreed in a session and
the training needs found in it."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lnd.bookings.models import Booking, UTCDateTime, new_uid
from lnd.core.models import utcnow
from lnd.courses.models import Course
from lnd.extensions import db
from lnd.people.models import Person
from lnd.supervision import rules
from lnd.supervision.rules import ACTION_OWNERS, FREQUENCIES, KINDS

# Session states
PLANNED = "planned"
HELD = "held"
CANCELLED = "cancelled"
SESSION_STATES = {PLANNED: "Planned", HELD: "Recorded", CANCELLED: "Cancelled"}

PLACE_MAX = 300


def _in_list(column: str, values) -> str:
    return f"{column} in ({', '.join(repr(v) for v in values)})"


class SupervisionAgreement(db.Model):
    """The written supervision agreement. In force once both parties have signed the current
    version; changing a signed agreement, or reviewing it, makes a new version to sign."""

    __tablename__ = "supervision_agreement"

    id: Mapped[int] = mapped_column(primary_key=True)
    supervisor_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    supervisee_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(20))
    frequency: Mapped[str] = mapped_column(String(20))
    usual_place: Mapped[str] = mapped_column(String(PLACE_MAX), default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    terms: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date] = mapped_column(Date)
    review_due_on: Mapped[date] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    supervisor_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    supervisee_signed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_reviewed_on: Mapped[date | None] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_reason: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    supervisor: Mapped[Person] = relationship(foreign_keys=[supervisor_id], lazy="joined")
    supervisee: Mapped[Person] = relationship(foreign_keys=[supervisee_id], lazy="joined")

    __table_args__ = (
        CheckConstraint(_in_list("kind", KINDS), name="kind"),
        CheckConstraint(_in_list("frequency", FREQUENCIES), name="frequency"),
        CheckConstraint("supervisor_id <> supervisee_id", name="not_self"),
        CheckConstraint("review_due_on > starts_on", name="review_after_start"),
        CheckConstraint("version >= 1", name="version_positive"),
        Index("ix_supervision_agreement_supervisor", "supervisor_id", "ended_on"),
        Index("ix_supervision_agreement_supervisee", "supervisee_id", "ended_on"),
    )

    @property
    def state(self) -> str:
        return rules.agreement_state(supervisor_signed=self.supervisor_signed_at is not None,
                                     supervisee_signed=self.supervisee_signed_at is not None,
                                     ended=self.ended_on is not None)

    @property
    def in_force(self) -> bool:
        return self.state == rules.IN_FORCE

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    @property
    def kind_label(self) -> str:
        return KINDS[self.kind]

    @property
    def frequency_label(self) -> str:
        return FREQUENCIES[self.frequency]

    def signed_at(self, person_id: int) -> datetime | None:
        if person_id == self.supervisor_id:
            return self.supervisor_signed_at
        if person_id == self.supervisee_id:
            return self.supervisee_signed_at
        return None


class SupervisionSession(db.Model):
    """One supervision session: planned (when and where), then recorded (or cancelled). The UID and
    SEQUENCE keep the calendar event stable while it is moved."""

    __tablename__ = "supervision_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("supervision_agreement.id", ondelete="CASCADE"))
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=new_uid)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(20), default=PLANNED)
    planned_starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    planned_minutes: Mapped[int] = mapped_column(Integer)
    planned_place: Mapped[str] = mapped_column(String(PLACE_MAX), default="")
    # The record
    held_on: Mapped[date | None] = mapped_column(Date)
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    place: Mapped[str] = mapped_column(String(PLACE_MAX), default="")
    agenda: Mapped[list] = mapped_column(JSON, default=list)
    discussion: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[str] = mapped_column(Text, default="")
    observation: Mapped[bool] = mapped_column(Boolean, default=False)
    observation_notes: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    recorded_late: Mapped[bool] = mapped_column(Boolean, default=False)
    # The supervisee's reading of the record
    supervisee_comments: Mapped[str] = mapped_column(Text, default="")
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    cancelled_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    agreement: Mapped[SupervisionAgreement] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint(_in_list("state", SESSION_STATES), name="state"),
        CheckConstraint("planned_minutes > 0", name="planned_minutes_positive"),
        CheckConstraint("duration_minutes is null or duration_minutes > 0", name="duration_positive"),
        CheckConstraint("state <> 'held' or (held_on is not null and recorded_at is not null "
                        "and duration_minutes is not null)", name="held_is_recorded"),
        CheckConstraint("acknowledged_at is null or state = 'held'", name="acknowledged_when_held"),
        CheckConstraint("sequence >= 0", name="sequence_not_negative"),
        Index("ix_supervision_session_agreement_state", "agreement_id", "state"),
        Index("ix_supervision_session_planned", "planned_starts_at"),
    )

    @property
    def is_planned(self) -> bool:
        return self.state == PLANNED

    @property
    def is_held(self) -> bool:
        return self.state == HELD

    @property
    def state_label(self) -> str:
        return SESSION_STATES[self.state]

    @property
    def agenda_labels(self) -> list[str]:
        return [rules.AGENDA_AREAS[a] for a in rules.AGENDA_AREAS if a in (self.agenda or [])]


class SupervisionAction(db.Model):
    """Something agreed in a session: who does it, by when, and whether it is done."""

    __tablename__ = "supervision_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("supervision_session.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(20))
    owner_name: Mapped[str] = mapped_column(String(200), default="")
    due_on: Mapped[date] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session: Mapped[SupervisionSession] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint(_in_list("owner", ACTION_OWNERS), name="owner"),
        CheckConstraint("owner <> 'other' or owner_name <> ''", name="other_owner_named"),
        Index("ix_supervision_action_session", "session_id", "completed_on"),
    )


class SupervisionTrainingNeed(db.Model):
    """A training need identified in supervision, and the booking request it became (if a date was
    chosen). Pre-agreed when the supervisor is the supervisee's line manager."""

    __tablename__ = "supervision_training_need"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("supervision_session.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    description: Mapped[str] = mapped_column(Text, default="")
    booking_id: Mapped[int | None] = mapped_column(ForeignKey("booking.id", ondelete="SET NULL"))
    pre_agreed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship(lazy="joined")
    booking: Mapped[Booking | None] = relationship(lazy="joined")

    __table_args__ = (Index("ix_supervision_training_need_session", "session_id"),)
