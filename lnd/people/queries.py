"""Read models for people: the manager hierarchy and directory listings (set-based)."""
from __future__ import annotations

from sqlalchemy import or_, select

from lnd.extensions import db
from lnd.people.models import OD_ADMIN, Person, PersonRole


def report_ids_query(manager_id: int):
    """Ids of every direct and indirect report of a manager, as one recursive query."""
    chain = select(Person.id).where(Person.manager_id == manager_id).cte("reports", recursive=True)
    chain = chain.union(select(Person.id).join(chain, Person.manager_id == chain.c.id))
    return select(chain.c.id)


def report_ids(manager_id: int) -> set[int]:
    return set(db.session.scalars(report_ids_query(manager_id)))


def is_manager_of(manager: Person, person_id: int) -> bool:
    if manager.id == person_id:
        return False
    return person_id in report_ids(manager.id)


def can_view_person(viewer: Person, person_id: int) -> bool:
    """A person sees their own record, a manager their reports', OD everyone's."""
    if viewer.id == person_id or viewer.has_role(OD_ADMIN):
        return True
    return is_manager_of(viewer, person_id)


def find_by_email(email: str) -> Person | None:
    return db.session.scalar(select(Person).where(db.func.lower(Person.email) == email.strip().lower()))


def directory(viewer: Person, search: str = "", include_leavers: bool = False, today=None,
              page: int = 1, per_page: int = 50):
    """People the viewer may see, with the total, for one page of the directory."""
    stmt = select(Person)
    if not viewer.has_role(OD_ADMIN):
        stmt = stmt.where(Person.id.in_(report_ids_query(viewer.id)))
    if search:
        like = f"%{search.strip().lower()}%"
        stmt = stmt.where(or_(
            db.func.lower(Person.first_name + " " + Person.last_name).like(like),
            db.func.lower(Person.email).like(like),
            db.func.lower(db.func.coalesce(Person.employee_number, "")).like(like),
        ))
    if not include_leavers and today is not None:
        stmt = stmt.where(or_(Person.leaving_date.is_(None), Person.leaving_date >= today))
    total = db.session.scalar(select(db.func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(
        stmt.order_by(Person.last_name, Person.first_name, Person.id)
        .limit(per_page).offset((page - 1) * per_page)
    ).all()
    return rows, total


def people_with_role(role: str) -> list[Person]:
    return list(db.session.scalars(
        select(Person).join(PersonRole).where(PersonRole.role == role).order_by(Person.last_name)))


def team_summary(manager_id: int, today) -> dict:
    """Counts for a manager's home page: reports, direct reports, people in their first 6 months."""
    from lnd.core.dates import add_months

    ids = report_ids_query(manager_id)
    current = select(Person).where(Person.id.in_(ids),
                                   or_(Person.leaving_date.is_(None), Person.leaving_date >= today)).subquery()
    total = db.session.scalar(select(db.func.count()).select_from(current))
    direct = db.session.scalar(select(db.func.count()).select_from(current).where(current.c.manager_id == manager_id))
    recent = db.session.scalar(select(db.func.count()).select_from(current)
                               .where(current.c.start_date > add_months(today, -6)))
    return {"total": total, "direct": direct, "new_starters": recent}
