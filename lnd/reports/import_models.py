"""Models of the e-learning completion imports.

An xAPI statement has an id that the e-learning platform never reuses. Keeping the id of every
completion statement imported means that importing the same file (or an overlapping export) again
adds nothing.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from lnd.core.models import utcnow
from lnd.extensions import db


class XapiStatement(db.Model):
    """A completion statement already imported: who, which course, and the completion it gave."""

    __tablename__ = "xapi_statement"

    id: Mapped[int] = mapped_column(primary_key=True)
    statement_id: Mapped[str] = mapped_column(String(36), unique=True)   # a UUID, lower case
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"))
    # The completion the statement added, or the one already recorded that it repeated.
    completion_id: Mapped[int | None] = mapped_column(ForeignKey("completion.id", ondelete="SET NULL"))
    verb: Mapped[str] = mapped_column(String(20))                        # completed or passed
    timestamp: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    __table_args__ = (
        Index("ix_xapi_statement_person_course", "person_id", "course_id"),
    )
