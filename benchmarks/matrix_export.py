"""Benchmark: the training matrix page and its CSV and XLSX exports for many people.

Builds N people (10,000 by default) with completions in a temporary SQLite
database with the real offer and requirement rules, then times, as the OD team:
  - one page of the matrix (50 people),
  - the streamed CSV export of everyone,
  - the XLSX export of everyone,
printing each one's time, size, SQL statement count and peak Python memory (tracemalloc).

    .venv/bin/python benchmarks/matrix_export.py [--people 10000]    (or: make bench)

Not part of `make test`.
"""
from __future__ import annotations

import argparse
import contextvars
import random
import tempfile
import time
import tracemalloc
from datetime import date, timedelta

from _support import PASSWORD, TODAY, bench_app, counting_statements  # noqa: E402

TEAMS = ["Assessment", "Children in Need", "Children in Care", "Care Leavers", "Early Help", "Residential",
         "Youth Offending", "Business Support"]
ROLES = ["Social Worker", "Senior Social Worker", "Family Support Worker", "Personal Adviser",
         "Residential Care Worker", "Early Help Practitioner", "Business Support Officer"]


def build(app, people: int) -> None:
    """The offer, its rules and `people` staff (a manager per 10) with some completions, bulk-inserted."""
    from sqlalchemy import insert, select
    from werkzeug.security import generate_password_hash

    from lnd.compliance import queries as compliance_queries
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
    db.session.add_all(teams + roles)
    od = Person(first_name="Olivia", last_name="Dean", email="od@example.org", employee_number="OD0001",
                organisation=organisation, start_date=date(2020, 3, 16), password_hash=generate_password_hash(PASSWORD))
    od.set_roles(["staff", "od_admin"])
    db.session.add(od)
    db.session.flush()

    rng = random.Random(20261122)
    surnames = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Khan",
                "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood"]
    first_id = od.id + 1
    rows = []
    for n in range(people):
        person_id = first_id + n
        manager_id = None if n % 10 == 0 else first_id + (n // 10) * 10
        rows.append({
            "id": person_id, "employee_number": f"B{n:06d}", "first_name": f"Person{n:05d}",
            "last_name": rng.choice(surnames), "email": f"person{n}@example.org", "session_token": f"t{n}",
            "organisation_id": organisation.id, "team_id": teams[(n // 10) % len(teams)].id,
            "job_role_id": roles[n % len(roles)].id, "manager_id": manager_id,
            "start_date": TODAY - timedelta(days=rng.randint(1, 3000)),
            "leaving_date": TODAY - timedelta(days=30) if n % 50 == 0 else None,
        })
    db.session.execute(insert(Person), rows)
    db.session.execute(insert(PersonRole), [{"person_id": r["id"], "role": "staff"} for r in rows])
    required = {column.course_id for heading in window_headings() for column in heading.columns}
    courses = [c for c in db.session.scalars(select(Course)) if c.id in required]
    done = []
    for r in rows:
        for course in rng.sample(courses, k=rng.randint(0, len(courses))):
            done.append({"person_id": r["id"], "course_id": course.id, "source": "import",
                         "completed_on": TODAY - timedelta(days=rng.randint(1, 900))})
    db.session.execute(insert(Completion), done)
    db.session.commit()
    assert compliance_queries.windows_in_order()
    print(f"built {people} people and {len(done)} completions")


def measure(label: str, action, engine) -> None:
    """Time the action, then run it again under tracemalloc for its peak memory (tracing slows
    Python down several times, so the two are measured apart)."""
    with counting_statements(engine) as statements:
        started = time.perf_counter()
        size = action()
        elapsed = time.perf_counter() - started
    tracemalloc.start()
    try:
        action()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"{label:<34} {elapsed:7.2f} s   {size / 1024:9.0f} KiB   {len(statements):5d} statements   "
          f"peak memory {peak / 1024 / 1024:7.1f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    args = parser.parse_args()

    from lnd.extensions import db

    with tempfile.TemporaryDirectory(prefix="lnd-bench-") as folder:
        app = bench_app(folder)
        with app.app_context():
            build(app, args.people)
            db.session.remove()
            engine = db.engine
        client = app.test_client()

        def in_own_context(action):
            # Each request in a context of its own, read to the end within it, as a WSGI server does.
            return lambda: contextvars.Context().run(action)

        def sign_in():
            return client.post("/login", data={"email": "od@example.org", "password": PASSWORD})

        assert contextvars.Context().run(sign_in).status_code == 302

        def page():
            response = client.get("/reports/matrix")
            assert response.status_code == 200
            return len(response.get_data())

        def csv_export():
            # Streamed: read piece by piece, never joining the pieces.
            response = client.get("/reports/matrix.csv")
            assert response.status_code == 200
            size = sum(len(piece) for piece in response.response)
            response.close()
            return size

        def xlsx_export():
            response = client.get("/reports/matrix.xlsx")
            assert response.status_code == 200
            size = sum(len(block) for block in response.response)
            response.close()
            return size

        print(f"training matrix, {args.people} people, SQLite, as the OD team")
        measure("matrix page (50 people a page)", in_own_context(page), engine)
        measure("CSV export (streamed)", in_own_context(csv_export), engine)
        measure("XLSX export (write-only workbook)", in_own_context(xlsx_export), engine)
        engine.dispose()


if __name__ == "__main__":
    main()
