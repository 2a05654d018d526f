"""Managers and OD see the registered social workers who are not ready, by team, and export them."""
import csv
import io
import re
from datetime import date

from lnd.core import clock
from tests.core.visitors import Visitor


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def _records(org, make_record):
    make_record(org.owner, date(2026, 3, 1), peer=True)                # owner: 1 of 2, not ready
    make_record(org.peer, date(2026, 3, 1), peer=True)                 # peer: ready
    make_record(org.peer, date(2026, 4, 1))
    make_record(org.unrelated, date(2025, 10, 1), peer=True)           # last year's: does not count
    make_record(org.unrelated, date(2025, 11, 30), peer=True)


def test_a_manager_sees_who_in_their_teams_is_not_ready(app, db, org, make_person, make_record):
    clock.freeze(date(2026, 11, 22))
    _records(org, make_record)
    make_person("Lena", "Leaver", manager=org.manager, swe="SW900099", leaving_date=date(2026, 6, 30))
    make_person("Noah", "Nonregistered", manager=org.manager, job_role="Family Support Worker")
    manager = Visitor(app, "manager", org.manager).sign_in()
    page = _text(manager.get("/renewal-readiness"))
    assert "CPD readiness for renewal" in page
    assert "Not ready for renewal: 1 of 2 registered social workers." in page
    assert "Assessment: 1 of 2 not ready" in page
    assert "Olive Owner" in page and "1 more piece of CPD" in page
    assert "Peter Peer" not in page                      # ready
    for absent in ("Uma Unrelated", "Lena Leaver", "Noah Nonregistered", "Sienna Senior"):
        assert absent not in page
    assert "Morgan Manager</a>" not in manager.get("/renewal-readiness").get_data(as_text=True)  # not themselves
    everyone = _text(manager.get("/renewal-readiness?show=all"))
    assert "Peter Peer" in everyone and "Ready for renewal" in everyone


def test_od_sees_every_team_and_exports_the_list(app, db, org, make_record):
    clock.freeze(date(2026, 11, 22))
    _records(org, make_record)
    od = Visitor(app, "od", org.od).sign_in()
    page = _text(od.get("/renewal-readiness"))
    assert "Assessment: 3 of 4 not ready" in page         # senior, manager, owner; the peer is ready
    assert "Children in Need: 2 of 2 not ready" in page
    assert page.index("Assessment:") < page.index("Children in Need:")

    response = od.get("/renewal-readiness.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="cpd-readiness-not-ready-2026-11-22.csv"'
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [row["Name"] for row in rows] == ["Morgan Manager", "Olive Owner", "Sienna Senior", "Omar Othermanager",
                                             "Uma Unrelated"]
    owner = rows[1]
    assert owner == {
        "Team": "Assessment", "Name": "Olive Owner", "Employee number": org.owner.employee_number,
        "Social Work England registration number": "SW900003", "Line manager": "Morgan Manager",
        "Email": org.owner.email, "Registration year": "1 December 2025 to 30 November 2026",
        "CPD records this year": "1", "Records with a peer reflection": "1", "Status": "Not ready for renewal",
        "Still needed": "1 more piece of CPD", "Days until 30 November": "8",
    }
    unrelated = rows[4]
    assert unrelated["CPD records this year"] == "0"
    everyone = list(csv.DictReader(io.StringIO(od.get("/renewal-readiness.csv?show=all").get_data(as_text=True)
                                               .lstrip("\ufeff"))))
    assert len(everyone) == 6 and {"Peter Peer"} == {r["Name"] for r in everyone if r["Status"] == "Ready for renewal"}


def test_before_renewal_opens_people_are_not_ready_yet(app, db, org, make_record):
    clock.freeze(date(2026, 8, 31))
    od = Visitor(app, "od", org.od).sign_in()
    page = _text(od.get("/renewal-readiness"))
    assert "Renewal opens on 1 September 2026" in page
    assert "Not ready yet" in page


def test_the_manager_opens_a_reports_cpd_year(app, db, org, make_record):
    clock.freeze(date(2026, 11, 22))
    make_record(org.owner, date(2026, 3, 1), peer=True, title="Court skills reflection")
    manager = Visitor(app, "manager", org.manager).sign_in()
    page = _text(manager.get(f"/cpd/people/{org.owner.id}"))
    assert "CPD: Olive Owner" in page and "Court skills reflection" in page
    assert "Record CPD" not in page              # a manager sees, never writes, someone's CPD
