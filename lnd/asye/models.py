"""The ASYE portfolio: an NQSW's enrolment, long absences, portfolio entries tagged to the KSS with
their attachments, and the reviews with their sign-off and moderation."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Numeric, String, Table, Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lnd.asye import rules
from lnd.core.models import StoredFileColumns, utcnow
from lnd.courses.models import Framework, FrameworkStandard
from lnd.extensions import db
from lnd.people.models import Person


def _in(column: str, values) -> str:
    return f"{column} in ({', '.join(repr(v) for v in values)})"


class AsyeEnrolment(db.Model):
    """One NQSW's assessed and supported year: who supports and assesses them, from when, against
    which version of the standards, and how much of the week they work."""

    __tablename__ = "asye_enrolment"

    id: Mapped[int] = mapped_column(primary_key=True)
    nqsw_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), unique=True)
    assessor_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    line_manager_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id"))
    start_date: Mapped[date] = mapped_column(Date)
    working_pattern: Mapped[str] = mapped_column(String(20), default=rules.FULL_TIME)
    fte: Mapped[Decimal] = mapped_column(Numeric(3, 2), default=Decimal("1.00"))
    # Set when the moderation panel agrees an extension: the programme then ends on this date.
    extended_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    nqsw: Mapped[Person] = relationship(foreign_keys=[nqsw_id], lazy="joined")
    assessor: Mapped[Person] = relationship(foreign_keys=[assessor_id], lazy="joined")
    line_manager: Mapped[Person | None] = relationship(foreign_keys=[line_manager_id], lazy="joined")
    framework: Mapped[Framework] = relationship(lazy="select")
    absences: Mapped[list["AsyeAbsence"]] = relationship(
        back_populates="enrolment", order_by="AsyeAbsence.starts_on", cascade="all, delete-orphan", lazy="select")

    __table_args__ = (
        CheckConstraint(_in("working_pattern", rules.WORKING_PATTERNS), name="working_pattern"),
        CheckConstraint("fte > 0 and fte <= 1", name="fte_range"),
        CheckConstraint("working_pattern <> 'full_time' or fte = 1", name="full_time_is_whole"),
        CheckConstraint("assessor_id <> nqsw_id", name="not_own_assessor"),
        Index("ix_asye_enrolment_assessor_id", "assessor_id"),
        Index("ix_asye_enrolment_line_manager_id", "line_manager_id"),
    )

    @property
    def working_pattern_text(self) -> str:
        if self.working_pattern == rules.FULL_TIME:
            return "Full-time (1.0 FTE)"
        return f"Part-time ({self.fte.normalize():f} FTE)"

    def absence_spans(self) -> list[rules.Absence]:
        return [rules.Absence(a.starts_on, a.ends_on) for a in self.absences]


class AsyeAbsence(db.Model):
    """A long absence recorded by the ASYE lead (sickness, parental leave …): it extends the year."""

    __tablename__ = "asye_absence"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("asye_enrolment.id", ondelete="CASCADE"))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(String(200), default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    enrolment: Mapped[AsyeEnrolment] = relationship(back_populates="absences")

    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        Index("ix_asye_absence_enrolment_id", "enrolment_id"),
    )

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


asye_entry_standard = Table(
    "asye_entry_standard",
    db.metadata,
    Column("entry_id", ForeignKey("asye_entry.id", ondelete="CASCADE"), primary_key=True),
    Column("standard_id", ForeignKey("framework_standard.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_asye_entry_standard_standard_id", "standard_id"),
)


class AsyeEntry(db.Model):
    """One piece of portfolio evidence. The columns each kind uses (and their labels) are listed in
    lnd.asye.entry_kinds; every entry is tagged to at least one standard of the enrolment's framework."""

    __tablename__ = "asye_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("asye_enrolment.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    # Critical reflections (six_month, twelve_month) and self-assessments (start, midway, end).
    stage: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    occurred_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")       # who gave feedback
    context: Mapped[str] = mapped_column(Text, default="")      # what was observed, where
    body: Mapped[str] = mapped_column(Text, default="")         # the reflection, feedback, what went well
    development: Mapped[str] = mapped_column(Text, default="")  # development points, next steps
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    enrolment: Mapped[AsyeEnrolment] = relationship(lazy="select")
    author: Mapped[Person | None] = relationship(foreign_keys=[author_id], lazy="joined")
    standards: Mapped[list[FrameworkStandard]] = relationship(
        secondary=asye_entry_standard, order_by=FrameworkStandard.number, lazy="selectin")
    attachments: Mapped[list["AsyeAttachment"]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="AsyeAttachment.id", lazy="selectin")

    __table_args__ = (
        CheckConstraint(_in("kind", rules.ENTRY_KINDS), name="kind"),
        CheckConstraint(
            "(kind = 'critical_reflection' and stage in ('six_month', 'twelve_month'))"
            " or (kind = 'self_assessment' and stage in ('start', 'midway', 'end'))"
            " or (kind not in ('critical_reflection', 'self_assessment') and stage is null)", name="stage"),
        # One critical reflection and one self-assessment per stage (NULL stages never clash).
        UniqueConstraint("enrolment_id", "kind", "stage"),
        Index("ix_asye_entry_enrolment_kind", "enrolment_id", "kind"),
    )

    @property
    def kind_label(self) -> str:
        return rules.ENTRY_KINDS[self.kind]

    @property
    def stage_label(self) -> str:
        return rules.STAGES.get(self.kind, {}).get(self.stage or "", "")


class AsyeAttachment(StoredFileColumns, db.Model):
    """A file kept with a portfolio entry, stored under a generated name outside static/."""

    __tablename__ = "asye_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("asye_entry.id", ondelete="CASCADE"))

    entry: Mapped[AsyeEntry] = relationship(back_populates="attachments")

    __table_args__ = (
        CheckConstraint("size >= 0", name="size_not_negative"),
        Index("ix_asye_attachment_entry_id", "entry_id"),
    )


class AsyeReview(db.Model):
    """A 3-month, 6-month, 9-month or final review: each party's comments, the assessor's judgement
    (progress at interim reviews, the recommendation at the final review), the assessor's signature
    and, for the final review, the moderation panel's outcome."""

    __tablename__ = "asye_review"

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(ForeignKey("asye_enrolment.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    held_on: Mapped[date | None] = mapped_column(Date)
    nqsw_comments: Mapped[str] = mapped_column(Text, default="")
    assessor_comments: Mapped[str] = mapped_column(Text, default="")
    manager_comments: Mapped[str] = mapped_column(Text, default="")
    manager_commented_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    progress: Mapped[str | None] = mapped_column(String(20))          # interim reviews
    recommendation: Mapped[str | None] = mapped_column(String(20))    # final review
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    moderation_outcome: Mapped[str | None] = mapped_column(String(20))
    moderated_on: Mapped[date | None] = mapped_column(Date)
    moderation_notes: Mapped[str] = mapped_column(Text, default="")
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    signed_by: Mapped[Person | None] = relationship(foreign_keys=[signed_by_id], lazy="joined")
    manager_commented_by: Mapped[Person | None] = relationship(foreign_keys=[manager_commented_by_id],
                                                               lazy="joined")

    __table_args__ = (
        UniqueConstraint("enrolment_id", "kind"),
        CheckConstraint(_in("kind", rules.REVIEW_KINDS), name="kind"),
        CheckConstraint("progress is null or " + _in("progress", rules.PROGRESS), name="progress"),
        CheckConstraint("recommendation is null or " + _in("recommendation", rules.RECOMMENDATIONS),
                        name="recommendation"),
        CheckConstraint("moderation_outcome is null or " + _in("moderation_outcome", rules.MODERATION_OUTCOMES),
                        name="moderation_outcome"),
        CheckConstraint("kind = 'final' or (recommendation is null and moderation_outcome is null)",
                        name="final_only_judgements"),
        CheckConstraint("signed_at is null or held_on is not null", name="signed_when_held"),
    )

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def label(self) -> str:
        return rules.REVIEW_KINDS[self.kind]

    @property
    def judgement(self) -> str | None:
        return self.recommendation if self.kind == rules.FINAL else self.progress

    @property
    def moderation_label(self) -> str:
        return rules.MODERATION_OUTCOMES.get(self.moderation_outcome or "", "")

    @property
    def judgement_label(self) -> str:
        if self.kind == rules.FINAL:
            return rules.RECOMMENDATIONS.get(self.recommendation or "", "")
        return rules.PROGRESS.get(self.progress or "", "")
