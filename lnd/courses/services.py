"""Changes to the catalogue made by the OD team: courses and sections.

Each function takes the acting person explicitly, writes one audit row, flushes and leaves the
commit to the caller. Bad input raises CatalogueError with a sentence a person can read (and, where
it belongs to one field of a form, the name of that field).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import func, select

from lnd.core import audit
from lnd.courses.models import (
    ACTIVE, IN_DEVELOPMENT, RETIRED, Audience, Course, CourseGroup, DeliveryMethod, FrameworkStandard, Section,
)
from lnd.extensions import db

EDITABLE_STATUSES = (ACTIVE, IN_DEVELOPMENT)   # retiring has its own action
# Words the catalogue's own addresses use (/courses/new, /offer/new); never given to a course or section.
RESERVED_SLUGS = frozenset({"new"})


class CatalogueError(Exception):
    """A change to the catalogue that cannot be made; `message` is shown to the person."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# ---------------------------------------------------------------------------------------------
# Slugs
# ---------------------------------------------------------------------------------------------

def slugify(title: str, max_length: int = 100) -> str:
    """'Tri.x – Children’s Services' -> 'tri-x-childrens-services'."""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"['’]", "", text)
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:max_length].rstrip("-")


def unique_slug(model, title: str, fallback: str) -> str:
    """A slug for `title` not used by any row of `model` (one query): base, base-2, base-3, …"""
    base = slugify(title) or fallback
    taken = set(db.session.scalars(
        select(model.slug).where((model.slug == base) | model.slug.like(f"{base}-%"))))
    taken |= RESERVED_SLUGS
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


# ---------------------------------------------------------------------------------------------
# Courses
# ---------------------------------------------------------------------------------------------

@dataclass
class CourseDetails:
    """What the OD team enters for a course."""

    title: str
    section_id: int | None
    group_id: int | None = None
    summary: str = ""
    description: str = ""
    provider: str = ""
    status: str | None = ACTIVE           # None: leave as it is (a retired course keeps its status)
    parts: int = 1
    module_number: int | None = None
    link_url: str | None = None
    external_id: str | None = None         # the e-learning platform's id; blank: none
    default_note: str = ""
    delivery_methods: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    standard_ids: list[int] = field(default_factory=list)


def course_snapshot(course: Course) -> dict:
    """A course as plain values, for the before/after of audit rows."""
    return {
        "title": course.title, "section": course.section.slug if course.section else None,
        "group": course.group.slug if course.group else None, "summary": course.summary,
        "description": course.description, "provider": course.provider, "status": course.status,
        "parts": course.parts, "module_number": course.module_number, "link_url": course.link_url,
        "external_id": course.external_id, "default_note": course.default_note,
        "delivery_methods": sorted(m.code for m in course.delivery_methods),
        "audiences": sorted(a.code for a in course.audiences),
        "standards": sorted(f"{s.framework.code}:{s.number}" for s in course.standards),
    }


def _clean_url(url: str | None) -> str | None:
    url = (url or "").strip()
    if not url:
        return None
    # Only web addresses: anything else (javascript:, data:) would run in the reader's browser.
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", url, re.IGNORECASE):
        raise CatalogueError("Enter a web address starting with https://, like https://www.example.org/course",
                             "link_url")
    return url


def _clean_external_id(value: str | None, current: Course | None) -> str | None:
    """The e-learning platform's id, unique across courses: imports match it exactly."""
    value = (value or "").strip()
    if not value:
        return None
    if len(value) > 200:
        raise CatalogueError("The e-learning platform id must be 200 characters or fewer", "external_id")
    holder = db.session.scalar(select(Course).where(Course.external_id == value))
    if holder is not None and holder is not current:
        raise CatalogueError(f"The e-learning platform id is already given to ‘{holder.title}’; "
                             "each course needs its own", "external_id")
    return value


def _resolve(details: CourseDetails, *, new: bool, current: Course | None = None) -> dict:
    """Check the details against the database and return the values to set."""
    title = (details.title or "").strip()
    if not title:
        raise CatalogueError("Enter the course title", "title")
    section = db.session.get(Section, details.section_id) if details.section_id else None
    if section is None:
        raise CatalogueError("Choose the section of the offer the course belongs to", "section")
    keeps_section = current is not None and current.section_id == section.id
    if section.retired and not keeps_section:
        raise CatalogueError(f"The section ‘{section.title}’ is retired; choose a live section", "section")
    group = None
    if details.group_id:
        group = db.session.get(CourseGroup, details.group_id)
        if group is None:
            raise CatalogueError("Choose a course group from the list", "group")
        if group.section_id != section.id:
            raise CatalogueError(f"The group ‘{group.title}’ is part of ‘{group.section.title}’, not "
                                 f"‘{section.title}’; choose a group of the same section, or no group", "group")
    if details.status is not None and details.status not in EDITABLE_STATUSES:
        raise CatalogueError("Choose whether the course is available or in development", "status")
    if new and details.status is None:
        raise CatalogueError("Choose whether the course is available or in development", "status")
    if details.parts is None or details.parts < 1:
        raise CatalogueError("The number of parts must be 1 or more", "parts")
    if details.module_number is not None and details.module_number < 1:
        raise CatalogueError("The ASYE module number must be 1 or more", "module_number")

    methods = _rows_by_key(DeliveryMethod, DeliveryMethod.code, details.delivery_methods,
                           "Choose delivery methods from the list", "delivery_methods")
    audiences = _rows_by_key(Audience, Audience.code, details.audiences,
                             "Choose audiences from the list", "audiences")
    if not audiences:
        raise CatalogueError("Choose who the course is for", "audiences")
    standards = _rows_by_key(FrameworkStandard, FrameworkStandard.id, details.standard_ids,
                             "Choose standards from the list", "standards")
    external_id = _clean_external_id(details.external_id, current)
    values = {
        "title": title, "section": section, "group": group,
        "summary": (details.summary or "").strip(), "description": (details.description or "").strip(),
        "provider": (details.provider or "").strip(), "parts": details.parts,
        "module_number": details.module_number, "link_url": _clean_url(details.link_url),
        "external_id": external_id,
        "default_note": (details.default_note or "").strip(),
        "delivery_methods": methods, "audiences": audiences, "standards": standards,
    }
    if details.status is not None:
        values["status"] = details.status
    return values


def _rows_by_key(model, column, keys, message: str, field_name: str) -> list:
    keys = list(dict.fromkeys(keys or []))
    if not keys:
        return []
    rows = {getattr(row, column.key): row for row in db.session.scalars(select(model).where(column.in_(keys)))}
    if len(rows) != len(keys):
        raise CatalogueError(message, field_name)
    return [rows[key] for key in keys]


def _next_position(model, *criteria) -> int:
    return (db.session.scalar(select(func.max(model.position)).where(*criteria)) or 0) + 1


def _next_course_position(section, group) -> int:
    """The end of the course list in a section's group (or among its ungrouped courses)."""
    return _next_position(Course, Course.section_id == section.id,
                          Course.group_id == group.id if group else Course.group_id.is_(None))


def create_course(details: CourseDetails, actor) -> Course:
    """A new course made in the app (never overwritten by the seed loader)."""
    values = _resolve(details, new=True)
    course = Course(slug=unique_slug(Course, values["title"], "course"), from_seed=False,
                    position=_next_course_position(values["section"], values["group"]))
    for key, value in values.items():
        setattr(course, key, value)
    db.session.add(course)
    db.session.flush()
    audit.record("course.created", "course", course.id, actor=actor,
                 summary=f"Added the course ‘{course.title}’.", after=course_snapshot(course))
    db.session.flush()
    return course


def update_course(course: Course, details: CourseDetails, actor) -> bool:
    """Change a course's details; True when anything changed. The slug stays, so links keep working."""
    values = _resolve(details, new=False, current=course)
    before = course_snapshot(course)
    if values["section"].id != course.section_id or (values["group"] is not course.group):
        course.position = _next_course_position(values["section"], values["group"])
    for key, value in values.items():
        if getattr(course, key) != value:
            setattr(course, key, value)
    after = course_snapshot(course)
    if before == after:
        return False
    course.from_seed = False  # edited here, the course is the OD team's: loading the offer leaves it alone
    changed_before, changed_after = audit.changes(before, after)
    audit.record("course.updated", "course", course.id, actor=actor,
                 summary=f"Changed the course ‘{course.title}’ ({', '.join(changed_after)}).",
                 before=changed_before, after=changed_after)
    db.session.flush()
    return True


def retire_course(course: Course, actor) -> None:
    """Hide a course from staff. It is never deleted: completions and bookings keep their history."""
    if course.status == RETIRED:
        raise CatalogueError(f"‘{course.title}’ is already retired")
    before = course.status
    course.status = RETIRED
    course.from_seed = False
    audit.record("course.retired", "course", course.id, actor=actor,
                 summary=f"Retired the course ‘{course.title}’.", before={"status": before},
                 after={"status": RETIRED})
    db.session.flush()


def reinstate_course(course: Course, status: str, actor) -> None:
    if course.status != RETIRED:
        raise CatalogueError(f"‘{course.title}’ is not retired")
    if status not in EDITABLE_STATUSES:
        raise CatalogueError("Choose whether the course is available or in development", "status")
    if course.section.retired:
        raise CatalogueError(f"The course is in the retired section ‘{course.section.title}’; "
                             f"reinstate the section first, or move the course to a live section")
    course.status = status
    course.from_seed = False
    audit.record("course.reinstated", "course", course.id, actor=actor,
                 summary=f"Reinstated the course ‘{course.title}’.", before={"status": RETIRED},
                 after={"status": status})
    db.session.flush()


# ---------------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------------

@dataclass
class SectionDetails:
    title: str
    purpose: str = ""
    description: str = ""


def section_snapshot(section: Section) -> dict:
    return {"title": section.title, "purpose": section.purpose, "description": section.description,
            "position": section.position, "retired": section.retired}


def _section_values(details: SectionDetails) -> dict:
    title = (details.title or "").strip()
    if not title:
        raise CatalogueError("Enter the section title", "title")
    purpose = (details.purpose or "").strip()
    if not purpose:
        raise CatalogueError("Enter the purpose of the section", "purpose")
    return {"title": title, "purpose": purpose, "description": (details.description or "").strip()}


def create_section(details: SectionDetails, actor) -> Section:
    values = _section_values(details)
    section = Section(slug=unique_slug(Section, values["title"], "section"),
                      position=_next_position(Section), retired=False, **values)
    db.session.add(section)
    db.session.flush()
    audit.record("section.created", "section", section.id, actor=actor,
                 summary=f"Added the section ‘{section.title}’.", after=section_snapshot(section))
    db.session.flush()
    return section


def update_section(section: Section, details: SectionDetails, actor) -> bool:
    values = _section_values(details)
    before = section_snapshot(section)
    for key, value in values.items():
        if getattr(section, key) != value:
            setattr(section, key, value)
    after = section_snapshot(section)
    if before == after:
        return False
    section.from_seed = False
    changed_before, changed_after = audit.changes(before, after)
    audit.record("section.updated", "section", section.id, actor=actor,
                 summary=f"Changed the section ‘{section.title}’ ({', '.join(changed_after)}).",
                 before=changed_before, after=changed_after)
    db.session.flush()
    return True


def retire_section(section: Section, actor) -> None:
    """Hide a section, and with it its courses, from staff. Nothing is deleted."""
    if section.retired:
        raise CatalogueError(f"‘{section.title}’ is already retired")
    section.retired = True
    section.from_seed = False
    audit.record("section.retired", "section", section.id, actor=actor,
                 summary=f"Retired the section ‘{section.title}’.", before={"retired": False},
                 after={"retired": True})
    db.session.flush()


def reinstate_section(section: Section, actor) -> None:
    if not section.retired:
        raise CatalogueError(f"‘{section.title}’ is not retired")
    section.retired = False
    section.from_seed = False
    audit.record("section.reinstated", "section", section.id, actor=actor,
                 summary=f"Reinstated the section ‘{section.title}’.", before={"retired": True},
                 after={"retired": False})
    db.session.flush()
