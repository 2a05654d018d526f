"""The Learning and Development Offer as data."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, Index, Integer, String, Table, Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lnd.core.dates import Period
from lnd.core.models import utcnow
from lnd.extensions import db

ACTIVE = "active"
IN_DEVELOPMENT = "in_development"
RETIRED = "retired"
COURSE_STATUSES = {ACTIVE: "Available", IN_DEVELOPMENT: "In development", RETIRED: "Retired"}

# How a place is agreed before booking (the Developmental Offer rules).
NO_AUTHORISATION = "none"
LINE_MANAGER_AGREEMENT = "line_manager"
MANAGER_IF_ASPIRING = "manager_if_aspiring"
AUTHORISATION_RULES = {
    NO_AUTHORISATION: "No authorisation needed",
    LINE_MANAGER_AGREEMENT: "Agreed with your line manager in supervision or appraisal",
    MANAGER_IF_ASPIRING: "Aspiring managers need their manager's authorisation",
}

course_delivery_method = Table(
    "course_delivery_method",
    db.metadata,
    Column("course_id", ForeignKey("course.id", ondelete="CASCADE"), primary_key=True),
    Column("method_code", ForeignKey("delivery_method.code"), primary_key=True),
)

course_audience = Table(
    "course_audience",
    db.metadata,
    Column("course_id", ForeignKey("course.id", ondelete="CASCADE"), primary_key=True),
    Column("audience_code", ForeignKey("audience.code"), primary_key=True),
)

course_standard = Table(
    "course_standard",
    db.metadata,
    Column("course_id", ForeignKey("course.id", ondelete="CASCADE"), primary_key=True),
    Column("standard_id", ForeignKey("framework_standard.id", ondelete="CASCADE"), primary_key=True),
)


class DeliveryMethod(db.Model):
    """E-Learning, Seminar, Video, Information Page …"""

    __tablename__ = "delivery_method"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(80))
    has_sessions: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Audience(db.Model):
    """Who a course is meant for, used to filter the catalogue."""

    __tablename__ = "audience"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Section(db.Model):
    """One of the six parts of the offer (Induction, Core Offer, …)."""

    __tablename__ = "section"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(160))
    purpose: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    from_seed: Mapped[bool] = mapped_column(Boolean, default=False)

    groups: Mapped[list["CourseGroup"]] = relationship(
        back_populates="section", order_by="CourseGroup.position", lazy="selectin")


class CourseGroup(db.Model):
    """A table of the offer within a section, e.g. 'Children's Services – Induction' or the orange
    'Middlesbrough Managers' list. Carries the completion window and the authorisation rule."""

    __tablename__ = "course_group"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id"))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str | None] = mapped_column(String(20))
    window_amount: Mapped[int | None] = mapped_column(Integer)
    window_unit: Mapped[str | None] = mapped_column(String(10))
    authorisation: Mapped[str] = mapped_column(String(30), default=NO_AUTHORISATION)
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    from_seed: Mapped[bool] = mapped_column(Boolean, default=False)

    section: Mapped[Section] = relationship(back_populates="groups", lazy="joined")

    __table_args__ = (
        CheckConstraint("window_unit is null or window_unit in ('days', 'weeks', 'months', 'years')",
                        name="window_unit"),
        CheckConstraint("authorisation in ('none', 'line_manager', 'manager_if_aspiring')", name="authorisation"),
    )

    @property
    def window(self) -> Period | None:
        if self.window_amount is None or self.window_unit is None:
            return None
        return Period(self.window_amount, self.window_unit)


class Course(db.Model):
    __tablename__ = "course"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("course_group.id"))
    summary: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    provider: Mapped[str] = mapped_column(String(160), default="")
    status: Mapped[str] = mapped_column(String(20), default=ACTIVE)
    parts: Mapped[int] = mapped_column(Integer, default=1)
    module_number: Mapped[int | None] = mapped_column(Integer)
    link_url: Mapped[str | None] = mapped_column(String(500))
    # The e-learning platform's id for the course (an xAPI activity id or its export's course id),
    # which completion imports match exactly.
    external_id: Mapped[str | None] = mapped_column(String(200), unique=True)
    default_note: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    from_seed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    section: Mapped[Section] = relationship(lazy="joined")
    group: Mapped[CourseGroup | None] = relationship(lazy="joined")
    delivery_methods: Mapped[list[DeliveryMethod]] = relationship(
        secondary=course_delivery_method, order_by=DeliveryMethod.position, lazy="selectin")
    audiences: Mapped[list[Audience]] = relationship(
        secondary=course_audience, order_by=Audience.position, lazy="selectin")
    standards: Mapped[list["FrameworkStandard"]] = relationship(
        secondary=course_standard, lazy="selectin")

    __table_args__ = (
        CheckConstraint("status in ('active', 'in_development', 'retired')", name="status"),
        CheckConstraint("parts >= 1", name="parts_positive"),
        Index("ix_course_section_id", "section_id"),
    )

    @property
    def is_bookable(self) -> bool:
        return self.status == ACTIVE

    @property
    def status_label(self) -> str:
        return COURSE_STATUSES[self.status]


class Framework(db.Model):
    """A versioned set of standards, e.g. the KSS for child and family practitioners."""

    __tablename__ = "framework"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date)

    standards: Mapped[list["FrameworkStandard"]] = relationship(
        back_populates="framework", order_by="FrameworkStandard.number", lazy="selectin")


class FrameworkStandard(db.Model):
    __tablename__ = "framework_standard"

    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("framework.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    short_name: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    framework: Mapped[Framework] = relationship(back_populates="standards", lazy="joined")

    __table_args__ = (UniqueConstraint("framework_id", "number"),)


COMPLETION_SOURCES = {
    "attendance": "Attended",
    "self_recorded": "Recorded by the learner",
    "import": "Imported from the e-learning platform",
    "od_recorded": "Recorded by the OD team",
    "seed": "Demonstration data",
}


class Completion(db.Model):
    """A person completed a course on a date (attendance, recorded e-learning or an import)."""

    __tablename__ = "completion"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    completed_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    course: Mapped[Course] = relationship(lazy="joined")

    __table_args__ = (
        UniqueConstraint("person_id", "course_id", "completed_on"),
        Index("ix_completion_person_course", "person_id", "course_id"),
        CheckConstraint(
            "source in ('attendance', 'self_recorded', 'import', 'od_recorded', 'seed')", name="source"),
    )
