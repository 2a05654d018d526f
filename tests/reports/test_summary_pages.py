"""The compliance summary, induction tracker and service summaries as the OD team and managers see
them, for the small organisation of _summary_support (22 November 2026)."""
from __future__ import annotations

import re
from datetime import date

from lnd.extensions import db
from lnd.reports import compliance_summary, induction_tracker
from lnd.reports.summary_rules import COMPLIANT_RULE
from tests.core.visitors import Visitor, fingerprint
from tests.reports._summary_support import (  # noqa: F401  (fixtures)
    CORE, CORPORATE, CS_INDUCTION, TODAY, complete_window, counting, window_courses, world,
)


def _row(page: str, table_id: str, heading: str) -> list[str]:
    """The cells of the row headed `heading` in the table with the id, as text."""
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', page, re.S).group(0)
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = [re.sub(r"<[^>]+>", " ", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        cells = [" ".join(cell.split()) for cell in cells]
        if cells and cells[0] == heading:
            return cells[1:]
    raise AssertionError(f"no row {heading!r} in #{table_id}")


def _text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_od_sees_every_team_and_window_with_the_rule_stated(app, world):
    cs = len(window_courses(world.ben, CS_INDUCTION))
    od = Visitor(app, "od", world.od).sign_in()
    response = od.get("/reports/compliance")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert COMPLIANT_RULE in page
    # Columns: for each window (4-week, 6-month, core) compliant and overdue courses.
    assert _row(page, "by-team", "Assessment") == ["67% (2 of 3)", str(cs), "100% (3 of 3)", "0", "100% (3 of 3)", "0"]
    assert _row(page, "by-team", "Children in Need") == ["0% (0 of 1)", str(cs), "100% (1 of 1)", "0",
                                                         "100% (1 of 1)", "0"]
    assert _row(page, "by-team", "All teams") == ["50% (2 of 4)", str(2 * cs), "100% (4 of 4)", "0",
                                                  "100% (4 of 4)", "0"]
    # Lena has left, Fred has not started, managers and OD have no required learning.
    assert "Centre for Practice Excellence/OD" not in _text(page).split("This month, by team")[1].split("The last")[0]


def test_the_summary_figures_without_the_page(app, world):
    summary = compliance_summary.current_summary(world.manager, TODAY)
    assert [line.name for line in summary.lines] == ["Assessment"]
    assert [key for key, _ in summary.windows] == [CS_INDUCTION, CORPORATE, CORE]
    figures = summary.total.of(CS_INDUCTION)
    assert (figures.people, figures.compliant, figures.percent) == (3, 2, 67)
    assert summary.total.name == "All your staff"


def test_a_manager_sees_their_reports_only(app, world):
    morgan = Visitor(app, "manager", world.manager).sign_in()
    page = morgan.get("/reports/compliance").get_data(as_text=True)
    assert "Children in Need" not in page
    assert _row(page, "by-team", "All your staff")[0] == "67% (2 of 3)"
    omar = Visitor(app, "other_manager", world.other_manager).sign_in()
    page = omar.get("/reports/compliance").get_data(as_text=True)
    assert "Assessment" not in page and _row(page, "by-team", "All your staff")[0] == "0% (0 of 1)"
    # Sienna manages Morgan, so Morgan's staff are her indirect reports.
    sienna = Visitor(app, "senior", world.senior).sign_in()
    assert _row(sienna.get("/reports/compliance").get_data(as_text=True), "by-team", "Assessment")[0] == "67% (2 of 3)"


def test_staff_and_visitors_are_refused(app, world):
    ada = Visitor(app, "ada", world.ada).sign_in()
    for url in ("/reports/compliance", "/reports/induction", "/reports/courses", "/reports/services"):
        assert ada.get(url).status_code == 403
        assert Visitor(app, "anonymous").get(url).status_code == 302


def test_a_managers_trend_is_worked_out_from_the_records_month_by_month(app, world):
    points = compliance_summary.trend(world.manager, TODAY)
    assert len(points) == 12 and points[-1].live
    june = next(p for p in points if p.month == date(2026, 6, 1))
    # 30 June 2026: Ada, Ben and Lena (not yet left); Ben's corporate courses were done late, in October.
    assert june.of(CS_INDUCTION).text == "33% (1 of 3)"
    assert june.of(CORPORATE).text == "33% (1 of 3)"
    assert points[-1].of(CORPORATE).text == "100% (3 of 3)"


def test_the_page_never_writes_and_costs_the_same_for_more_people(app, world, make_person):
    od = Visitor(app, "od", world.od).sign_in()
    with counting() as few:
        od.get("/reports/compliance")
    db.session.rollback()
    for n in range(8):
        person = make_person(f"Extra{n}", "Person", team="Team " + "ABCD"[n % 4], start_date=date(2020, 1, 6))
        if n % 2:
            complete_window(person, CS_INDUCTION, date(2020, 1, 20))
    before = fingerprint()
    with counting() as many:
        page = od.get("/reports/compliance").get_data(as_text=True)
    assert fingerprint() == before
    assert "Team D" in page
    assert len(many) == len(few), "\n".join(many)
    morgan = Visitor(app, "manager", world.manager).sign_in()
    with counting() as manager_few:
        morgan.get("/reports/compliance")
    db.session.rollback()   # see what requests committed before writing
    make_person("Another", "Report", manager=world.manager, team="Assessment", start_date=date(2021, 3, 1))
    with counting() as manager_many:
        morgan.get("/reports/compliance")
    assert len(manager_many) == len(manager_few)


# ---------------------------------------------------------------------------------------------
# The induction tracker
# ---------------------------------------------------------------------------------------------

def test_the_induction_tracker_lists_new_starters_soonest_due_first(app, world, make_person):
    late = make_person("Lee", "Lately", manager=world.other_manager, team="Children in Need",
                       start_date=date(2026, 9, 14))
    od = Visitor(app, "od", world.od).sign_in()
    page = od.get("/reports/induction").get_data(as_text=True)
    text = _text(page)
    # Lee (4-week induction due 12 October: overdue), Cara (due 30 November), Fred (starts 7 December).
    # Dan started over 6 months ago; Ada and Ben long ago.
    assert text.index("Lee Lately") < text.index("Cara Newstart") < text.index("Fred Future")
    assert "Dan Partway" not in text and "Ada Done" not in text
    cs = len(window_courses(late, CS_INDUCTION))
    corporate = len(window_courses(late, CORPORATE))
    cells = _row(page, "starters", "Lee Lately Children in Need")
    assert cells[0] == "14 September 2026"
    assert cells[1] == f"{cs} overdue 0 of {cs} completed Due by 12 October 2026"
    assert cells[2] == f"0 of {corporate} completed Due by 14 March 2027"
    assert cells[3] == str(cs)
    assert "Starting soon" in _row(page, "starters", "Fred Future Assessment")[0]
    assert "3 people: 1 with something overdue" in text


def test_the_induction_tracker_filters_by_team_and_scopes_to_a_manager(app, world):
    od = Visitor(app, "od", world.od).sign_in()
    teams = dict((name, team_id) for team_id, name in compliance_summary.team_choices(world.od, TODAY))
    page = _text(od.get(f"/reports/induction?team={teams['Children in Need']}").get_data(as_text=True))
    assert "Cara Newstart" not in page and "Nobody started" in page
    omar = Visitor(app, "other_manager", world.other_manager).sign_in()
    assert "Cara Newstart" not in omar.get("/reports/induction").get_data(as_text=True)
    _windows, rows = induction_tracker.starters(world.manager, TODAY)
    assert [row.person.first_name for row in rows] == ["Cara", "Fred"]


# ---------------------------------------------------------------------------------------------
# ASYE, CPD and supervision
# ---------------------------------------------------------------------------------------------

def test_the_service_summaries_link_to_their_own_pages(app, world):
    world.ada.swe_registration_number = "SW123456"
    db.session.commit()
    od = Visitor(app, "od", world.od).sign_in()
    page = od.get("/reports/services").get_data(as_text=True)
    text = _text(page)
    assert "Registered social workers 1" in text and "Not ready for renewal 1" in text
    assert "NQSWs on the ASYE 0" in text
    assert "Staff without an agreement 9 of 9" in text   # everyone in Children's Care not yet left
    for href in ("/asye", "/renewal-readiness", "/supervision/report"):
        assert f'href="{href}"' in page
    morgan = Visitor(app, "manager", world.manager).sign_in()
    page = morgan.get("/reports/services").get_data(as_text=True)
    assert 'href="/asye"' not in page     # managers cannot open the cohort page
    assert "Registered social workers 1" in _text(page)
    omar = Visitor(app, "other_manager", world.other_manager).sign_in()
    assert "Registered social workers 0" in _text(omar.get("/reports/services").get_data(as_text=True))


def test_the_induction_tracker_costs_the_same_for_more_starters(app, world, make_person):
    od = Visitor(app, "od", world.od).sign_in()
    with counting() as few:
        od.get("/reports/induction")
    db.session.rollback()
    for n in range(6):
        make_person(f"Starter{n}", "Person", team="Team " + "AB"[n % 2], start_date=date(2026, 7 + n % 5, 6))
    before = fingerprint()
    with counting() as many:
        page = od.get("/reports/induction").get_data(as_text=True)
    assert page.count("Person</a>") == 6
    assert fingerprint() == before
    assert len(many) == len(few), "\n".join(many)


def test_a_managers_asye_figures_count_the_nqsws_they_manage_whoever_assesses_them(app, world, make_person):
    from lnd.asye import services as asye_services
    from lnd.courses.models import Framework

    framework = db.session.scalar(db.select(Framework))
    outsider = make_person("Olu", "Elsewhere", start_date=date(2026, 9, 7), swe="SW900002")
    world.ada.swe_registration_number = "SW900001"
    world.other_manager.swe_registration_number = "SW900003"
    for nqsw in (world.ada, outsider):
        asye_services.enrol(asye_services.EnrolmentDetails(
            nqsw=nqsw, start_date=date(2026, 9, 7), assessor=world.other_manager, framework=framework,
            working_pattern="full_time", fte=None), world.od, TODAY)
    db.session.commit()
    morgan = Visitor(app, "manager", world.manager).sign_in()
    assert "NQSWs on the ASYE 1" in _text(morgan.get("/reports/services").get_data(as_text=True))
    od = Visitor(app, "od", world.od).sign_in()
    assert "NQSWs on the ASYE 2" in _text(od.get("/reports/services").get_data(as_text=True))
