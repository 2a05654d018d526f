"""The demonstration supervision loaded by `seed --demo`: the agreements the issue names, a planned
and a recorded session, one supervision overdue, and loading twice changes nothing."""
from __future__ import annotations

from datetime import date

from lnd.core import clock
from lnd.people.queries import find_by_email
from lnd.supervision import queries, rules
from lnd.supervision.models import SupervisionAgreement, SupervisionSession
from tests.supervision.conftest import at

DEMO_DAY = date(2026, 11, 22)


def test_seed_demo_loads_supervision_once(runner, db):
    first = runner.invoke(args=["seed", "--demo"])
    assert first.exit_code == 0, first.output
    assert "Demo supervision: 3 agreements created, 7 sessions" in first.output
    second = runner.invoke(args=["seed", "--demo"])
    assert second.exit_code == 0, second.output
    assert "Demo supervision: 0 agreements created, 0 sessions" in second.output
    assert db.session.scalar(db.select(db.func.count(SupervisionAgreement.id))) == 3
    assert db.session.scalar(db.select(db.func.count(SupervisionSession.id))) == 7


def test_the_demo_shows_each_state(runner, db):
    runner.invoke(args=["seed", "--demo"])
    clock.freeze(at(DEMO_DAY, 9))
    now = clock.now()
    sofia = find_by_email("supervisor@example.org")
    (dsl_row,) = queries.caseload(sofia.id, DEMO_DAY, now).rows
    assert dsl_row.agreement.supervisee.email == "dsl@example.org" and dsl_row.agreement.kind == rules.DSL
    assert dsl_row.state == rules.IN_FORCE and not dsl_row.overdue
    assert dsl_row.next_planned_at == at(date(2026, 12, 1), 15, 30)
    assert (dsl_row.held_recently, dsl_row.late_recently, dsl_row.unacknowledged, dsl_row.open_actions) == (2, 1, 1, 1)

    morgan = find_by_email("manager@example.org")
    rows = {row.agreement.supervisee.email: row for row in queries.caseload(morgan.id, DEMO_DAY, now).rows}
    sam = rows["social.worker@example.org"]
    assert sam.overdue and sam.due.next_due == date(2026, 10, 29) and sam.due.overdue_by == "3 weeks"
    assert sam.review == rules.REVIEW_OVERDUE and sam.observation.last_observed_on == date(2026, 9, 29)
    nadia = rows["nqsw@example.org"]
    assert nadia.state == rules.AWAITING_SUPERVISEE
    assert nadia.due.next_due == date(2026, 11, 23) and nadia.due.interval == "weekly, as agreed"
    clock.freeze(None)
