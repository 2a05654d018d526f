"""Load the requirement rules from seed/requirements.yaml (idempotent; matched by slug).

Every entry is checked before anything is written, and a mistake raises SeedError naming the entry.
Requirements missing from the file are retired, never deleted."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from lnd.compliance import rules
from lnd.compliance.models import Requirement
from lnd.core import audit
from lnd.core.dates import Period
from lnd.courses.models import Course, CourseGroup
from lnd.courses.seed_files import SeedError, _check_keys, _check_slug, _read_yaml, _text
from lnd.extensions import db
from lnd.people.models import JobRole, Team

FILE = "requirements.yaml"
FIELDS = {"slug", "title", "description", "group", "courses", "except", "who", "job_roles", "teams", "within",
          "renewal", "starts_on", "default_note"}


@dataclass
class RequirementsResult:
    created: int = 0
    updated: int = 0
    retired: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return (f"requirements: {self.created} created, {self.updated} updated, {self.retired} retired, "
                f"{self.unchanged} unchanged")


def _period(entry: dict, key: str, where: str) -> Period | None:
    value = entry.get(key)
    if value is None:
        return None
    try:
        period = Period.parse(value)
    except ValueError as error:
        raise SeedError(f"{where}: {key} {error}") from None
    if period.amount == 0:
        raise SeedError(f"{where}: {key} should be longer than nothing.")
    return period


def _day(value, where: str) -> date | None:
    if value is None or (isinstance(value, date)):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise SeedError(f"{where}: '{value}' is not a date such as 2025-04-01.") from None


def _names(entry: dict, key: str, where: str, known: dict, what: str) -> list:
    value = entry.get(key) or []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SeedError(f"{where}: {key} should be a list of {what}s.")
    unknown = [v for v in value if v not in known]
    if unknown:
        raise SeedError(f"{where} names unknown {what}(s): {', '.join(unknown)}.")
    return [known[v] for v in value]


def read_requirements(seed_dir: Path) -> tuple[date | None, list[dict]]:
    data = _read_yaml(seed_dir / FILE, FILE) or {}
    if not isinstance(data, dict) or not isinstance(data.get("requirements"), list):
        raise SeedError(f"{FILE} should have a list of requirements.")
    starts_on = _day(data.get("rules_start_on"), f"{FILE} rules_start_on")
    entries, seen = [], set()
    for number, entry in enumerate(data["requirements"], start=1):
        where = f"{FILE} requirement {number}"
        _check_keys(entry, FIELDS, where, ("slug", "title", "group", "who", "within"))
        slug = _check_slug(str(entry["slug"]), where)
        where = f"{FILE} requirement '{slug}'"
        if slug in seen:
            raise SeedError(f"{where} appears twice.")
        seen.add(slug)
        if entry["who"] not in rules.AUDIENCES:
            raise SeedError(f"{where}: who should be one of {', '.join(rules.AUDIENCES)}.")
        if entry.get("courses") and entry.get("except"):
            raise SeedError(f"{where}: give either courses or except, not both.")
        entries.append({
            "slug": slug, "title": _text(entry, "title", where), "description": _text(entry, "description", where),
            "default_note": _text(entry, "default_note", where), "group": str(entry["group"]),
            "courses": entry.get("courses") or [], "except": entry.get("except") or [], "who": entry["who"],
            "job_roles": entry.get("job_roles") or [], "teams": entry.get("teams") or [],
            "within": _period(entry, "within", where), "renewal": _period(entry, "renewal", where),
            "starts_on": _day(entry.get("starts_on"), where) or starts_on, "where": where, "position": number,
        })
    return starts_on, entries


def _resolve(entry: dict, groups: dict, courses: dict, roles: dict, teams: dict) -> dict:
    where = entry["where"]
    group = groups.get(entry["group"])
    if group is None:
        raise SeedError(f"{where} names an unknown course group '{entry['group']}'.")
    if group.window is not None and group.window != entry["within"]:
        raise SeedError(f"{where} says within {entry['within']}, but offer.yaml gives the group "
                        f"'{group.slug}' {group.window}: make them agree.")
    named = _names(entry, "courses", where, courses, "course")
    excluded = _names(entry, "except", where, courses, "course")
    for course in named + excluded:
        if course.group_id != group.id:
            raise SeedError(f"{where}: the course '{course.slug}' is not in the group '{group.slug}'.")
    job_roles = _names(entry, "job_roles", where, roles, "job role")
    team_rows = _names(entry, "teams", where, teams, "team")
    if entry["who"] == rules.JOB_ROLES and not job_roles:
        raise SeedError(f"{where}: name the job_roles it applies to.")
    if entry["who"] == rules.TEAMS and not team_rows:
        raise SeedError(f"{where}: name the teams it applies to.")
    renewal = entry["renewal"]
    return {
        "title": entry["title"], "description": entry["description"], "default_note": entry["default_note"],
        "group_id": group.id, "whole_group": not named, "audience": entry["who"],
        "window_amount": entry["within"].amount, "window_unit": entry["within"].unit,
        "renewal_amount": renewal.amount if renewal else None, "renewal_unit": renewal.unit if renewal else None,
        "starts_on": entry["starts_on"], "position": entry["position"], "retired": False,
        "courses": named, "excluded_courses": excluded, "job_roles": job_roles, "teams": team_rows,
    }


def _snapshot(values: dict) -> dict:
    # Lists compare as sets: the database hands related rows back in no particular order.
    return {k: (sorted(getattr(v, "slug", None) or getattr(v, "name", None) for v in value)
                if isinstance(value, list) else (value.isoformat() if isinstance(value, date) else value))
            for k, value in values.items()}


def load_requirements(seed_dir: str | Path, actor=None) -> RequirementsResult:
    """Create or update the requirement rules. Flushes; the caller commits."""
    _, entries = read_requirements(Path(seed_dir))
    groups = {g.slug: g for g in db.session.scalars(select(CourseGroup))}
    courses = {c.slug: c for c in db.session.scalars(select(Course))}
    roles = {r.name: r for r in db.session.scalars(select(JobRole))}
    teams = {t.name: t for t in db.session.scalars(select(Team))}
    existing = {r.slug: r for r in db.session.scalars(select(Requirement))}
    wanted = [(entry["slug"], _resolve(entry, groups, courses, roles, teams)) for entry in entries]

    result = RequirementsResult()
    for slug, values in wanted:
        requirement = existing.get(slug)
        if requirement is None:
            requirement = Requirement(slug=slug, from_seed=True, **values)
            db.session.add(requirement)
            result.created += 1
            audit.record("requirement.created", "requirement", slug, actor=actor, after=_snapshot(values))
            continue
        before = {k: getattr(requirement, k) for k in values}
        if _snapshot(before) == _snapshot(values):
            result.unchanged += 1
            continue
        for key, value in values.items():
            setattr(requirement, key, value)
        result.updated += 1
        audit.record("requirement.updated", "requirement", slug, actor=actor,
                     before=_snapshot(before), after=_snapshot(values))
    listed = {slug for slug, _ in wanted}
    for slug, requirement in existing.items():
        if slug not in listed and requirement.from_seed and not requirement.retired:
            requirement.retired = True
            result.retired += 1
            audit.record("requirement.retired", "requirement", slug, actor=actor)
    db.session.flush()
    return result
