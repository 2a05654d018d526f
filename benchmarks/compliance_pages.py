"""Benchmark: required-learning statuses, the team grid and the compliance summary for many people.

Builds N people (5,000 by default) in a temporary SQLite database with the real offer and
requirement rules: a head of service over 10 teams, each with a team manager over 5 practice
managers over the staff, some leavers and random completions, and the last 11 months of compliance
snapshots (as `report snapshot --backfill 11` stores them). Then times:
  - lnd.compliance.queries.required_learning_for for everyone,
  - the team grid (/my-team) as the OD team and as the head of service,
  - the compliance summary (/reports/compliance) as the OD team and as the head of service,
printing each one's best time of --repeat runs and its SQL statement count.

    .venv/bin/python benchmarks/compliance_pages.py [--people 5000] [--repeat 3] [--profile NAME]

Not part of `make test`.
"""
from __future__ import annotations

import argparse
import contextvars
import cProfile
import pstats
import random
import tempfile
import time
from datetime import date, timedelta

from _support import PASSWORD, TODAY, bench_app, counting_statements  # noqa: E402

TEAMS = ["Assessment", "Children in Need", "Children in Care", "Care Leavers", "Early Help", "Residential",
         "Youth Offending", "Fostering", "Adoption", "Disabled Children"]
ROLES = ["Social Worker", "Senior Social Worker", "Family Support Worker", "Personal Adviser",
         "Residential Care Worker", "Early Help Practitioner", "Business Support Officer"]
PRACTICE_MANAGERS_PER_TEAM = 5


def build(app, people: int) -> None:
    """The offer and its rules; OD; a head of service over a team manager per team, each over
    practice managers over the staff; some completions; bulk-inserted."""
    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from lnd.compliance.seed import load_requirements
    from lnd.courses.models import Completion, Course
    from lnd.courses.seed import load_offer
    from lnd.extensions import db
    from lnd.people.models import CHILDRENS_CARE, JobRole, Organisation, Person, PersonRole, Team
    from lnd.reports.matrix_queries import window_headings

    load_offer(app.config["SEED_DIR"])
    load_requirements(app.config["SEED_DIR"])
    organisation = Organisation(name="Middlesbrough Council Children's Care", kind=CHILDRENS_CARE)
    db.session.add(organisation)
    teams = [Team(name=name) for name in TEAMS]
    roles = [JobRole(name=name, is_social_work="Social Worker" in name) for name in ROLES]
    manager_role = JobRole(name="Team Manager", is_social_work=True, is_management=True)
    db.session.add_all(teams + roles + [manager_role])
    password = generate_password_hash(PASSWORD)
    od = Person(first_name="Olivia", last_name="Dean", email="od@example.org", employee_number="OD0001",
                organisation=organisation, start_date=date(2020, 3, 16), password_hash=password)
    od.set_roles(["staff", "od_admin"])
    head = Person(first_name="Harriet", last_name="Head", email="head@example.org", employee_number="HS0001",
                  organisation=organisation, start_date=date(2015, 1, 5), password_hash=password,
                  job_role=manager_role, team=teams[0])
    head.set_roles(["staff", "manager"])
    db.session.add_all([od, head])
    db.session.flush()

    rng = random.Random(20261122)
    surnames = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Khan",
                "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood"]
    next_id = head.id + 1
    rows, managers = [], []

    def add(n: int, team, manager_id: int, role_id: int, is_manager: bool) -> int:
        nonlocal next_id
        person_id, next_id = next_id, next_id + 1
        rows.append({
            "id": person_id, "employee_number": f"B{n:06d}", "first_name": f"Person{n:05d}",
            "last_name": rng.choice(surnames), "email": f"person{n}@example.org", "session_token": f"t{n}",
            "organisation_id": organisation.id, "team_id": team.id, "job_role_id": role_id,
            "manager_id": manager_id, "start_date": TODAY - timedelta(days=rng.randint(1, 3000)),
            "leaving_date": TODAY - timedelta(days=30) if n % 50 == 49 else None,
        })
        if is_manager:
            managers.append(person_id)
        return person_id

    staff = people - 2 - len(TEAMS) * (1 + PRACTICE_MANAGERS_PER_TEAM)
    n = 0
    practice_managers = []
    for team in teams:
        team_manager = add(n, team, head.id, manager_role.id, True)
        n += 1
        for _ in range(PRACTICE_MANAGERS_PER_TEAM):
            practice_managers.append((team, add(n, team, team_manager, manager_role.id, True)))
            n += 1
    for k in range(staff):
        team, manager_id = practice_managers[k % len(practice_managers)]
        add(n, team, manager_id, roles[k % len(roles)].id, False)
        n += 1
    db.session.execute(insert(Person), rows)
    db.session.execute(insert(PersonRole), [{"person_id": r["id"], "role": "staff"} for r in rows]
                       + [{"person_id": pid, "role": "manager"} for pid in managers])
    required = {column.course_id for heading in window_headings() for column in heading.columns}
    courses = [c for c in db.session.scalars(select(Course)) if c.id in required]
    done = []
    for r in rows:
        for course in rng.sample(courses, k=rng.randint(0, len(courses))):
            done.append({"person_id": r["id"], "course_id": course.id, "source": "import",
                         "completed_on": TODAY - timedelta(days=rng.randint(1, 900))})
    db.session.execute(insert(Completion), done)
    db.session.commit()
    print(f"built {len(rows) + 2} people ({len(managers) + 1} managers) and {len(done)} completions")


def measure(label: str, action, engine, repeat: int, profile: str | None = None) -> None:
    times = []
    with counting_statements(engine) as statements:  # the first run's statements
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    for _ in range(repeat - 1):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    print(f"{label:<44} {min(times):7.3f} s (best of {repeat})   {len(statements):5d} statements", flush=True)
    if profile and profile in label:
        profiler = cProfile.Profile()
        profiler.runcall(action)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", help="profile the timing whose label contains this text")
    args = parser.parse_args()

    from sqlalchemy import select

    from lnd.compliance import queries
    from lnd.extensions import db
    from lnd.people.models import Person
    from lnd.reports import compliance_summary

    with tempfile.TemporaryDirectory(prefix="lnd-bench-") as folder:
        app = bench_app(folder)
        with app.app_context():
            build(app, args.people)
            started = time.perf_counter()
            compliance_summary.backfill(TODAY, 11, TODAY)
            db.session.commit()
            print(f"snapshots of 12 months taken in {time.perf_counter() - started:.2f} s")
            db.session.remove()
            engine = db.engine

        def statuses():
            with app.app_context():
                everyone = db.session.scalars(select(Person)).all()
                learning = queries.required_learning_for(everyone, TODAY)
                db.session.remove()
                return len(learning)

        clients = {}
        for who in ("od", "head"):
            clients[who] = app.test_client()
            response = contextvars.Context().run(
                lambda c=clients[who], w=who: c.post("/login", data={"email": f"{w}@example.org", "password": PASSWORD}))
            assert response.status_code == 302, response.status_code

        def page(who: str, address: str):
            def fetch():
                # Each request in a context of its own, as a WSGI server does.
                response = contextvars.Context().run(clients[who].get, address)
                assert response.status_code == 200, (address, response.status_code)
                return len(response.get_data())
            return fetch

        print(f"{args.people} people, SQLite")
        measure("required_learning_for (everyone)", statuses, engine, args.repeat, args.profile)
        measure("team grid /my-team as OD", page("od", "/my-team"), engine, args.repeat, args.profile)
        measure("team grid /my-team?team=all as OD (everyone)", page("od", "/my-team?team=all"), engine,
                args.repeat, args.profile)
        measure("team grid /my-team as head of service", page("head", "/my-team"), engine, args.repeat,
                args.profile)
        measure("compliance summary as OD", page("od", "/reports/compliance"), engine, args.repeat, args.profile)
        measure("compliance summary as head of service", page("head", "/reports/compliance"), engine,
                args.repeat, args.profile)
        engine.dispose()


if __name__ == "__main__":
    main()
