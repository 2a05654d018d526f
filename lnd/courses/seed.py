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

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from lnd.core import audit
from lnd.core.dates import Period
from lnd.courses.models import (
    ACTIVE, AUTHORISATION_RULES, IN_DEVELOPMENT, RETIRED, Audience, Course, CourseGroup, DeliveryMethod,
    Framework, FrameworkStandard, Section,
)
from lnd.extensions import db

SEED_STATUSES = (ACTIVE, IN_DEVELOPMENT)
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COLOURS = (None, "blue", "orange")

SECTION_KEYS = {"slug", "title", "position", "purpose", "description", "groups", "courses"}
GROUP_KEYS = {"slug", "title", "position", "window", "colour", "authorisation", "description", "courses"}
COURSE_KEYS = {"slug", "title", "position", "group", "delivery_methods", "provider", "status", "parts",
               "audiences", "summary", "description", "default_note", "standards", "module_number", "link_url"}
FRAMEWORK_KEYS = {"code", "title", "description", "valid_from", "valid_until", "standards"}
STANDARD_KEYS = {"number", "short_name", "title", "description"}
METHOD_KEYS = {"code", "label", "has_sessions", "position"}
AUDIENCE_KEYS = {"code", "label", "position"}

# The course fields compared and written by the loader, in the order they appear in audit rows.
COURSE_FIELDS = ("title", "section", "group", "summary", "description", "provider", "status", "parts",
                 "module_number", "link_url", "default_note", "position", "delivery_methods", "audiences",
                 "standards")


class SeedError(Exception):
    """The seed folder cannot be loaded; the message says which file and entry, and why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


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
# Reading and checking the YAML (no database writes)
# ---------------------------------------------------------------------------------------------

def _read_yaml(path: Path, name: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SeedError(f"The seed file {name} is missing (looked for {path}).") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error)
        raise SeedError(f"{name} is not valid YAML{where}: {problem}.") from None


def _check_keys(entry: Any, allowed: set[str], where: str, required: tuple[str, ...]) -> dict:
    if not isinstance(entry, dict):
        raise SeedError(f"{where} should be a mapping of fields, not {type(entry).__name__}.")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise SeedError(f"{where} has unknown field(s) {', '.join(unknown)}; allowed fields are "
                        f"{', '.join(sorted(allowed))}.")
    for key in required:
        value = entry.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            raise SeedError(f"{where} needs a {key}.")
    return entry


def _check_slug(slug: str, where: str) -> str:
    if not SLUG.fullmatch(slug):
        raise SeedError(f"{where}: the slug '{slug}' should use only lower-case letters, digits and hyphens.")
    return slug


def _text(entry: dict, key: str, where: str, default: str = "") -> str:
    value = entry.get(key)
    if value is None:
        return default
    if not isinstance(value, (str, int, float)) or isinstance(value, bool):
        raise SeedError(f"{where}: {key} should be text.")
    return str(value).strip()


def _int(entry: dict, key: str, where: str, default: int | None, minimum: int | None = None) -> int | None:
    value = entry.get(key)
    if value is None:
        return default
    if not isinstance(value, int) or isinstance(value, bool):
        raise SeedError(f"{where}: {key} should be a whole number, not {value!r}.")
    if minimum is not None and value < minimum:
        raise SeedError(f"{where}: {key} should be at least {minimum}, not {value}.")
    return value


def _codes(entry: dict, key: str, where: str, known: set[str], what: str) -> list[str]:
    value = entry.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SeedError(f"{where}: {key} should be a list of codes, e.g. [e_learning].")
    for code in value:
        if code not in known:
            raise SeedError(f"{where} uses unknown {what} '{code}'. Known {what}s: {', '.join(sorted(known))}.")
    if len(set(value)) != len(value):
        raise SeedError(f"{where} lists the same {what} twice in {key}.")
    return list(value)


def _date(entry: dict, key: str, where: str) -> date | None:
    value = entry.get(key)
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SeedError(f"{where}: {key} should be a date such as 2027-03-31, not {value!r}.") from None


def _list(value: Any, where: str, what: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list):
        raise SeedError(f"{where}: {what} should be a list.")
    return value


def _read_reference(seed_dir: Path) -> tuple[list[dict], list[dict]]:
    name = "reference.yaml"
    data = _read_yaml(seed_dir / name, name) or {}
    _check_keys(data, {"delivery_methods", "audiences"}, name, ())
    result = []
    for kind, keys in (("delivery_methods", METHOD_KEYS), ("audiences", AUDIENCE_KEYS)):
        rows, seen = [], set()
        for index, entry in enumerate(_list(data.get(kind), name, kind), start=1):
            where = f"{name}: {kind} entry {index}"
            _check_keys(entry, keys, where, ("code", "label"))
            code = str(entry["code"])
            if code in seen:
                raise SeedError(f"{name}: the {kind.replace('_', ' ')} code '{code}' appears twice.")
            seen.add(code)
            row = {"code": code, "label": _text(entry, "label", where),
                   "position": _int(entry, "position", where, index)}
            if kind == "delivery_methods":
                has_sessions = entry.get("has_sessions", False)
                if not isinstance(has_sessions, bool):
                    raise SeedError(f"{where}: has_sessions should be true or false.")
                row["has_sessions"] = has_sessions
            rows.append(row)
        result.append(rows)
    return result[0], result[1]


def _read_frameworks(seed_dir: Path) -> list[dict]:
    frameworks, seen = [], {}
    folder = seed_dir / "frameworks"
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        name = f"frameworks/{path.name}"
        entry = _check_keys(_read_yaml(path, name), FRAMEWORK_KEYS, name, ("code", "title"))
        code = str(entry["code"])
        if code in seen:
            raise SeedError(f"{name}: framework code '{code}' is already used by {seen[code]}.")
        seen[code] = name
        standards, numbers = [], set()
        for index, std in enumerate(_list(entry.get("standards"), name, "standards"), start=1):
            where = f"{name}: standard entry {index}"
            _check_keys(std, STANDARD_KEYS, where, ("number", "title"))
            number = _int(std, "number", where, None, minimum=1)
            if number in numbers:
                raise SeedError(f"{name}: standard number {number} appears twice.")
            numbers.add(number)
            standards.append({"number": number, "title": _text(std, "title", where),
                              "short_name": _text(std, "short_name", where, f"{code} {number}"),
                              "description": _text(std, "description", where)})
        frameworks.append({"code": code, "title": _text(entry, "title", name),
                           "description": _text(entry, "description", name),
                           "valid_from": _date(entry, "valid_from", name),
                           "valid_until": _date(entry, "valid_until", name), "standards": standards})
    return frameworks


def _read_offer(seed_dir: Path, methods: set[str], audiences: set[str],
                standards: set[tuple[str, int]]) -> tuple[list[dict], list[dict], list[dict]]:
    name = "offer.yaml"
    data = _check_keys(_read_yaml(seed_dir / name, name) or {}, {"sections"}, name, ("sections",))
    sections, groups, courses = [], [], []
    section_where: dict[str, str] = {}
    group_where: dict[str, str] = {}
    course_where: dict[str, str] = {}

    def read_course(entry: Any, where: str, section: str, group: str | None, section_groups: set[str],
                    position: int) -> None:
        if isinstance(entry, dict) and entry.get("slug"):
            where = f"{name}: course '{entry['slug']}' ({where})"
        else:
            where = f"{name}: course {where}"
        _check_keys(entry, COURSE_KEYS, where, ("slug", "title"))
        slug = _check_slug(str(entry["slug"]), where)
        if slug in course_where:
            raise SeedError(f"{name}: the course slug '{slug}' is used twice ({course_where[slug]} and {where}).")
        course_where[slug] = where
        if "group" in entry:
            if group is not None:
                raise SeedError(f"{where} sits inside a group, so it cannot also name a group.")
            group = entry["group"]
            if group is not None and group not in section_groups:
                raise SeedError(f"{where} names unknown group '{group}'; the groups of section '{section}' "
                                f"are {', '.join(sorted(section_groups)) or 'none'}.")
        status = entry.get("status", ACTIVE)
        if status not in SEED_STATUSES:
            raise SeedError(f"{where} has status '{status}'; use one of {', '.join(SEED_STATUSES)} "
                            f"(remove a course from the file to retire it).")
        refs = []
        for ref in _list(entry.get("standards"), where, "standards"):
            code, _, number = str(ref).partition(":")
            if not number.strip().isdigit():
                raise SeedError(f"{where}: standard '{ref}' should look like 'kss-child-family:1'.")
            key = (code.strip(), int(number))
            if key not in standards:
                raise SeedError(f"{where} refers to standard '{ref}', which no framework in "
                                f"seed/frameworks defines.")
            refs.append(key)
        courses.append({
            "slug": slug, "_where": where, "section": section, "group": group,
            "title": _text(entry, "title", where),
            "summary": _text(entry, "summary", where),
            "description": _text(entry, "description", where),
            "provider": _text(entry, "provider", where),
            "status": status,
            "parts": _int(entry, "parts", where, 1, minimum=1),
            "module_number": _int(entry, "module_number", where, None, minimum=1),
            "link_url": _text(entry, "link_url", where) or None,
            "default_note": _text(entry, "default_note", where),
            "position": _int(entry, "position", where, position),
            "delivery_methods": _codes(entry, "delivery_methods", where, methods, "delivery method"),
            "audiences": _codes(entry, "audiences", where, audiences, "audience"),
            "standards": sorted(set(refs)),
        })

    for s_index, entry in enumerate(_list(data["sections"], name, "sections"), start=1):
        slug = str(entry.get("slug")) if isinstance(entry, dict) and entry.get("slug") else None
        where = f"{name}: section '{slug}'" if slug else f"{name}: section entry {s_index}"
        _check_keys(entry, SECTION_KEYS, where, ("slug", "title"))
        _check_slug(slug, where)
        if slug in section_where:
            raise SeedError(f"{name}: the section slug '{slug}' is used twice.")
        section_where[slug] = where
        sections.append({"slug": slug, "title": _text(entry, "title", where),
                         "purpose": _text(entry, "purpose", where),
                         "description": _text(entry, "description", where),
                         "position": _int(entry, "position", where, s_index)})
        raw_groups = _list(entry.get("groups"), where, "groups")
        section_groups = {str(g.get("slug")) for g in raw_groups if isinstance(g, dict)}
        for g_index, g_entry in enumerate(raw_groups, start=1):
            g_slug = str(g_entry["slug"]) if isinstance(g_entry, dict) and g_entry.get("slug") else None
            g_where = (f"{name}: group '{g_slug}' (section '{slug}')" if g_slug
                       else f"{where}, group entry {g_index}")
            _check_keys(g_entry, GROUP_KEYS, g_where, ("slug", "title"))
            _check_slug(g_slug, g_where)
            if g_slug in group_where:
                raise SeedError(f"{name}: the group slug '{g_slug}' is used twice ({group_where[g_slug]} and {g_where}).")
            group_where[g_slug] = g_where
            window = None
            if g_entry.get("window") is not None:
                try:
                    window = Period.parse(g_entry["window"])
                except ValueError as error:
                    raise SeedError(f"{g_where} has a bad window: {error}") from None
            colour = g_entry.get("colour")
            if colour not in COLOURS:
                raise SeedError(f"{g_where} has colour '{colour}'; use blue, orange or null.")
            authorisation = g_entry.get("authorisation", "none")
            if authorisation not in AUTHORISATION_RULES:
                raise SeedError(f"{g_where} has authorisation '{authorisation}'; use one of "
                                f"{', '.join(AUTHORISATION_RULES)}.")
            groups.append({"slug": g_slug, "section": slug, "title": _text(g_entry, "title", g_where),
                           "description": _text(g_entry, "description", g_where), "colour": colour,
                           "window_amount": window.amount if window else None,
                           "window_unit": window.unit if window else None,
                           "authorisation": authorisation, "position": _int(g_entry, "position", g_where, g_index)})
            for c_index, c_entry in enumerate(_list(g_entry.get("courses"), g_where, "courses"), start=1):
                read_course(c_entry, f"section '{slug}', group '{g_slug}', entry {c_index}", slug, g_slug,
                            section_groups, c_index)
        for c_index, c_entry in enumerate(_list(entry.get("courses"), where, "courses"), start=1):
            read_course(c_entry, f"section '{slug}', entry {c_index}", slug, None, section_groups, c_index)
    return sections, groups, courses


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
    methods, audiences = _read_reference(seed_dir)
    frameworks = _read_frameworks(seed_dir)
    known_standards = {(code, s.number) for code, f in existing.frameworks.items() for s in f.standards}
    known_standards |= {(f["code"], s["number"]) for f in frameworks for s in f["standards"]}
    sections, groups, courses = _read_offer(
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
