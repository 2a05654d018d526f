"""Read models of the API: one page of each list, ordered by id, as plain rows.

Each list costs a fixed number of statements whatever the page size: a count and one select of
plain columns (the compliance list: a count, the page of people, then the compliance foundation's
own fixed number of statements for those people).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from lnd.api.params import Paging
from lnd.bookings.models import Booking, CourseSession
from lnd.compliance import queries as compliance_queries
from lnd.core.clock import as_utc
from lnd.courses.models import Completion, Course, CourseGroup, Section
from lnd.extensions import db
from lnd.people.models import JobRole, Person, Team


@dataclass
class Listing:
    rows: list[dict]
    total: int


def _page(statement, paging: Paging):
    return db.session.execute(statement.limit(paging.per_page).offset(paging.offset)).all()


# ---------------------------------------------------------------------------------------------

def people(paging: Paging) -> Listing:
    statement = (
        select(Person.id, Person.employee_number, Person.first_name, Person.last_name,
               JobRole.name.label("job_role"), Team.name.label("team"), Person.manager_id,
               Person.start_date, Person.leaving_date)
        .outerjoin(JobRole, Person.job_role_id == JobRole.id)
        .outerjoin(Team, Person.team_id == Team.id)
        .order_by(Person.id))
    total = db.session.scalar(select(func.count(Person.id)))
    rows = [{"id": row.id, "employee_number": row.employee_number, "name": f"{row.first_name} {row.last_name}",
             "job_role": row.job_role, "team": row.team, "manager_id": row.manager_id,
             "start_date": row.start_date, "leaving_date": row.leaving_date}
            for row in _page(statement, paging)]
    return Listing(rows, total)


def courses(paging: Paging) -> Listing:
    statement = (
        select(Course.id, Course.slug, Course.title, Course.status, Section.slug.label("section"),
               Section.title.label("section_title"), CourseGroup.slug.label("group"),
               CourseGroup.title.label("group_title"), Course.external_id)
        .join(Section, Course.section_id == Section.id)
        .outerjoin(CourseGroup, Course.group_id == CourseGroup.id)
        .order_by(Course.id))
    total = db.session.scalar(select(func.count(Course.id)))
    rows = [{"id": row.id, "slug": row.slug, "title": row.title, "section": row.section,
             "section_title": row.section_title, "group": row.group, "group_title": row.group_title,
             "status": row.status, "external_id": row.external_id}
            for row in _page(statement, paging)]
    return Listing(rows, total)


def completions(paging: Paging, since: datetime | None = None) -> Listing:
    statement = select(Completion.id, Completion.person_id, Completion.course_id, Completion.completed_on,
                       Completion.source, Completion.created_at)
    counted = select(func.count(Completion.id))
    if since is not None:
        statement = statement.where(Completion.created_at >= since)
        counted = counted.where(Completion.created_at >= since)
    total = db.session.scalar(counted)
    rows = [{"id": row.id, "person_id": row.person_id, "course_id": row.course_id,
             "completed_on": row.completed_on, "source": row.source, "created_at": as_utc(row.created_at)}
            for row in _page(statement.order_by(Completion.id), paging)]
    return Listing(rows, total)


def bookings(paging: Paging) -> Listing:
    statement = (
        select(Booking.id, Booking.session_id, CourseSession.course_id, Booking.person_id, Booking.state,
               CourseSession.starts_at)
        .join(CourseSession, Booking.session_id == CourseSession.id)
        .order_by(Booking.id))
    total = db.session.scalar(select(func.count(Booking.id)))
    rows = [{"id": row.id, "session_id": row.session_id, "course_id": row.course_id, "person_id": row.person_id,
             "state": row.state, "session_starts_at": as_utc(row.starts_at)}
            for row in _page(statement, paging)]
    return Listing(rows, total)


# ---------------------------------------------------------------------------------------------
# Compliance: one page of people at a time, every requirement of each person on it

def compliance(paging: Paging, today: date) -> Listing:
    """Status rows of one page of people (ordered by person id; `total` counts people). People with
    no required learning (external learners, people without a start date) have no rows."""
    total = db.session.scalar(select(func.count(Person.id)))
    page_of_people = db.session.scalars(
        select(Person).order_by(Person.id).limit(paging.per_page).offset(paging.offset)).unique().all()
    slugs = {requirement.id: requirement.slug for requirement in compliance_queries.active_requirements()}
    rows = [{"person_id": row.person_id, "course_id": row.course_id, "requirement": slugs[row.requirement_id],
             "window": row.window_key, "status": row.status.kind, "due_on": row.status.due_on,
             "completed_on": row.status.completed_on}
            for row in compliance_queries.status_rows(page_of_people, today)]
    return Listing(rows, total)


# ---------------------------------------------------------------------------------------------
# The OD team's page of API clients

def clients() -> list:
    """Every API client, active ones first, newest first, with who issued and revoked them."""
    from sqlalchemy.orm import joinedload

    from lnd.api.models import ApiClient

    return list(db.session.scalars(
        select(ApiClient).options(joinedload(ApiClient.created_by), joinedload(ApiClient.revoked_by))
        .order_by(ApiClient.revoked_at.is_not(None), ApiClient.created_at.desc(), ApiClient.id.desc())).unique())
