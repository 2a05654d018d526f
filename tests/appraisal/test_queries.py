"""The manager's list of appraisals costs the same number of statements for a team of 3 as of 30."""
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event

from lnd.compliance import appraisal_services as services
from lnd.core import clock
from lnd.extensions import db
from tests.appraisal.test_appraisals import Visitor
from tests.appraisal.conftest import TODAY


@contextmanager
def counting():
    statements = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


def _grow(team, make_person, count, start=0):
    """`count` more reports, half of them under a deputy (indirect reports), each with an appraisal."""
    db.session.rollback()
    deputy = team.manager if start else make_person("Dee", "Deputy", roles=["staff", "manager"], manager=team.manager)
    for n in range(start, start + count):
        person = make_person(f"Person{n:02d}", "Report", manager=deputy if n % 2 else team.manager,
                             team="Team A" if n % 3 else "Team B", start_date=date(2020, 1, 6) + timedelta(days=n))
        services.record_appraisal(person, services.AppraisalDetails(
            held_on=TODAY - timedelta(days=300 + 10 * n), achievements="a", development_needs="b", goals="c"),
            team.manager, TODAY, clock.now())
    db.session.commit()


def test_the_list_is_the_same_number_of_statements_for_3_and_30(app, team, make_person):
    manager = Visitor(app, "manager", team.manager).sign_in()
    _grow(team, make_person, 3)
    with counting() as few:
        page = manager.get("/appraisals/").get_data(as_text=True)
    assert page.count("Report</a>") == 3
    _grow(team, make_person, 27, start=3)
    with counting() as many:
        page = manager.get("/appraisals/").get_data(as_text=True)
    assert page.count("Report</a>") == 30
    assert len(many) == len(few), "\n".join(many)
