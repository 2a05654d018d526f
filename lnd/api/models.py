"""Clients of the read API (the council's BI tools) and the hashes of their bearer tokens."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lnd.core.models import utcnow
from lnd.extensions import db
from lnd.people.models import Person

NAME_MAX = 120
PURPOSE_MAX = 1000


class ApiClient(db.Model):
    """One BI tool or scheduled load that reads the API with its own token. Only a SHA-256 hash of
    the token is kept: the token itself is shown to the OD team once, when it is issued."""

    __tablename__ = "api_client"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    purpose: Mapped[str] = mapped_column(Text, default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_hint: Mapped[str] = mapped_column(String(12))   # the token's first characters, to tell tokens apart
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    created_by: Mapped[Person | None] = relationship(foreign_keys=[created_by_id], lazy="select")
    revoked_by: Mapped[Person | None] = relationship(foreign_keys=[revoked_by_id], lazy="select")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
