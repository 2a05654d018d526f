"""The demonstration organisation (seed/demo.yaml): fictional teams, people and completions.

Idempotent: people are matched by email, so loading twice changes nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from lnd.core import audit
from lnd.courses.models import Completion, Course
from lnd.courses.seed import SeedError
from lnd.extensions import db
from lnd.people.models import JobRole, Organisation, Person, Team

DEMO_LOGINS = [
    ("od.admin@example.org", "OD team (runs the catalogue, imports, reports)"),
    ("manager@example.org", "Team manager, Assessment"),
    ("social.worker@example.org", "Social worker"),
    ("nqsw@example.org", "Newly qualified social worker on the ASYE"),
    ("assessor@example.org", "ASYE assessor (practice educator)"),
    ("supervisor@example.org", "Supervisor"),
    ("aspiring.manager@example.org", "Senior social worker, aspiring manager"),
    ("new.starter@example.org", "New starter in their first weeks"),
    ("dsl@example.org", "School Designated Safeguarding Lead (external)"),
    ("foster.carer@example.org", "Foster carer (external)"),
]


@dataclass
class DemoResult:
    people_created: int = 0
    people_updated: int = 0
    completions_added: int = 0
    password: str = ""

    def __str__(self) -> str:
        return (f"{self.people_created} people created, {self.people_updated} updated, "
                f"{self.completions_added} completions added")


def _read(seed_dir) -> dict:
    path = Path(seed_dir) / "demo.yaml"
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise SeedError(f"{path.name} could not be read: {error}") from None


def _by_name(model) -> dict:
    return {row.name: row for row in db.session.scalars(select(model))}


def load_demo(seed_dir) -> DemoResult:
    data = _read(seed_dir)
    result = DemoResult(password=data["password"])

    organisations = _by_name(Organisation)
    for entry in data["organisations"]:
        if entry["name"] not in organisations:
            organisations[entry["name"]] = Organisation(name=entry["name"], kind=entry["kind"])
            db.session.add(organisations[entry["name"]])

    teams = _by_name(Team)
    for entry in data["teams"]:
        team = teams.get(entry["name"]) or Team(name=entry["name"])
        team.description = entry.get("description", "")
        teams[entry["name"]] = team
        db.session.add(team)

    job_roles = _by_name(JobRole)
    for entry in data["job_roles"]:
        role = job_roles.get(entry["name"]) or JobRole(name=entry["name"])
        role.is_management = bool(entry.get("management"))
        role.is_social_work = bool(entry.get("social_work"))
        job_roles[entry["name"]] = role
        db.session.add(role)

    default_org = data["organisations"][0]["name"]
    emails = [p["email"] for p in data["people"]]
    people = {p.email: p for p in db.session.scalars(select(Person).where(Person.email.in_(emails)))}
    password_hash = None
    before = {email: _snapshot(person) for email, person in people.items()}
    for entry in data["people"]:
        person = people.get(entry["email"])
        created = person is None
        if created:
            password_hash = password_hash or generate_password_hash(data["password"])
            person = Person(email=entry["email"], password_hash=password_hash)
            db.session.add(person)
            people[entry["email"]] = person
        person.first_name = entry["first"]
        person.last_name = entry["last"]
        person.employee_number = entry.get("employee")
        person.job_role = job_roles[entry["job_role"]]
        person.team = teams.get(entry.get("team")) if entry.get("team") else None
        person.organisation = organisations[entry.get("organisation", default_org)]
        person.start_date = _date(entry.get("start"))
        person.leaving_date = _date(entry.get("leaving"))
        person.swe_registration_number = entry.get("swe")
        person.aspiring_manager = bool(entry.get("aspiring_manager"))
        if set(entry.get("roles", ["staff"])) != person.roles:
            person.set_roles(entry.get("roles", ["staff"]))
        if created:
            result.people_created += 1
    db.session.flush()

    for entry in data["people"]:
        person = people[entry["email"]]
        manager = people.get(entry.get("manager")) if entry.get("manager") else None
        if entry.get("manager") and manager is None:
            raise SeedError(f"demo.yaml: {entry['email']} has an unknown manager {entry['manager']}.")
        person.manager = manager

    db.session.flush()
    result.people_updated = sum(1 for email, snapshot in before.items() if snapshot != _snapshot(people[email]))

    result.completions_added = _load_completions(data.get("completions", []), people)
    audit.record("demo_loaded", "organisation", None, summary=f"Demo organisation loaded: {result}")
    db.session.flush()
    return result


def _load_completions(rows: list, people: dict) -> int:
    slugs = {row[1] for row in rows}
    courses = {c.slug: c for c in db.session.scalars(select(Course).where(Course.slug.in_(slugs)))}
    missing = sorted(slugs - set(courses))
    if missing:
        raise SeedError(f"demo.yaml: unknown course slug(s) in completions: {', '.join(missing)}. "
                        "Load the offer first.")
    existing = set(db.session.execute(select(Completion.person_id, Completion.course_id, Completion.completed_on)))
    added = 0
    for email, slug, completed_on in rows:
        key = (people[email].id, courses[slug].id, _date(completed_on))
        if key in existing:
            continue
        db.session.add(Completion(person_id=key[0], course_id=key[1], completed_on=key[2], source="seed",
                                  note="Demonstration record"))
        existing.add(key)
        added += 1
    db.session.flush()
    return added


def _snapshot(person: Person) -> dict:
    return {
        "name": person.name, "employee_number": person.employee_number,
        "job_role": person.job_role.name if person.job_role else None,
        "team": person.team.name if person.team else None, "organisation": person.organisation.name,
        "start_date": person.start_date, "leaving_date": person.leaving_date,
        "swe": person.swe_registration_number, "aspiring_manager": person.aspiring_manager,
        "roles": sorted(person.roles), "manager": person.manager.email if person.manager else None,
    }


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
