"""Requirement rules (who must do what by when) and exemptions, as data."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean, CheckConstraint, Column, Date, DateTime, ForeignKey, Integer, String, Table, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lnd.compliance import rules
from lnd.core.dates import Period
from lnd.core.models import utcnow
from lnd.courses.models import Course, CourseGroup
from lnd.extensions import db
from lnd.people.models import JobRole, Person, Team

requirement_course = Table(
    "requirement_course",
    db.metadata,
    Column("requirement_id", ForeignKey("requirement.id", ondelete="CASCADE"), primary_key=True),
    Column("course_id", ForeignKey("course.id", ondelete="CASCADE"), primary_key=True),
)

requirement_excluded_course = Table(
    "requirement_excluded_course",
    db.metadata,
    Column("requirement_id", ForeignKey("requirement.id", ondelete="CASCADE"), primary_key=True),
    Column("course_id", ForeignKey("course.id", ondelete="CASCADE"), primary_key=True),
)

requirement_job_role = Table(
    "requirement_job_role",
    db.metadata,
    Column("requirement_id", ForeignKey("requirement.id", ondelete="CASCADE"), primary_key=True),
    Column("job_role_id", ForeignKey("job_role.id", ondelete="CASCADE"), primary_key=True),
)

requirement_team = Table(
    "requirement_team",
    db.metadata,
    Column("requirement_id", ForeignKey("requirement.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True),
)

_UNITS = "('days', 'weeks', 'months', 'years')"


class Requirement(db.Model):
    """What must be learnt (every available course of a group, or named courses), by whom, and by
    when (a window from the start date), with an optional renewal period."""

    __tablename__ = "requirement"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    default_note: Mapped[str] = mapped_column(Text, default="")
    # The window a requirement's courses are shown under (My learning, the team grid, the reports).
    group_id: Mapped[int] = mapped_column(ForeignKey("course_group.id"))
    # True: every available course of the group (less the excluded ones); False: the named courses.
    whole_group: Mapped[bool] = mapped_column(Boolean, default=True)
    audience: Mapped[str] = mapped_column(String(30))
    window_amount: Mapped[int] = mapped_column(Integer)
    window_unit: Mapped[str] = mapped_column(String(10))
    renewal_amount: Mapped[int | None] = mapped_column(Integer)
    renewal_unit: Mapped[str | None] = mapped_column(String(10))
    starts_on: Mapped[date | None] = mapped_column(Date)
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    from_seed: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    group: Mapped[CourseGroup] = relationship(lazy="joined")
    courses: Mapped[list[Course]] = relationship(secondary=requirement_course, lazy="selectin")
    excluded_courses: Mapped[list[Course]] = relationship(secondary=requirement_excluded_course, lazy="selectin")
    job_roles: Mapped[list[JobRole]] = relationship(secondary=requirement_job_role, lazy="selectin")
    teams: Mapped[list[Team]] = relationship(secondary=requirement_team, lazy="selectin")

    __table_args__ = (
        CheckConstraint("audience in ('childrens_care', 'social_workers', 'managers', 'job_roles', 'teams', "
                        "'external_learners')", name="audience"),
        CheckConstraint(f"window_unit in {_UNITS}", name="window_unit"),
        CheckConstraint(f"renewal_unit is null or renewal_unit in {_UNITS}", name="renewal_unit"),
        CheckConstraint("window_amount > 0", name="window_positive"),
        CheckConstraint("(renewal_amount is null) = (renewal_unit is null)", name="renewal_complete"),
    )

    @property
    def window(self) -> Period:
        return Period(self.window_amount, self.window_unit)

    @property
    def renewal(self) -> Period | None:
        if self.renewal_amount is None or self.renewal_unit is None:
            return None
        return Period(self.renewal_amount, self.renewal_unit)

    @property
    def audience_rule(self) -> rules.Audience:
        return rules.Audience(self.audience, frozenset(r.id for r in self.job_roles),
                              frozenset(t.id for t in self.teams))

    @property
    def audience_label(self) -> str:
        if self.audience == rules.JOB_ROLES:
            return "People in these job roles: " + ", ".join(r.name for r in self.job_roles)
        if self.audience == rules.TEAMS:
            return "People in these teams: " + ", ".join(t.name for t in self.teams)
        return rules.AUDIENCES[self.audience]

    @property
    def summary(self) -> str:
        """One line for the course page: 'Everyone in Children's Care, within 4 weeks of starting'."""
        text = f"{self.audience_label}, within {self.window} of starting"
        if self.audience in rules.ROLE_BASED:
            text += " (or of moving into the role)"
        if self.renewal:
            text += f"; renewed every {self.renewal}"
        return text


class Exemption(db.Model):
    """The OD team has recorded that a person need not complete a required course (e.g. prior learning)."""

    __tablename__ = "exemption"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"))
    reason: Mapped[str] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    course: Mapped[Course] = relationship(lazy="joined")
    recorded_by: Mapped[Person | None] = relationship(foreign_keys=[recorded_by_id], lazy="select")

    __table_args__ = (
        UniqueConstraint("person_id", "course_id"),
        CheckConstraint("length(reason) > 0", name="reason_given"),
    )
