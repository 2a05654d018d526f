"""The annual appraisal: what was said, what was agreed, and the mandatory-training position as it
stood when it was recorded (a snapshot that is never recomputed or changed)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Column, Date, DateTime, ForeignKey, Index, Table, Text, event, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lnd.core.models import utcnow
from lnd.courses.models import Course
from lnd.extensions import db
from lnd.people.models import Person

appraisal_course = Table(
    "appraisal_course",
    db.metadata,
    Column("appraisal_id", ForeignKey("appraisal.id", ondelete="CASCADE"), primary_key=True),
    Column("course_id", ForeignKey("course.id"), primary_key=True),
)


class Appraisal(db.Model):
    __tablename__ = "appraisal"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    appraiser_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    held_on: Mapped[date] = mapped_column(Date)
    achievements: Mapped[str] = mapped_column(Text)        # in the past 12 months
    development_needs: Mapped[str] = mapped_column(Text)
    goals: Mapped[str] = mapped_column(Text)               # for the coming year
    # {"taken_on": "YYYY-MM-DD", "windows": [{key, title, due_on, completed, total,
    #   items: [{course, course_slug, requirement, kind, label, detail, due_on, completed_on}]}]}
    training_snapshot: Mapped[dict] = mapped_column(JSON)
    snapshot_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
    appraiser: Mapped[Person | None] = relationship(foreign_keys=[appraiser_id], lazy="joined")
    courses: Mapped[list[Course]] = relationship(secondary=appraisal_course, order_by=Course.title, lazy="selectin")

    __table_args__ = (Index("ix_appraisal_person_held_on", "person_id", "held_on"),)


@event.listens_for(Appraisal, "before_update")
def _snapshot_is_kept(mapper, connection, target):
    state = inspect(target)
    if state.attrs.training_snapshot.history.has_changes() or state.attrs.snapshot_on.history.has_changes():
        raise ValueError("An appraisal's mandatory-training snapshot is kept as it was recorded.")
