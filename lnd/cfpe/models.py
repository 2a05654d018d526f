"""The Centre for Practice Excellence commitments: contacting every new starter, and career
consultations for anyone who asks."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lnd.cfpe.rules import CONTACT_PREFERENCES, CONSULTATION_STATUSES, REQUESTED
from lnd.core.models import utcnow
from lnd.extensions import db
from lnd.people.models import Person


def _in(column: str, values) -> str:
    return f"{column} in ({', '.join(repr(v) for v in values)})"


class NewStarterContact(db.Model):
    """The Centre contacted a new starter to talk through the offer: who made contact, when, a note."""

    __tablename__ = "cfpe_new_starter_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    contacted_on: Mapped[date] = mapped_column(Date)
    contacted_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
    contacted_by: Mapped[Person | None] = relationship(foreign_keys=[contacted_by_id], lazy="joined")


class CareerConsultation(db.Model):
    """A request for a career consultation, and where the OD team has got to with it."""

    __tablename__ = "cfpe_career_consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(Text)
    contact_preference: Mapped[str] = mapped_column(String(20))
    contact_detail: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(20), default=REQUESTED)
    od_note: Mapped[str] = mapped_column(Text, default="")
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
    updated_by: Mapped[Person | None] = relationship(foreign_keys=[updated_by_id], lazy="joined")

    __table_args__ = (
        CheckConstraint(_in("status", CONSULTATION_STATUSES), name="status"),
        CheckConstraint(_in("contact_preference", CONTACT_PREFERENCES), name="contact_preference"),
        Index("ix_cfpe_career_consultation_status", "status", "requested_at"),
        Index("ix_cfpe_career_consultation_person", "person_id"),
    )

    @property
    def status_label(self) -> str:
        return CONSULTATION_STATUSES[self.status]

    @property
    def contact_preference_label(self) -> str:
        return CONTACT_PREFERENCES[self.contact_preference]
