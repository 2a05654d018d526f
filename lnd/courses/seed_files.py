"""Reading and checking the seed folder's YAML files (no database access).

Every problem raises SeedError naming the file and the entry, so that a mistake in the YAML
changes nothing: lnd.courses.seed reads everything through here before it writes anything.
"""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from lnd.core.dates import Period
from lnd.courses.models import ACTIVE, AUTHORISATION_RULES, IN_DEVELOPMENT

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


class SeedError(Exception):
    """The seed folder cannot be loaded; the message says which file and entry, and why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message




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


def read_reference(seed_dir: Path) -> tuple[list[dict], list[dict]]:
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


def read_frameworks(seed_dir: Path) -> list[dict]:
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


def read_offer(seed_dir: Path, methods: set[str], audiences: set[str],
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
