"""CPD records as Social Work England asks for them, their evidence, and the reminders sent."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lnd.core.models import StoredFileColumns, utcnow
from lnd.courses.models import Completion
from lnd.extensions import db
from lnd.people.models import Person

# The kinds of CPD activity, in the order the form offers them.
ACTIVITY_TYPES = {
    "course": "Course or training",
    "e_learning": "E-learning",
    "event": "Conference, seminar or webinar",
    "reading": "Reading, research, a podcast or a video",
    "supervision": "Supervision or a reflective discussion",
    "feedback": "Feedback from people I work with or support",
    "shadowing": "Shadowing or observing practice",
    "practice": "Learning from a piece of my own practice",
    "teaching": "Teaching, mentoring or practice education",
    "qualification": "Post-qualifying study or a qualification",
    "other": "Another kind of activity",
}

# Who a peer reflection may be with (Social Work England's three kinds of peer).
PEER_ROLES = {
    "social_worker": "A registered social worker",
    "manager_supervisor": "My line manager or supervisor",
    "other_professional": "Another professional who knows my practice",
}

TITLE_MAX = 200
PEER_NAME_MAX = 160


def _in(column: str, values) -> str:
    return f"{column} in ({', '.join(repr(v) for v in values)})"


class CpdRecord(db.Model):
    """One piece of CPD, laid out like the Social Work England online form."""

    __tablename__ = "cpd_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    activity_type: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    activity_date: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)        # what it was and why it is relevant
    learning: Mapped[str] = mapped_column(Text)           # what was learnt
    impact: Mapped[str] = mapped_column(Text)             # impact on practice and on the people worked with
    hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    peer_name: Mapped[str | None] = mapped_column(String(PEER_NAME_MAX))
    peer_role: Mapped[str | None] = mapped_column(String(30))
    peer_discussed_on: Mapped[date | None] = mapped_column(Date)
    peer_learning: Mapped[str | None] = mapped_column(Text)
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completion.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    person: Mapped[Person] = relationship(lazy="joined")
    completion: Mapped[Completion | None] = relationship(lazy="joined")
    attachments: Mapped[list["CpdAttachment"]] = relationship(
        back_populates="record", cascade="all, delete-orphan", order_by="CpdAttachment.id", lazy="selectin")

    __table_args__ = (
        CheckConstraint(_in("activity_type", ACTIVITY_TYPES), name="activity_type"),
        CheckConstraint("peer_role is null or " + _in("peer_role", PEER_ROLES), name="peer_role"),
        CheckConstraint("hours is null or (hours > 0 and hours <= 999)", name="hours_range"),
        # A peer reflection is whole or absent: who, in what role, and what was learnt.
        CheckConstraint("(peer_learning is null) = (peer_name is null) and (peer_name is null) = (peer_role is null)",
                        name="peer_reflection_whole"),
        UniqueConstraint("completion_id"),
        Index("ix_cpd_record_person_date", "person_id", "activity_date"),
    )

    @property
    def has_peer_reflection(self) -> bool:
        return bool(self.peer_learning)

    @property
    def activity_type_label(self) -> str:
        return ACTIVITY_TYPES.get(self.activity_type, self.activity_type)

    @property
    def peer_role_label(self) -> str:
        return PEER_ROLES.get(self.peer_role or "", "")


class CpdAttachment(StoredFileColumns, db.Model):
    """A file kept as evidence for a CPD record, stored under a generated name outside static/."""

    __tablename__ = "cpd_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("cpd_record.id", ondelete="CASCADE"))

    record: Mapped[CpdRecord] = relationship(back_populates="attachments")

    __table_args__ = (
        CheckConstraint("size >= 0", name="size_not_negative"),
        Index("ix_cpd_attachment_record_id", "record_id"),
    )


class CpdReminder(db.Model):
    """A readiness reminder sent to a person on a day; the unique pair stops a second one that day."""

    __tablename__ = "cpd_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    sent_on: Mapped[date] = mapped_column(Date)
    year_ending: Mapped[int] = mapped_column(Integer)
    records: Mapped[int] = mapped_column(Integer)
    peer_reflections: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("person_id", "sent_on"),)
