"""Who sees supervision records: the supervisor, the supervisee, the supervisor's line management and
the OD team. Every route that takes an id is tried by the wrong people (unrelated staff, a manager
of another team, another supervisor, the supervisee's own line manager when someone else supervises
them, anonymous visitors): 404 (403 for those who may see but not change) or a redirect to sign in,
and nothing changes. The right people get the page."""
from __future__ import annotations

from datetime import date

import pytest

from lnd.extensions import db
from lnd.supervision import rules, session_services
from tests.core.visitors import Visitor, fingerprint, is_login_redirect

EVERYONE = ["anonymous", "csaws", "dsl", "cp_manager", "od", "worker", "manager", "senior", "unrelated",
            "other_manager", "other_supervisor"]
SEE = {"csaws", "dsl", "cp_manager", "od"}


@pytest.fixture
def world(app, people, make_agreement, plan, record):
    """Sofia (CSAWS, managed by Carl) supervises David, a school DSL: a recorded session with an open
    action, and a planned one. She also supervises Wanda, whose line manager is Morgan."""
    dsl_agreement = make_agreement(people.csaws, people.dsl, rules.DSL)
    held = record(dsl_agreement, date(2026, 11, 16))
    action = session_services.add_action(held, people.csaws, description="Update the safeguarding log", owner="supervisee",
                                 owner_name="", due_on=date(2026, 11, 30))
    db.session.commit()
    planned = plan(dsl_agreement, date(2026, 11, 30))
    worker_agreement = make_agreement(people.csaws, people.worker)
    worker_session = record(worker_agreement, date(2026, 11, 18))
    visitors = {}
    for name in EVERYONE:
        person = None if name == "anonymous" else getattr(people, name)
        visitors[name] = Visitor(app, name, person)
        if person is not None:
            visitors[name].sign_in()
    return dict(agreement=dsl_agreement.id, held=held.id, planned=planned.id, action=action.id,
                worker_agreement=worker_agreement.id, worker_session=worker_session.id, visitors=visitors)


# (url, who gets the page, who gets 403 rather than 404)
def _routes(w):
    a, held, planned = w["agreement"], w["held"], w["planned"]
    supervisor_only = (SEE, {"dsl", "cp_manager", "od"})
    return {
        "agreement": (f"/supervision/agreements/{a}", SEE, set()),
        "change_agreement": (f"/supervision/agreements/{a}/change", {"csaws"}, supervisor_only[1]),
        "end_agreement": (f"/supervision/agreements/{a}/end", {"csaws"}, supervisor_only[1]),
        "plan_session": (f"/supervision/agreements/{a}/sessions/new", {"csaws"}, supervisor_only[1]),
        "session (held)": (f"/supervision/sessions/{held}", SEE, set()),
        "session (planned)": (f"/supervision/sessions/{planned}", SEE, set()),
        "edit_session": (f"/supervision/sessions/{planned}/change", {"csaws"}, supervisor_only[1]),
        "cancel_session": (f"/supervision/sessions/{planned}/cancel", {"csaws"}, supervisor_only[1]),
        "record_session": (f"/supervision/sessions/{planned}/record", {"csaws"}, supervisor_only[1]),
        "add_action": (f"/supervision/sessions/{held}/actions/new", {"csaws"}, supervisor_only[1]),
        "add_training_need": (f"/supervision/sessions/{held}/training-needs/new", {"csaws"}, supervisor_only[1]),
        "acknowledge": (f"/supervision/sessions/{held}/acknowledge", {"dsl"}, {"csaws", "cp_manager", "od"}),
    }


def _expect(name, visitor, response, allowed, forbidden) -> str | None:
    if visitor.person is None:
        return None if is_login_redirect(response) else f"{name} as anonymous: {response.status_code}"
    expected = 200 if visitor.name in allowed else 403 if visitor.name in forbidden else 404
    if response.status_code != expected:
        return f"{name} as {visitor.name}: expected {expected}, got {response.status_code}"
    return None


def test_every_route_with_an_id_as_every_visitor(world):
    failures, tried = [], 0
    for name, (url, allowed, forbidden) in _routes(world).items():
        for visitor in world["visitors"].values():
            before = fingerprint()
            response = visitor.get(url)
            tried += 1
            if fingerprint() != before:
                failures.append(f"GET {name} as {visitor.name} changed the database")
            problem = _expect(name, visitor, response, allowed, forbidden)
            if problem:
                failures.append(problem)
            page = response.get_data(as_text=True)
            if response.status_code == 200 and "Dsl" not in page:
                failures.append(f"{name} as {visitor.name}: the page does not name the supervisee")
            if response.status_code != 200 and visitor.name not in ("dsl",) and "Dsl" in page:
                failures.append(f"{name} as {visitor.name}: the refusal names the supervisee")
            if not _read_only(name) and visitor.name not in allowed:
                before = fingerprint()
                response = visitor.post(url, data={"reason": "x", "confirm": "y", "comments": "x"})
                if fingerprint() != before:
                    failures.append(f"POST {name} as {visitor.name} changed the database")
                if _expect(name, visitor, response, set(), forbidden):
                    failures.append(f"POST {name} as {visitor.name}: {response.status_code}")
    assert tried == len(_routes(world)) * len(EVERYONE)
    assert not failures, "\n".join(failures)


def _read_only(name: str) -> bool:
    return name == "agreement" or name.startswith("session (")


@pytest.mark.parametrize("url, parties", [
    ("/supervision/agreements/{agreement}/sign", {"csaws", "dsl"}),
    ("/supervision/actions/{action}/done", {"csaws", "dsl"}),
])
def test_post_only_routes_refuse_everyone_but_the_parties(world, url, parties):
    url = url.format(**world)
    failures = []
    for visitor in world["visitors"].values():
        if visitor.name in parties:
            continue
        before = fingerprint()
        response = visitor.post(url, data={"confirm": "y"})
        if fingerprint() != before:
            failures.append(f"POST {url} as {visitor.name} changed the database")
        problem = _expect(url, visitor, response, set(), SEE - parties)
        if problem:
            failures.append(problem)
    assert not failures, "\n".join(failures)


def test_the_supervisees_line_manager_does_not_see_supervision_given_by_someone_else(world):
    """Wanda is supervised by Sofia, not by her line manager Morgan: the record is confidential
    between Sofia, Wanda, Sofia's line management (Carl) and the OD team."""
    expected = {"csaws": 200, "worker": 200, "cp_manager": 200, "od": 200, "manager": 404, "senior": 404,
                "dsl": 404, "other_supervisor": 404}
    for url in (f"/supervision/agreements/{world['worker_agreement']}",
                f"/supervision/sessions/{world['worker_session']}"):
        answers = {name: world["visitors"][name].get(url).status_code for name in expected}
        assert answers == expected, url


def test_a_record_that_does_not_exist_is_404_even_for_od(world):
    od = world["visitors"]["od"]
    for url in ("/supervision/agreements/999999", "/supervision/sessions/999999",
                "/supervision/sessions/999999/record", "/supervision/agreements/999999/change"):
        assert od.get(url).status_code == 404, url
    assert od.post("/supervision/actions/999999/done").status_code == 404


def test_the_right_people_can_sign_and_mark_actions_done(world):
    dsl, csaws = world["visitors"]["dsl"], world["visitors"]["csaws"]
    response = csaws.post(f"/supervision/actions/{world['action']}/done", data={})
    assert response.status_code == 302
    from lnd.supervision.models import SupervisionAction

    db.session.rollback()
    assert db.session.get(SupervisionAction, world["action"]).completed_on is not None
    response = dsl.post(f"/supervision/agreements/{world['agreement']}/sign", data={"confirm": "y"})
    assert response.status_code == 200   # already signed: the page says so
    assert "You have already signed this agreement" in response.get_data(as_text=True)


def test_lists_only_show_what_the_visitor_may_see(world):
    pages = {name: world["visitors"][name].get("/supervision").get_data(as_text=True)
             for name in ("csaws", "dsl", "worker", "manager", "other_supervisor")}
    assert "David Dsl" in pages["csaws"] and "Wanda Worker" in pages["csaws"]
    assert "Sofia Csaws" in pages["dsl"] and "Wanda" not in pages["dsl"]
    assert "Sofia Csaws" in pages["worker"] and "David Dsl" not in pages["worker"]
    assert "Dsl" not in pages["manager"] and "Dsl" not in pages["other_supervisor"]
    report = {name: world["visitors"][name].get("/supervision/report") for name in
              ("cp_manager", "manager", "od", "csaws", "dsl", "anonymous")}
    assert report["cp_manager"].status_code == 200 and "Riverside Primary School" in report["cp_manager"].get_data(
        as_text=True)
    manager_page = report["manager"].get_data(as_text=True)
    assert report["manager"].status_code == 200 and "Riverside Primary School" not in manager_page
    assert report["od"].status_code == 200 and "Riverside Primary School" in report["od"].get_data(as_text=True)
    assert report["csaws"].status_code == 403 and report["dsl"].status_code == 403
    assert is_login_redirect(report["anonymous"])
