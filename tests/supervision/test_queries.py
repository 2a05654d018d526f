"""Read models: the supervisor's list and the compliance report cost the same number of statements
for 2 supervisees as for 20, and their figures are right."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from sqlalchemy import event

from lnd.extensions import db
from lnd.supervision import queries, report_queries, rules, session_services
from tests.core.visitors import Visitor
from tests.supervision.conftest import TODAY, at


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


def _supervise(people, make_person, make_agreement, count: int, start: int = 0):
    """`count` more supervisees for Sofia, each with two records (one late), an open action, a
    planned session, an observation and a training need noted."""
    from lnd.courses.models import Course, Section

    db.session.rollback()   # see what requests committed before writing
    section = db.session.scalar(db.select(Section).filter_by(slug="q-section")) or Section(slug="q-section",
                                                                                           title="Section")
    course = db.session.scalar(db.select(Course).filter_by(slug="q-course")) or Course(
        slug="q-course", title="Neglect", section=section, status="active", parts=1, summary="")
    db.session.add(course)
    db.session.commit()
    for n in range(start, start + count):
        person = make_person(f"Person{n:02d}", "Supervisee", team="Team A" if n % 2 else "Team B",
                             manager=people.cp_manager)
        agreement = make_agreement(people.csaws, person, starts_on=date(2026, 6, 1),
                                   signed="both" if n % 3 else "supervisor")
        for held_on, recorded_on in ((date(2026, 10, 5), date(2026, 10, 9)), (date(2026, 11, 2), date(2026, 11, 2))):
            session = session_services.plan_session(agreement, people.csaws, at(held_on, 10), 60, "Room")
            session_services.record_session(session, people.csaws, session_services.SessionRecord(
                held_on=held_on, duration_minutes=60, place="Room", agenda=["casework"], discussion="x",
                observation=held_on.month == 10, observation_notes="Observed."), at(recorded_on, 16))
        session_services.add_action(session, people.csaws, description="Do it", owner="supervisee", owner_name="",
                            due_on=date(2026, 11, 20))
        session_services.add_training_need(session, people.csaws, course, None, "", at(TODAY, 9))
        session_services.plan_session(agreement, people.csaws, at(date(2026, 12, 1), 10), 60, "Room")
    db.session.commit()


def test_the_supervisors_list_is_the_same_number_of_statements_for_2_and_20(app, people, make_person,
                                                                             make_agreement):
    csaws = Visitor(app, "csaws", people.csaws).sign_in()
    _supervise(people, make_person, make_agreement, 2)
    with counting() as few:
        page = csaws.get("/supervision").get_data(as_text=True)
    assert page.count("Person0") == 2
    _supervise(people, make_person, make_agreement, 18, start=2)
    with counting() as many:
        page = csaws.get("/supervision").get_data(as_text=True)
    assert page.count("Supervisee</a>") == 20
    assert len(many) == len(few), "\n".join(many)
    csaws_id = people.csaws.id
    with counting() as direct:
        caseload = queries.caseload(csaws_id, TODAY, at(TODAY, 9))
    assert len(direct) <= 3   # the agreements with their figures, and both people's roles (selectin)
    assert len(caseload.rows) == 20


def test_the_caseload_figures(app, people, make_person, make_agreement):
    _supervise(people, make_person, make_agreement, 3)
    caseload = queries.caseload(people.csaws.id, TODAY, at(TODAY, 9))
    row = caseload.rows[0]
    assert row.last_held_on == date(2026, 11, 2)
    assert row.due.next_due == date(2026, 12, 2) and not row.overdue
    assert row.next_planned_at == at(date(2026, 12, 1), 10)
    assert (row.open_actions, row.overdue_actions, row.unacknowledged, row.to_record) == (1, 1, 2, 0)
    assert (row.held_recently, row.late_recently) == (2, 1)
    assert row.observation.last_observed_on == date(2026, 10, 5)
    assert (caseload.unsigned, caseload.open_actions, caseload.overdue) == (1, 3, 0)


def test_the_report_is_the_same_number_of_statements_for_2_and_20(app, people, make_person, make_agreement):
    _supervise(people, make_person, make_agreement, 2)
    with counting() as few:
        report = report_queries.compliance_report(people.od, TODAY, at(TODAY, 9))
    _supervise(people, make_person, make_agreement, 18, start=2)
    with counting() as many:
        report = report_queries.compliance_report(people.od, TODAY, at(TODAY, 9))
    assert len(many) == len(few)
    lines = {line.team: line for line in report.lines}
    assert (lines["Team A"].agreements, lines["Team B"].agreements) == (10, 10)
    assert (lines["Team A"].held, lines["Team A"].late, lines["Team A"].late_percent) == (20, 10, 50)
    assert lines["Team B"].without_agreement == 0 and lines["Team B"].staff == 10
    assert lines["Assessment"].without_agreement == 4   # senior, manager, worker, peer: none supervised here
    assert report.total.agreements == 20 and report.total.unsigned == 7


def test_a_managers_report_covers_their_supervisors_and_their_staff(app, people, make_agreement, record):
    agreement = make_agreement(people.csaws, people.dsl, rules.DSL, starts_on=date(2026, 6, 1))
    record(agreement, date(2026, 9, 1))
    mine = make_agreement(people.manager, people.worker, starts_on=date(2026, 11, 2))
    assert mine.in_force
    carl = report_queries.compliance_report(people.cp_manager, TODAY, at(TODAY, 9))
    assert [line.team for line in carl.lines] == ["Child Protection", "Riverside Primary School"]
    school = carl.lines[1]
    assert (school.agreements, school.overdue, school.held) == (1, 1, 1)
    assert [row.agreement.supervisee.name for row in carl.overdue] == ["David Dsl"]
    morgan = report_queries.compliance_report(people.manager, TODAY, at(TODAY, 9))
    assert [(line.team, line.agreements, line.staff, line.without_agreement) for line in morgan.lines] == [
        ("Assessment", 1, 2, 1)]    # Wanda supervised by Morgan; Peter has no agreement
    senior = report_queries.compliance_report(people.senior, TODAY, at(TODAY, 9))
    assert senior.total.agreements == 1 and senior.total.staff == 3


def test_has_agreement_is_one_cheap_question(app, people, make_agreement):
    dsl_id = people.dsl.id
    with counting() as statements:
        assert not queries.has_agreement(dsl_id)
    assert len(statements) == 1
    make_agreement(people.csaws, people.dsl, rules.DSL, signed=None)
    assert queries.has_agreement(people.dsl.id) and queries.has_agreement(people.csaws.id)
    assert not queries.has_agreement(people.worker.id)
