"""The training matrix page: who is in it, what each filter does, what a manager may see, what the
cells say, and the statements a page costs."""
from __future__ import annotations

from datetime import date

from flask import url_for

from lnd.extensions import db
from tests.reports import _matrix_support
from tests.reports._matrix_support import (
    book, complete, counting, exempt, matrix_of, names_on, signed_in,
)

org = _matrix_support.org   # the fixture


def _page(app, person, **args):
    response = signed_in(app, person).get("/reports/matrix", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _id_of(model, name):
    return db.session.scalar(db.select(model.id).filter_by(name=name))


def test_od_sees_everyone_in_childrens_care_by_surname_with_courses_grouped_by_window(app, org):
    html = _page(app, org.od)
    assert names_on(html) == ["Odette Admin", "Morgan Manager", "Omar Othermanager", "Olive Owner", "Peter Peer",
                              "Sienna Senior", "Uma Unrelated"]
    assert "Ezra External" not in html and "Lena Leaver" not in html
    headers = matrix_of(html).headers
    assert headers[:4] == ["Person", "Children’s Services – Induction", "Corporate induction e-learning",
                           "Children’s Services – Core Training"]
    assert '<th scope="colgroup" colspan="6"' in html
    assert "Employee number" in headers and "Start date" in headers
    assert "GDPR Training" in headers and "Neglect" in headers
    assert '<caption id="matrix-caption"' in html and "people 1 to 7 of 7" in html
    assert 'scope="row"' in html
    assert "The download holds all 7 people, not only this page." in html


def test_cells_say_the_status_with_its_date(app, org):
    complete(org.owner, "gdpr-training", date(2026, 10, 5))
    exempt(org.owner, "prevent-awareness-and-referrals")
    book(org.owner, "practice-standards", date(2026, 12, 4))
    html = _page(app, org.od)
    matrix = matrix_of(html)
    headers = matrix.headers[matrix.headers.index("Employee number"):]
    owner = dict(zip(headers, next(row for row in matrix.rows if row[1] == "Olive Owner")))
    assert owner["GDPR Training"] == "Completed 5 Oct 2026"
    assert owner["PREVENT Awareness and PREVENT Referrals"] == "Exempt"
    assert owner["Practice Standards"] == "Booked 4 Dec 2026 (was due 29 Oct 2026)"   # booked late
    assert owner["Threshold Training"] == "Overdue (due 29 Oct 2026)"   # 4 weeks from 1 October
    assert owner["Mental Health and Wellbeing Awareness"] == "Due 1 Apr 2027"   # 6 months
    assert owner["Team"] == "Assessment" and owner["Manager"] == "Morgan Manager"
    assert owner["Start date"] == "1 Oct 2026" and owner["Job role"] == "Social Worker"
    peer = dict(zip(headers, next(row for row in matrix.rows if row[1] == "Peter Peer")))
    assert peer["Section 47, enquiry"] == "—"   # social workers only
    assert owner["Section 47, enquiry"].startswith("Due")


def test_a_booking_past_the_due_date_says_when_it_was_due_and_is_marked_overdue(app, org):
    book(org.owner, "threshold-training", date(2026, 12, 4))   # due 29 October (4 weeks from 1 October)
    book(org.owner, "mental-health-and-wellbeing-awareness", date(2026, 12, 4))   # due 1 April 2027
    html = _page(app, org.od)
    matrix = matrix_of(html)
    headers = matrix.headers[matrix.headers.index("Employee number"):]
    owner = dict(zip(headers, next(row for row in matrix.rows if row[1] == "Olive Owner")))
    assert owner["Threshold Training"] == "Booked 4 Dec 2026 (was due 29 Oct 2026)"
    assert owner["Mental Health and Wellbeing Awareness"] == "Booked 4 Dec 2026"
    assert ('<td class="govuk-table__cell app-matrix__cell app-matrix__cell--overdue">'
            "Booked 4 Dec 2026 (was due 29 Oct 2026)</td>") in html
    assert ('<td class="govuk-table__cell app-matrix__cell app-matrix__cell--booked">'
            "Booked 4 Dec 2026</td>") in html


def test_each_filter_narrows_the_people(client, login, org):
    from lnd.people.models import JobRole, Team

    login(org.od)

    def names(**args):
        response = client.get("/reports/matrix", query_string=args)
        assert response.status_code == 200
        return names_on(response.get_data(as_text=True))

    assert names(team=_id_of(Team, "Children in Need")) == ["Omar Othermanager", "Uma Unrelated"]
    assert names(job_role=_id_of(JobRole, "Social Worker")) == ["Olive Owner", "Uma Unrelated"]
    assert names(manager=org.senior.id) == ["Morgan Manager", "Olive Owner", "Peter Peer"]   # indirect too
    assert names(manager=org.manager.id) == ["Olive Owner", "Peter Peer"]
    assert names(started_from=["1", "1", "2025"]) == ["Olive Owner", "Uma Unrelated"]
    assert names(started_to=["31", "12", "2016"]) == ["Omar Othermanager", "Sienna Senior"]
    assert names(started_from=["1", "1", "2018"], started_to=["31", "12", "2024"]) == [
        "Odette Admin", "Morgan Manager", "Peter Peer"]
    assert names(team=_id_of(Team, "Assessment"), job_role=_id_of(JobRole, "Social Worker")) == ["Olive Owner"]


def test_leavers_are_left_out_unless_asked_for(client, login, org):
    login(org.od)
    without = names_on(client.get("/reports/matrix").get_data(as_text=True))
    with_leavers = client.get("/reports/matrix", query_string={"leavers": "y"}).get_data(as_text=True)
    assert "Lena Leaver" not in without
    assert "Lena Leaver" in names_on(with_leavers)
    leaver = next(row for row in matrix_of(with_leavers).rows if row[1] == "Lena Leaver")
    assert set(leaver[6:]) == {"—"}   # nothing outstanding is asked of a leaver


def test_the_section_filter_chooses_the_columns(app, org):
    html = _page(app, org.od, section="induction")
    headers = matrix_of(html).headers
    assert "GDPR Training" in headers and "Threshold Training" in headers
    assert "Neglect" not in headers
    html = _page(app, org.od, section="core-offer")
    headers = matrix_of(html).headers
    assert "Neglect" in headers and "GDPR Training" not in headers
    assert len(names_on(html)) == 7   # the people are the same


def test_bad_dates_and_unknown_choices_are_explained_in_an_error_summary(app, org):
    html = _page(app, org.od, started_from=["1", "6", "2026"], started_to=["1", "1", "2026"])
    assert "There is a problem" in html
    assert "The latest start date must be the same as or after the earliest start date" in html
    assert "app-matrix__table" not in html
    assert "<title>Error:" in html
    html = _page(app, org.od, started_from=["31", "2", "2026"])
    assert "The earliest start date must be a real date" in html
    html = _page(app, org.od, started_from=["", "2", "2026"])
    assert "The earliest start date must include a day, month and year" in html
    html = _page(app, org.od, team="999999")
    assert "Select a team from the list" in html
    html = _page(app, org.od, section="no-such-section")
    assert "Select a section of the offer from the list" in html


def test_a_manager_sees_only_their_direct_and_indirect_reports(app, org):
    from lnd.people.models import Team

    assert names_on(_page(app, org.senior)) == ["Morgan Manager", "Olive Owner", "Peter Peer"]
    assert names_on(_page(app, org.manager)) == ["Olive Owner", "Peter Peer"]
    # Asking for another team's people gives nothing extra.
    html = _page(app, org.manager, team=_id_of(Team, "Children in Need"))
    assert names_on(html) == [] and "No people match these filters." in html
    # Another manager is not offered, and asking for them by id is refused.
    html = _page(app, org.manager)
    assert "Omar Othermanager" not in html
    html = _page(app, org.manager, manager=org.other_manager.id)
    assert "Select a manager from the list" in html and "Uma Unrelated" not in html


def test_staff_and_other_roles_are_refused(app, org):
    client = signed_in(app, org.owner)
    for url in ("/reports/", "/reports/matrix", "/reports/matrix.csv", "/reports/matrix.xlsx"):
        assert client.get(url).status_code == 403


def test_pages_of_fifty_keep_every_filter_in_their_links(client, login, org, make_person):
    for n in range(52):
        make_person("Bulk", f"Zz{n:02d}", team="Assessment", start_date=date(2025, 5, 1))
    login(org.od)
    args = {"started_from": ["1", "1", "2025"]}
    html = client.get("/reports/matrix", query_string=args).get_data(as_text=True)
    assert len(names_on(html)) == 50 and "people 1 to 50 of 54" in html
    assert "started_from=1&amp;started_from=1&amp;started_from=2025&amp;page=2" in html
    page_two = client.get("/reports/matrix", query_string={**args, "page": 2}).get_data(as_text=True)
    assert names_on(page_two) == ["Bulk Zz48", "Bulk Zz49", "Bulk Zz50", "Bulk Zz51"]


def test_a_page_costs_the_same_statements_for_3_people_as_for_30(client, login, org, make_person):
    login(org.od)
    client.get("/reports/matrix")   # warm up: sign-in, caches
    with counting() as few:
        assert client.get("/reports/matrix").status_code == 200
    for n in range(25):
        person = make_person("Many", f"More{n:02d}", manager=org.manager, team="Assessment",
                             job_role=f"Role {n}", start_date=date(2026, 9, 1))
        complete(person, "gdpr-training", date(2026, 10, 1))
    with counting() as many:
        response = client.get("/reports/matrix")
    assert len(names_on(response.get_data(as_text=True))) == 32
    assert len(many) == len(few), "\n".join(many)


def test_the_reports_index_lists_what_exists_for_who_may_use_it(app, org):
    html = signed_in(app, org.od).get("/reports/").get_data(as_text=True)
    assert 'href="/reports/matrix"' in html and "Training matrix" in html
    imports = {"reports.import_upload", "reports.import_completions"} & set(app.view_functions)
    assert ("Import completions" in html) == bool(imports)
    assert ("API clients" in html) == ("api_clients.index" in app.view_functions)
    for endpoint in ("reports.compliance_summary", "reports.induction_tracker", "reports.courses_report",
                     "reports.service_summaries"):
        if endpoint in app.view_functions:
            with app.test_request_context():
                assert f'href="{url_for(endpoint)}"' in html
    html = signed_in(app, org.manager).get("/reports/").get_data(as_text=True)
    assert "Training matrix" in html and "Import completions" not in html and "API clients" not in html
    assert 'href="/reports/"' in html   # in the navigation
