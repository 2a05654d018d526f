"""Read models for the catalogue: the offer overview, a section's courses, course search.

Every listing is a fixed number of statements whatever the number of courses: the course row is
joined to its section and group, and the many-to-many lists are loaded with one `selectin` each.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import contains_eager, lazyload, raiseload, selectinload

from lnd.courses.models import (
    ACTIVE, IN_DEVELOPMENT, RETIRED, Audience, Course, CourseGroup, DeliveryMethod, FrameworkStandard, Section,
)
from lnd.extensions import db

SEARCH_PAGE_SIZE = 25
MAX_SEARCH_TERMS = 10

# How a course's status and a group's colour show as a GOV.UK tag: always with words, never colour alone.
STATUS_TAGS = {
    IN_DEVELOPMENT: {"text": "In development", "classes": "govuk-tag--yellow"},
    RETIRED: {"text": "Retired", "classes": "govuk-tag--grey"},
}
COLOUR_TAGS = {
    "blue": {"text": "Blue list", "classes": "govuk-tag--blue"},
    "orange": {"text": "Orange list", "classes": "govuk-tag--orange"},
}


# ---------------------------------------------------------------------------------------------
# Sections and the overview
# ---------------------------------------------------------------------------------------------

def sections(include_retired: bool = False) -> list[Section]:
    stmt = select(Section).order_by(Section.position, Section.title)
    if not include_retired:
        stmt = stmt.where(Section.retired.is_(False))
    return list(db.session.scalars(stmt))


def offer_counts() -> list[tuple[Section, int]]:
    """Each live section with its number of available courses (one query)."""
    rows = db.session.execute(
        select(Section, func.count(Course.id))
        .outerjoin(Course, (Course.section_id == Section.id) & (Course.status == ACTIVE))
        .where(Section.retired.is_(False)).group_by(Section.id).order_by(Section.position))
    return [(section, count) for section, count in rows]


def section_by_slug(slug: str) -> Section | None:
    return db.session.scalar(select(Section).where(Section.slug == slug))


@dataclass
class OfferOverview:
    sections: list[Section]
    # Courses that staff can see, counted per (section id, group id or None).
    counts: dict[tuple[int, int | None], int]

    def count(self, section: Section, group: CourseGroup | None = None) -> int:
        return self.counts.get((section.id, group.id if group else None), 0)

    def live_groups(self, section: Section) -> list[CourseGroup]:
        return [g for g in section.groups if not g.retired]


def offer_overview(include_retired: bool = False) -> OfferOverview:
    """Sections (with their groups, one selectin) and live course counts per group (one query)."""
    listed = sections(include_retired)
    rows = db.session.execute(
        _live(select(Course.section_id, Course.group_id, func.count(Course.id)).select_from(Course))
        .group_by(Course.section_id, Course.group_id))
    return OfferOverview(listed, {(section_id, group_id): n for section_id, group_id, n in rows})


# ---------------------------------------------------------------------------------------------
# Which courses staff can see
# ---------------------------------------------------------------------------------------------

def _joined(stmt):
    return (stmt.join(Section, Course.section_id == Section.id)
            .outerjoin(CourseGroup, Course.group_id == CourseGroup.id))


def _live_clause():
    """A course staff can see: not retired, in a live section and (if grouped) a live group."""
    return and_(Course.status != RETIRED, Section.retired.is_(False),
                or_(Course.group_id.is_(None), CourseGroup.retired.is_(False)))


def _live(stmt):
    return _joined(stmt).where(_live_clause())


def is_live(course: Course) -> bool:
    """The same rule as `_live_clause`, for one course already loaded."""
    return (course.status != RETIRED and not course.section.retired
            and (course.group is None or not course.group.retired))


def _listing_options():
    """Load what a course list shows without one statement per course."""
    return (
        contains_eager(Course.section).options(lazyload(Section.groups)),
        contains_eager(Course.group).options(lazyload(CourseGroup.section)),
        selectinload(Course.delivery_methods),
        selectinload(Course.audiences),
        raiseload(Course.standards),
    )


def _offer_order():
    """The order of the offer document: section, then group (ungrouped last), then course."""
    return (Section.position, Section.title,
            case((Course.group_id.is_(None), 1), else_=0), CourseGroup.position,
            Course.position, Course.title, Course.id)


def parts_text(course: Course) -> str | None:
    """'Delivered over 2 workshops' for a course of dated sessions, 'In 2 parts' otherwise."""
    if course.parts <= 1:
        return None
    if any(method.has_sessions for method in course.delivery_methods):
        return f"Delivered over {course.parts} workshops"
    return f"In {course.parts} parts"


def course_by_slug(slug: str) -> Course | None:
    return db.session.scalar(select(Course).where(Course.slug == slug))


def courses_by_slugs(slugs) -> dict[str, Course]:
    return {c.slug: c for c in db.session.scalars(select(Course).where(Course.slug.in_(list(slugs))))}


# ---------------------------------------------------------------------------------------------
# A section's course list, grouped
# ---------------------------------------------------------------------------------------------

@dataclass
class GroupListing:
    group: CourseGroup | None          # None: courses of the section outside any group
    courses: list[Course] = field(default_factory=list)


def section_listing(section: Section, include_retired: bool = False) -> list[GroupListing]:
    """The section's groups in order, each with its courses; ungrouped courses come last."""
    stmt = _joined(select(Course)).where(Course.section_id == section.id)
    if not include_retired:
        stmt = stmt.where(_live_clause())
    courses = db.session.scalars(stmt.options(*_listing_options()).order_by(*_offer_order())).all()
    listings = {g.id: GroupListing(g) for g in section.groups if include_retired or not g.retired}
    ungrouped = GroupListing(None)
    for course in courses:
        listing = listings.get(course.group_id) if course.group_id is not None else None
        if listing is None:
            listing = ungrouped
        listing.courses.append(course)
    result = list(listings.values())
    if ungrouped.courses:
        result.append(ungrouped)
    return result


# ---------------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CourseFilters:
    text: str = ""
    section: str = ""            # section slug
    method: str = ""             # delivery method code
    audience: str = ""           # audience code
    standard: int | None = None  # framework standard id
    include_retired: bool = False


def _like_pattern(term: str) -> str:
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    # Straight and curly apostrophes both match either (the seed text uses ’).
    escaped = escaped.replace("'", "_").replace("’", "_")
    return f"%{escaped}%"


def search_terms(text: str) -> list[str]:
    return text.split()[:MAX_SEARCH_TERMS]


def _filtered(stmt, filters: CourseFilters):
    stmt = _joined(stmt)
    if not filters.include_retired:
        stmt = stmt.where(_live_clause())
    if filters.section:
        stmt = stmt.where(Section.slug == filters.section)
    if filters.method:
        stmt = stmt.where(Course.delivery_methods.any(DeliveryMethod.code == filters.method))
    if filters.audience:
        stmt = stmt.where(Course.audiences.any(Audience.code == filters.audience))
    if filters.standard is not None:
        stmt = stmt.where(Course.standards.any(FrameworkStandard.id == filters.standard))
    for term in search_terms(filters.text):
        pattern = _like_pattern(term)
        stmt = stmt.where(or_(*(func.lower(column).like(pattern, escape="\\")
                                for column in (Course.title, Course.summary, Course.description))))
    return stmt


def search(filters: CourseFilters, page: int = 1, per_page: int = SEARCH_PAGE_SIZE) -> tuple[list[Course], int]:
    """One page of matching courses in the offer's order, and how many match in all (two statements,
    plus one each for delivery methods and audiences)."""
    total = db.session.scalar(_filtered(select(func.count(Course.id)).select_from(Course), filters))
    rows = db.session.scalars(
        _filtered(select(Course), filters).options(*_listing_options())
        .order_by(*_offer_order()).limit(per_page).offset((page - 1) * per_page)
    ).all()
    return list(rows), total or 0


@dataclass
class FilterOptions:
    sections: list[Section]
    methods: list[DeliveryMethod]
    audiences: list[Audience]


def filter_options(include_retired_sections: bool = False) -> FilterOptions:
    section_stmt = select(Section).options(lazyload(Section.groups)).order_by(Section.position, Section.title)
    if not include_retired_sections:
        section_stmt = section_stmt.where(Section.retired.is_(False))
    return FilterOptions(
        sections=list(db.session.scalars(section_stmt)),
        methods=list(db.session.scalars(
            select(DeliveryMethod).order_by(DeliveryMethod.position, DeliveryMethod.label))),
        audiences=list(db.session.scalars(select(Audience).order_by(Audience.position, Audience.label))),
    )


def standard_by_id(standard_id: int) -> FrameworkStandard | None:
    return db.session.get(FrameworkStandard, standard_id)


# ---------------------------------------------------------------------------------------------
# Choices for the OD forms
# ---------------------------------------------------------------------------------------------

def all_groups() -> list[CourseGroup]:
    return list(db.session.scalars(
        select(CourseGroup).join(Section, CourseGroup.section_id == Section.id)
        .options(contains_eager(CourseGroup.section).options(lazyload(Section.groups)))
        .order_by(Section.position, CourseGroup.position, CourseGroup.title)))


def all_standards() -> list[FrameworkStandard]:
    return list(db.session.scalars(
        select(FrameworkStandard).order_by(FrameworkStandard.framework_id, FrameworkStandard.number)))


def live_course_count(section: Section) -> int:
    return db.session.scalar(
        _live(select(func.count(Course.id)).select_from(Course)).where(Course.section_id == section.id)) or 0


# ---------------------------------------------------------------------------------------------
# The offer's text: paragraphs and lists, as written in the seed file or the course form
# ---------------------------------------------------------------------------------------------

_BULLET = re.compile(r"^[-·•*]\s+")
_NUMBERED = re.compile(r"^(\d{1,3})[.)]\s+")
_LABEL_MAX = 40


def text_blocks(text: str | None) -> list[dict]:
    """Split plain text into blocks a template renders with escaping: paragraphs ('p'), short
    lead-in lines ending in a colon ('label', e.g. 'Objectives:'), bullet lists ('ul', lines
    starting '- ', '· ' or '• ') and numbered lists ('ol', lines starting '1. ')."""
    blocks: list[dict] = []
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for raw in lines:
        line = raw.strip()
        if not line:
            if blocks and blocks[-1]["kind"] in ("ul", "ol"):
                blocks[-1]["closed"] = True
            continue
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if bullet or numbered:
            kind = "ul" if bullet else "ol"
            item = line[(bullet or numbered).end():].strip()
            last = blocks[-1] if blocks else None
            if last and last["kind"] == kind and not last.get("closed"):
                last["items"].append(item)
            else:
                blocks.append({"kind": kind, "items": [item],
                               "start": int(numbered.group(1)) if numbered else 1})
            continue
        kind = "label" if line.endswith(":") and len(line) <= _LABEL_MAX else "p"
        blocks.append({"kind": kind, "text": line})
    for block in blocks:
        block.pop("closed", None)
    return blocks
