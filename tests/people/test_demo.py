"""The demo organisation: every role covered, the named logins work, loading twice changes nothing."""
from lnd.people.demo import DEMO_LOGINS
from lnd.people.models import Person, PersonRole, ROLES


def test_seed_demo_twice_changes_nothing(runner, db):
    first = runner.invoke(args=["seed", "--demo"])
    assert first.exit_code == 0, first.output
    assert "40 people created" in first.output
    assert "od.admin@example.org" in first.output and "demo-password" in first.output
    count = db.session.scalar(db.select(db.func.count(Person.id)))
    second = runner.invoke(args=["seed", "--demo"])
    assert second.exit_code == 0, second.output
    assert "0 people created, 0 updated, 0 completions added" in second.output
    assert "0 created, 0 updated, 0 retired" in second.output
    assert db.session.scalar(db.select(db.func.count(Person.id))) == count


def test_demo_covers_every_role_and_the_people_the_issue_names(runner, db, client):
    runner.invoke(args=["seed", "--demo"])
    held = set(db.session.scalars(db.select(PersonRole.role).distinct()))
    assert held == set(ROLES)
    people = {p.email: p for p in db.session.scalars(db.select(Person))}
    assert 35 <= len(people) <= 45
    assert people["aspiring.manager@example.org"].aspiring_manager
    assert people["dsl@example.org"].organisation.kind == "school"
    assert people["foster.carer@example.org"].organisation.kind == "fostering"
    nqsws = [p for p in people.values() if p.job_role and p.job_role.name == "Newly Qualified Social Worker"]
    assert len(nqsws) == 2
    for email, _ in DEMO_LOGINS:
        response = client.post("/login", data={"email": email, "password": "demo-password"})
        assert response.status_code == 302, email
        client.post("/logout")
