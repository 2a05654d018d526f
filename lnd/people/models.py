"""Person, Team, JobRole, Organisation and roles."""
from __future__ import annotations

import secrets
from datetime import date, datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from lnd.core.models import utcnow
from lnd.extensions import db

# Roles a person may hold, in any combination.
STAFF = "staff"
MANAGER = "manager"
OD_ADMIN = "od_admin"
ASYE_ASSESSOR = "asye_assessor"
SUPERVISOR = "supervisor"
EXTERNAL_LEARNER = "external_learner"
ROLES = {
    STAFF: "Staff",
    MANAGER: "Manager",
    OD_ADMIN: "OD team (Centre for Practice Excellence)",
    ASYE_ASSESSOR: "ASYE assessor",
    SUPERVISOR: "Supervisor",
    EXTERNAL_LEARNER: "External learner",
}

# Kinds of organisation a person belongs to.
CHILDRENS_CARE = "childrens_care"
SCHOOL = "school"
FOSTERING = "fostering"
ORGANISATION_KINDS = {
    CHILDRENS_CARE: "Children's Care",
    SCHOOL: "School or setting",
    FOSTERING: "Fostering household",
}


def new_token() -> str:
    return secrets.token_urlsafe(24)


class Organisation(db.Model):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))

    __table_args__ = (CheckConstraint("kind in ('childrens_care', 'school', 'fostering')", name="kind"),)

    @property
    def is_external(self) -> bool:
        return self.kind != CHILDRENS_CARE


class Team(db.Model):
    """A team or service area, e.g. Assessment or Children in Care."""

    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")


class JobRole(db.Model):
    __tablename__ = "job_role"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    is_social_work: Mapped[bool] = mapped_column(Boolean, default=False)
    is_management: Mapped[bool] = mapped_column(Boolean, default=False)


class PersonRole(db.Model):
    __tablename__ = "person_role"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(30), primary_key=True)

    __table_args__ = (
        CheckConstraint(
            "role in ('staff', 'manager', 'od_admin', 'asye_assessor', 'supervisor', 'external_learner')",
            name="role",
        ),
    )


class Person(UserMixin, db.Model):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_number: Mapped[str | None] = mapped_column(String(30), unique=True)
    first_name: Mapped[str] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    session_token: Mapped[str] = mapped_column(String(64), default=new_token)
    job_role_id: Mapped[int | None] = mapped_column(ForeignKey("job_role.id"))
    job_role_since: Mapped[date | None] = mapped_column(Date)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    start_date: Mapped[date | None] = mapped_column(Date)
    leaving_date: Mapped[date | None] = mapped_column(Date)
    swe_registration_number: Mapped[str | None] = mapped_column(String(20), unique=True)
    aspiring_manager: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    job_role: Mapped[JobRole | None] = relationship(lazy="joined")
    team: Mapped[Team | None] = relationship(lazy="joined")
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    manager: Mapped["Person | None"] = relationship(remote_side=[id], lazy="select")
    role_rows: Mapped[list[PersonRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")

    __table_args__ = (
        Index("ix_person_manager_id", "manager_id"),
        Index("ix_person_team_id", "team_id"),
        CheckConstraint("manager_id is null or manager_id <> id", name="not_own_manager"),
    )

    # flask-login: the id carries the session token, so changing the token ends every session.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def set_roles(self, roles) -> None:
        wanted = set(roles)
        unknown = wanted - set(ROLES)
        if unknown:
            raise ValueError(f"Unknown role: {', '.join(sorted(unknown))}")
        self.role_rows = [r for r in self.role_rows if r.role in wanted] + [
            PersonRole(role=r) for r in sorted(wanted - self.roles)
        ]

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def rotate_session_token(self) -> None:
        self.session_token = new_token()

    def is_leaver_on(self, day: date) -> bool:
        return self.leaving_date is not None and self.leaving_date < day

    @property
    def is_social_worker(self) -> bool:
        return bool(self.swe_registration_number) or bool(self.job_role and self.job_role.is_social_work)
