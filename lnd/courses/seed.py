"""Loading the offer from the seed folder (YAML) into the database.

    seed/reference.yaml          delivery methods and audiences
    seed/frameworks/*.yaml       frameworks of standards (one file each, e.g. the KSS)
    seed/offer.yaml              sections, course groups and courses

Loading is idempotent: every row is matched by its slug or code and only changed fields are written,
so a second run reports nothing created or updated. A course, group or section that has left the YAML
is retired, never deleted (completions and bookings keep their history). Courses and sections created
or changed by the OD team in the app (from_seed False) are theirs: the loader leaves them as they are. The whole seed folder is read and checked before anything is
written, so a mistake in the YAML raises SeedError and changes nothing. The loader flushes but never
commits: the caller (the CLI command) owns the transaction.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from lnd.core import audit
from lnd.courses.models import (
    RETIRED, Audience, Course, CourseGroup, DeliveryMethod, Framework, FrameworkStandard, Section,
)
from lnd.courses.seed_files import SeedError, read_frameworks, read_offer, read_reference
from lnd.extensions import db

__all__ = ["SeedError", "SeedResult", "load_offer"]

# The course fields compared and written by the loader, in the order they appear in audit rows.
COURSE_FIELDS = ("title", "section", "group", "summary", "description", "provider", "status", "parts",
                 "module_number", "link_url", "default_note", "position", "delivery_methods", "audiences",
                 "standards")


@dataclass
class SeedResult:
    """What a load did, counted per kind of row (course, section, group, framework, …)."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    retired: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)  # changed by the OD team in the app: left as they are

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) + sum(self.updated.values()) + sum(self.retired.values()))

    def count(self, kind: str) -> dict[str, int]:
        return {"created": self.created[kind], "updated": self.updated[kind],
                "retired": self.retired[kind], "unchanged": self.unchanged[kind], "kept": self.kept[kind]}

    def __str__(self) -> str:
        kinds = ("course", "group", "section", "delivery_method", "audience", "framework", "standard")
        parts = []
        for kind in kinds:
            c = self.count(kind)
            if any(c.values()):
                parts.append(f"{kind.replace('_', ' ')}s: {c['created']} created, {c['updated']} updated, "
                             f"{c['retired']} retired, {c['unchanged']} unchanged"
                             + (f", {c['kept']} kept as changed in the app" if c["kept"] else ""))
        return "; ".join(parts) or "nothing to load"


# ---------------------------------------------------------------------------------------------
# Writing (set-based: everything that exists is loaded in a few queries up front)
# ---------------------------------------------------------------------------------------------

@dataclass
class _Existing:
    methods: dict[str, DeliveryMethod]
    audiences: dict[str, Audience]
    frameworks: dict[str, Framework]
    sections: dict[str, Section]
    groups: dict[str, CourseGroup]
    courses: dict[str, Course]

    @classmethod
    def load(cls) -> "_Existing":
        session = db.session
        return cls(
            methods={m.code: m for m in session.scalars(select(DeliveryMethod))},
            audiences={a.code: a for a in session.scalars(select(Audience))},
            frameworks={f.code: f for f in session.scalars(select(Framework)).unique()},
            sections={s.slug: s for s in session.scalars(select(Section))},
            groups={g.slug: g for g in session.scalars(select(CourseGroup)).unique()},
            courses={c.slug: c for c in session.scalars(select(Course)).unique()},
        )


def _sync(obj: Any, values: dict) -> bool:
    """Set the fields that differ; True when anything changed."""
    changed = False
    for key, value in values.items():
        if getattr(obj, key) != value:
            setattr(obj, key, value)
            changed = True
    return changed


def _upsert(kind: str, existing: dict, key: str, specs: list[dict], make, result: SeedResult) -> None:
    for spec in specs:
        row = existing.get(spec[key])
        if row is not None and getattr(row, "from_seed", True) is False:
            result.kept[kind] += 1
            continue
        if row is None:
            row = make(**spec)
            db.session.add(row)
            existing[spec[key]] = row
            result.created[kind] += 1
        elif _sync(row, spec):
            result.updated[kind] += 1
        else:
            result.unchanged[kind] += 1


def _sync_frameworks(specs: list[dict], existing: _Existing, result: SeedResult) -> dict:
    by_key: dict[tuple[str, int], FrameworkStandard] = {}
    for framework in existing.frameworks.values():
        for standard in framework.standards:
            by_key[(framework.code, standard.number)] = standard
    for spec in specs:
        values = {k: spec[k] for k in ("title", "description", "valid_from", "valid_until")}
        framework = existing.frameworks.get(spec["code"])
        if framework is None:
            framework = Framework(code=spec["code"], **values)
            db.session.add(framework)
            existing.frameworks[spec["code"]] = framework
            result.created["framework"] += 1
        elif _sync(framework, values):
            result.updated["framework"] += 1
        else:
            result.unchanged["framework"] += 1
        for std in spec["standards"]:
            values = {k: std[k] for k in ("short_name", "title", "description")}
            standard = by_key.get((spec["code"], std["number"]))
            if standard is None:
                standard = FrameworkStandard(number=std["number"], **values)
                framework.standards.append(standard)
                by_key[(spec["code"], std["number"])] = standard
                result.created["standard"] += 1
            elif _sync(standard, values):
                result.updated["standard"] += 1
            else:
                result.unchanged["standard"] += 1
    return by_key


def _snapshot(course: Course) -> dict:
    """The loader's view of a course, for comparison and for the audit log."""
    return {
        "title": course.title, "section": course.section.slug if course.section else None,
        "group": course.group.slug if course.group else None, "summary": course.summary,
        "description": course.description, "provider": course.provider, "status": course.status,
        "parts": course.parts, "module_number": course.module_number, "link_url": course.link_url,
        "default_note": course.default_note, "position": course.position,
        "delivery_methods": sorted(m.code for m in course.delivery_methods),
        "audiences": sorted(a.code for a in course.audiences),
        "standards": sorted(f"{s.framework.code}:{s.number}" for s in course.standards),
    }


def _wanted(spec: dict) -> dict:
    wanted = {key: spec[key] for key in COURSE_FIELDS}
    wanted["delivery_methods"] = sorted(spec["delivery_methods"])
    wanted["audiences"] = sorted(spec["audiences"])
    wanted["standards"] = sorted(f"{code}:{number}" for code, number in spec["standards"])
    return wanted


def _apply_course(course: Course, spec: dict, existing: _Existing, standards: dict) -> None:
    scalars = ("title", "summary", "description", "provider", "status", "parts", "module_number",
               "link_url", "default_note", "position")
    _sync(course, {key: spec[key] for key in scalars})
    course.from_seed = True
    section = existing.sections[spec["section"]]
    if course.section is not section:
        course.section = section
    group = existing.groups[spec["group"]] if spec["group"] else None
    if course.group is not group:
        course.group = group
    if sorted(m.code for m in course.delivery_methods) != sorted(spec["delivery_methods"]):
        course.delivery_methods = [existing.methods[code] for code in spec["delivery_methods"]]
    if sorted(a.code for a in course.audiences) != sorted(spec["audiences"]):
        course.audiences = [existing.audiences[code] for code in spec["audiences"]]
    wanted_standards = [standards[key] for key in spec["standards"]]
    if {id(s) for s in course.standards} != {id(s) for s in wanted_standards}:
        course.standards = wanted_standards


def _retire_missing(existing: _Existing, section_slugs: set[str], group_slugs: set[str],
                    course_slugs: set[str], result: SeedResult, audit_rows: list) -> None:
    for slug, course in existing.courses.items():
        if course.from_seed and slug not in course_slugs and course.status != RETIRED:
            audit_rows.append(("course.retired", course, {"status": course.status}, {"status": RETIRED},
                               f"Seed retired the course ‘{course.title}’ (no longer in offer.yaml)."))
            course.status = RETIRED
            result.retired["course"] += 1
    # Sections and groups OD created in the app are theirs; only seeded ones follow the YAML.
    for slug, group in existing.groups.items():
        if group.from_seed and slug not in group_slugs and not group.retired:
            group.retired = True
            result.retired["group"] += 1
    for slug, section in existing.sections.items():
        if section.from_seed and slug not in section_slugs and not section.retired:
            section.retired = True
            result.retired["section"] += 1


def load_offer(seed_dir: str | Path, actor=None) -> SeedResult:
    """Load or update the offer from `seed_dir`. Flushes; the caller commits (or rolls back)."""
    seed_dir = Path(seed_dir)
    existing = _Existing.load()

    # 1. Read and check every file before writing anything.
    methods, audiences = read_reference(seed_dir)
    frameworks = read_frameworks(seed_dir)
    known_standards = {(code, s.number) for code, f in existing.frameworks.items() for s in f.standards}
    known_standards |= {(f["code"], s["number"]) for f in frameworks for s in f["standards"]}
    sections, groups, courses = read_offer(
        seed_dir, {m["code"] for m in methods} | set(existing.methods),
        {a["code"] for a in audiences} | set(existing.audiences), known_standards)

    # 2. Write.
    result = SeedResult()
    with db.session.no_autoflush:
        _upsert("delivery_method", existing.methods, "code", methods, DeliveryMethod, result)
        _upsert("audience", existing.audiences, "code", audiences, Audience, result)
        standards = _sync_frameworks(frameworks, existing, result)
        _upsert("section", existing.sections, "slug",
                [{**s, "retired": False, "from_seed": True} for s in sections], Section, result)
        group_specs = [{**{k: v for k, v in g.items() if k != "section"},
                        "section": existing.sections[g["section"]], "retired": False, "from_seed": True}
                       for g in groups]
        _upsert("group", existing.groups, "slug", group_specs, CourseGroup, result)

        audit_rows: list[tuple[str, Course, dict | None, dict | None, str]] = []
        for spec in courses:
            course = existing.courses.get(spec["slug"])
            if course is not None and not course.from_seed:
                result.kept["course"] += 1  # the OD team created or changed it in the app
                continue
            wanted = _wanted(spec)
            if course is None:
                course = Course(slug=spec["slug"])
                _apply_course(course, spec, existing, standards)
                db.session.add(course)
                existing.courses[spec["slug"]] = course
                result.created["course"] += 1
                audit_rows.append(("course.created", course, None, wanted,
                                   f"Seed added the course ‘{spec['title']}’."))
                continue
            before = _snapshot(course)
            if before == wanted:
                result.unchanged["course"] += 1
                continue
            _apply_course(course, spec, existing, standards)
            result.updated["course"] += 1
            changed_before, changed_after = audit.changes(before, wanted)
            audit_rows.append(("course.updated", course, changed_before, changed_after,
                               f"Seed updated the course ‘{spec['title']}’ "
                               f"({', '.join(changed_after) or 'restored'})."))

        _retire_missing(existing, {s["slug"] for s in sections}, {g["slug"] for g in groups},
                        {c["slug"] for c in courses}, result, audit_rows)

    db.session.flush()  # new courses get their ids before the audit rows name them
    for action, course, before, after, summary in audit_rows:
        audit.record(action, "course", course.id, actor=actor, summary=summary, before=before, after=after)
    db.session.flush()
    return result
