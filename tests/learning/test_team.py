"""The manager's team grid: people × windows with overdue first, counts per status, the direct /
indirect filter, OD's team filter, pagination, and the same number of SQL statements for a team of
5 as for 500."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date

from sqlalchemy import event

from lnd.courses.models import Completion
from lnd.courses.queries import course_by_slug
from lnd.extensions import db
from lnd.people.models import Organisation, Person, PersonRole, Team
from tests.core.visitors import Visitor
from tests.learning.test_my_learning import _text


@contextmanager
def counting():
    statements = []

    def _count(conn, cursor, statement, parameters, context, executemany):
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", _count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", _count)


def test_the_grid_lists_reports_overdue_first_with_counts(app, people):
    page = _text(Visitor(app, "manager", people.manager).sign_in().get("/my-team"))
    assert "My team" in page
    # Sam (in post since 2021) and Tia (since October) are overdue, Sam most; the new starters are not;
    # the leaver is not listed.
    order = [page.find(name) for name in ("Sam Okafor", "Tia Leader You", "Noah Clarke", "Ivan Indirect")]
    assert -1 not in order and order[0] < order[1] < min(order[2:]), page
    assert "Gemma Stone" not in page and "Sienna Senior" not in page and "Uma Unrelated" not in page
    assert "Required courses by status, across 4 people (2 with something overdue)" in page, page
    assert "Overdue Expired Due soon Booked Due Completed Exempt 15 0 12 0 55 0 0" in page
    assert "Sam Okafor Social Worker You (direct report) 0 of 6 completed 6 overdue" in page
    assert "Ivan Indirect Tia Leader" in page   # an indirect report, with who they report to
    html = Visitor(app, "manager", people.manager).sign_in().get("/my-team").get_data(as_text=True)
    assert '<th scope="col" class="govuk-table__header">Children’s Services – Induction</th>' in html
    assert "<caption" in html and f'href="/people/{people.long_server.id}/learning"' in html


def test_direct_and_indirect_filters(app, people):
    manager = Visitor(app, "manager", people.manager).sign_in()
    direct = _text(manager.get("/my-team?relation=direct"))
    assert "Noah Clarke" in direct and "Tia Leader" in direct and "Ivan Indirect" not in direct
    indirect = _text(manager.get("/my-team?relation=indirect"))
    assert "Ivan Indirect" in indirect and "Noah Clarke" not in indirect
    assert "across 1 person" in indirect


def test_od_sees_everyone_and_filters_by_team(app, people):
    od = Visitor(app, "od", people.od).sign_in()
    everyone = _text(od.get("/my-team"))
    assert "Required learning by person" in everyone
    assert all(name in everyone for name in ("Sienna Senior", "Uma Unrelated", "Noah Clarke", "Ivan Indirect"))
    early_help = db.session.scalar(db.select(Team).filter_by(name="Early Help"))
    team = _text(od.get(f"/my-team?team={early_help.id}"))
    assert "Ivan Indirect" in team and "Tia Leader" in team and "Noah Clarke" not in team


def test_staff_who_manage_nobody_may_not_see_the_grid(app, people):
    assert Visitor(app, "starter", people.starter).sign_in().get("/my-team").status_code == 403


def test_a_completion_moves_a_person_out_of_overdue(app, people):
    for slug in ("lcs-ehm-training", "practice-standards", "cc-inform-introduction-and-registration",
                 "trix-procedure-manual", "threshold-training", "send-e-learning"):
        db.session.add(Completion(person_id=people.long_server.id, course_id=course_by_slug(slug).id,
                                  completed_on=date(2021, 6, 20), source="import"))
    db.session.commit()
    page = _text(Visitor(app, "manager", people.manager).sign_in().get("/my-team"))
    assert "Sam Okafor Social Worker You (direct report) 6 of 6 completed 0 of 3 completed 3 overdue" in page


def _add_team(manager, team_leader, count: int, start: int) -> None:
    """`count` more people in post since 2022, each with one completion: half report to the manager,
    half to the team leader who reports to them."""
    db.session.rollback()
    org = db.session.scalar(db.select(Organisation).filter_by(kind="childrens_care"))
    team = db.session.scalar(db.select(Team).filter_by(name="Assessment"))
    gdpr = course_by_slug("gdpr-training")
    people = [Person(first_name=f"Member{n:03d}", last_name="Bulk", email=f"member{n}@example.org",
                     organisation=org, team=team,
                     manager_id=manager.id if n % 2 else team_leader.id, start_date=date(2022, 1, 10 + n % 15),
                     role_rows=[PersonRole(role="staff")]) for n in range(start, start + count)]
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all([Completion(person_id=p.id, course_id=gdpr.id, completed_on=date(2022, 2, 1), source="import")
                        for p in people])
    db.session.commit()


def test_the_grid_costs_the_same_statements_for_5_people_and_500(app, people):
    manager = Visitor(app, "manager", people.manager).sign_in()
    _add_team(people.manager, people.team_leader, 1, 0)   # 5 people with the fixture's four
    with counting() as few:
        page = _text(manager.get("/my-team"))
    assert "across 5 people" in page
    _add_team(people.manager, people.team_leader, 495, 1)
    with counting() as many:
        page = _text(manager.get("/my-team?page=2"))
    assert "across 500 people" in page and "Showing 26 to 50 of 500" in page
    assert len(many) == len(few), "\n".join(many)
    od = Visitor(app, "od", people.od).sign_in()
    with counting() as od_many:
        assert "Member" in _text(od.get("/my-team"))
    assert len(od_many) <= len(few) + 1   # the list of teams for the filter


def test_my_learning_costs_the_same_statements_with_many_sessions_and_completions(app, people, add_session):
    starter = Visitor(app, "starter", people.starter).sign_in()
    add_session("trix-procedure-manual", date(2026, 12, 1))
    db.session.add(Completion(person_id=people.starter.id, course_id=course_by_slug("gdpr-training").id,
                              completed_on=date(2026, 11, 12), source="import"))
    db.session.commit()
    with counting() as few:
        starter.get("/my-learning")
    for n, slug in enumerate(("lcs-ehm-training", "smart-planning", "analytical-assessments", "graded-care-profile")):
        add_session(slug, date(2026, 12, 2 + n))
        add_session(slug, date(2026, 12, 14 + n))
    for slug in ("neglect", "county-lines", "asye-module-1", "teeswide-hate-crime"):
        db.session.add(Completion(person_id=people.starter.id, course_id=course_by_slug(slug).id,
                                  completed_on=date(2026, 11, 12), source="import"))
    db.session.commit()
    with counting() as many:
        page = _text(starter.get("/my-learning"))
    assert "Book a place on SMART Planning" in page
    assert len(many) == len(few), "\n".join(s[:90] for s in many) + "\n----\n" + "\n".join(s[:90] for s in few)


def test_each_cell_names_the_overdue_and_due_soon_courses(app, people):
    db.session.add(Completion(person_id=people.long_server.id, course_id=course_by_slug("practice-standards").id,
                              completed_on=date(2021, 6, 20), source="import"))
    db.session.commit()
    page = _text(Visitor(app, "manager", people.manager).sign_in().get("/my-team"))
    induction = ("LCS/EHM Training; CC Inform Introduction and Registration; "
                 "Tri.x – Children’s Services Procedure Manual; Threshold Training; SEND E Learning")
    # Sam: overdue induction courses named in the induction cell (not the one completed)
    assert f"Sam Okafor Social Worker You (direct report) 1 of 6 completed 5 overdue: {induction}" in page, page
    # Noah (started 9 November): the induction is due soon, each course named
    assert ("Noah Clarke Family Support Worker You (direct report) 0 of 6 completed 6 due soon: LCS/EHM Training; "
            "Practice Standards; ") in page, page
    assert ("3 overdue: GDPR Training; PREVENT Awareness and PREVENT Referrals; "
            "Mental Health and Wellbeing Awareness 0 of 13 completed 13 due 8 overdue Tia Leader") in page
    # courses merely due (later) are counted, not named
