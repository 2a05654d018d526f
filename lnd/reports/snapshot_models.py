"""Monthly compliance snapshots, kept for the 12-month trend.

One row per month, scope and window, the scope being a team, a manager's direct and indirect reports
(`manager_id`; the hierarchy as it stood when the snapshot was taken) or, with neither, the whole
service: the people counted, of whom
compliant, and the overdue items among them, as worked out on `as_at` (the month's last day, or the
day the snapshot of the month in progress was last taken). Taking a month's snapshot again updates
its rows in place (lnd.reports.compliance_summary.take_snapshot).
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lnd.core.models import utcnow
from lnd.extensions import db


class ComplianceSnapshot(db.Model):
    __tablename__ = "compliance_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)             # the first day of the month
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"))
    # A manager's scope: everyone who reports to them, directly or through other managers.
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    window_key: Mapped[str] = mapped_column(String(80))   # the course group's slug
    as_at: Mapped[date] = mapped_column(Date)
    people: Mapped[int] = mapped_column(Integer)
    compliant: Mapped[int] = mapped_column(Integer)
    overdue_items: Mapped[int] = mapped_column(Integer)
    taken_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("month", "team_id", "window_key"),
        UniqueConstraint("month", "manager_id", "window_key"),
        # NULLs are distinct in a unique constraint: the whole-service rows need their own index.
        Index("uq_compliance_snapshot_service_month_window", "month", "window_key", unique=True,
              sqlite_where=db.text("team_id IS NULL AND manager_id IS NULL"),
              postgresql_where=db.text("team_id IS NULL AND manager_id IS NULL")),
        Index("ix_compliance_snapshot_month", "month"),
        Index("ix_compliance_snapshot_manager_id", "manager_id"),
        CheckConstraint("team_id is null or manager_id is null", name="one_scope"),
        CheckConstraint("people >= 0 and compliant >= 0 and overdue_items >= 0", name="not_negative"),
        CheckConstraint("compliant <= people", name="compliant_within_people"),
    )
