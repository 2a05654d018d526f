"""The demo ASYE portfolios: both demo NQSWs enrolled with their assessors, loading twice changes nothing."""
from lnd.asye import queries, rules
from lnd.asye.models import AsyeEnrolment, AsyeEntry


def test_seed_demo_enrols_the_two_demo_nqsws_once(runner, db):
    first = runner.invoke(args=["seed", "--demo"])
    assert first.exit_code == 0, first.output
    assert "ASYE: 2 NQSWs enrolled, 14 portfolio entries added" in first.output
    people = {e.nqsw.email: e for e in db.session.scalars(db.select(AsyeEnrolment))}
    assert people["nqsw@example.org"].assessor.email == "assessor@example.org"
    assert people["nqsw.two@example.org"].assessor.email == "asye.lead@example.org"
    assert people["nqsw@example.org"].line_manager.email == "manager@example.org"
    entries = db.session.scalar(db.select(db.func.count(AsyeEntry.id)))
    second = runner.invoke(args=["seed", "--demo"])
    assert second.exit_code == 0, second.output
    assert "ASYE: 0 NQSWs enrolled, 0 portfolio entries added" in second.output
    assert db.session.scalar(db.select(db.func.count(AsyeEntry.id))) == entries
    ryan = people["nqsw.two@example.org"]
    assert queries.review_of(ryan.id, rules.THREE_MONTH).signed
    assert not queries.review_of(ryan.id, rules.SIX_MONTH).signed
