"""Read models for the catalogue."""
from __future__ import annotations

from sqlalchemy import select

from lnd.courses.models import Section
from lnd.extensions import db


def sections(include_retired: bool = False) -> list[Section]:
    stmt = select(Section).order_by(Section.position, Section.title)
    if not include_retired:
        stmt = stmt.where(Section.retired.is_(False))
    return list(db.session.scalars(stmt))


def offer_counts() -> list[tuple[Section, int]]:
    """Each live section with its number of available courses (one query)."""
    from lnd.courses.models import ACTIVE, Course

    rows = db.session.execute(
        select(Section, db.func.count(Course.id))
        .outerjoin(Course, (Course.section_id == Section.id) & (Course.status == ACTIVE))
        .where(Section.retired.is_(False)).group_by(Section.id).order_by(Section.position))
    return [(section, count) for section, count in rows]
