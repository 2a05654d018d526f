"""The log of mandatory-training reminders sent. A row is claimed (inserted and flushed) before the
message goes and committed once it has gone; the unique constraints stop a second reminder for the
same item, or a second digest to the same manager, on the same day — even when the command runs
twice at once."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lnd.core.models import utcnow
from lnd.extensions import db


class ReminderLog(db.Model):
    """One reminder (due soon or overdue) about one item — a person, a required course and its due
    date — sent on a day."""

    __tablename__ = "reminder_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    due_on: Mapped[date] = mapped_column(Date)
    sent_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (
        UniqueConstraint("person_id", "course_id", "due_on", "sent_on"),
        Index("ix_reminder_log_person_id", "person_id"),
    )


class ReminderDigestLog(db.Model):
    """The weekly digest of a team's overdue items sent to a manager on a day."""

    __tablename__ = "reminder_digest_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    sent_on: Mapped[date] = mapped_column(Date)
    items: Mapped[int] = mapped_column(Integer)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    __table_args__ = (UniqueConstraint("manager_id", "sent_on"),)
