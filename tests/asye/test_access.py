"""Every ASYE route that takes an id, tried by the wrong people (unrelated staff, a manager of another
team, another NQSW, another assessor, anonymous): 404 or the sign-in page, and nothing changes. The
NQSW, their assessor, their line manager and the manager above, and the ASYE lead get the page;
people who may see a page but not change what it changes get 403."""
from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage

from lnd.asye import entry_services, rules
from lnd.extensions import db
from tests.asye.conftest import PDF, add_entry
from tests.core.visitors import fingerprint, is_login_redirect

OUTSIDERS = ["peer", "unrelated", "other_manager", "other_nqsw", "other_assessor"]
SEE = ["nqsw", "assessor", "manager", "senior", "lead"]


@pytest.fixture
def records(world):
    """An entry by the NQSW with a file, an observation by the assessor, and the world's ids."""
    log = add_entry(world, rules.REFLECTIVE_LOG, kss=(3,), title="Reflecting on a visit")
    entry_services.add_attachment(log, FileStorage(BytesIO(PDF), filename="notes.pdf"), world.nqsw)
    observation = add_entry(world, rules.OBSERVATION, kss=(1,))
    db.session.commit()
    return {"enrolment_id": world.enrolment.id, "entry_id": log.id, "observation_id": observation.id,
            "attachment_id": log.attachments[0].id}


def routes(ids):
    """(address, who may GET it) for every route with an id; None: the people who see the portfolio."""
    e, entry, obs, att = ids["enrolment_id"], ids["entry_id"], ids["observation_id"], ids["attachment_id"]
    return [
        (f"/asye/{e}", None),
        (f"/asye/{e}/coverage", None),
        (f"/asye/{e}/export", None),
        (f"/asye/{e}/reviews/3-month", None),
        (f"/asye/{e}/reviews/9-month", None),
        (f"/asye/{e}/reviews/final", None),
        (f"/asye/entries/{entry}", None),
        (f"/asye/entries/{obs}", None),
        (f"/asye/attachments/{att}", None),
        (f"/asye/{e}/entries/new/reflective-log", {"nqsw"}),
        (f"/asye/{e}/entries/new/critical-reflection", {"nqsw"}),
        (f"/asye/{e}/entries/new/observation", {"assessor"}),
        (f"/asye/entries/{entry}/edit", {"nqsw"}),
        (f"/asye/entries/{entry}/delete", {"nqsw"}),
        (f"/asye/entries/{entry}/attachments/new", {"nqsw"}),
        (f"/asye/attachments/{att}/remove", {"nqsw"}),
        (f"/asye/entries/{obs}/edit", {"assessor"}),
        (f"/asye/{e}/reviews/3-month/nqsw", {"nqsw"}),
        (f"/asye/{e}/reviews/3-month/assessor", {"assessor"}),
        (f"/asye/{e}/reviews/3-month/manager", {"manager", "senior"}),
        (f"/asye/{e}/reviews/final/sign", {"assessor"}),
        (f"/asye/{e}/edit", {"lead"}),
        (f"/asye/{e}/absences", {"lead"}),
        (f"/asye/{e}/moderation", {"lead"}),
    ]


def test_the_wrong_people_get_404_or_the_sign_in_page_and_change_nothing(world, records, visit):
    failures = []
    for url, _ in routes(records):
        for name in OUTSIDERS + ["anonymous"]:
            visitor = visit(name)
            before = fingerprint()
            got = visitor.get(url)
            posted = visitor.post(url, data={"body": "x", "comments": "x", "title": "x"})
            for method, response in (("GET", got), ("POST", posted)):
                if response.status_code == 405:
                    continue
                if name == "anonymous":
                    ok = is_login_redirect(response)
                else:
                    # Pages only the lead may use answer everyone else 403 before looking at the record.
                    ok = response.status_code == 404 or (response.status_code == 403 and url.endswith(
                        ("/edit", "/absences", "/moderation")) and "/entries/" not in url)
                if not ok:
                    failures.append(f"{method} {url} as {name}: {response.status_code}")
                if name != "anonymous" and world.nqsw.last_name in response.get_data(as_text=True):
                    failures.append(f"{method} {url} as {name}: the refusal names the NQSW")
            if fingerprint() != before:
                failures.append(f"{url} as {name} changed the database")
    assert not failures, "\n".join(failures)


def test_the_right_people_get_the_page_and_the_others_who_see_it_403(world, records, visit):
    failures = []
    for url, allowed in routes(records):
        for name in SEE:
            response = visit(name).get(url)
            may = name in (allowed if allowed is not None else SEE)
            expected = 200 if may else 403
            if response.status_code != expected:
                failures.append(f"GET {url} as {name}: expected {expected}, got {response.status_code}")
            elif may and not url.startswith("/asye/attachments/") and world.nqsw.last_name not in \
                    response.get_data(as_text=True):
                failures.append(f"GET {url} as {name}: the page does not name the NQSW")
    assert not failures, "\n".join(failures)


def test_an_id_that_does_not_exist_is_404_even_for_the_lead(world, records, visit):
    lead = visit("lead")
    for url in ("/asye/999999", "/asye/999999/coverage", "/asye/entries/999999", "/asye/attachments/999999",
                "/asye/999999/reviews/final", "/asye/999999/edit", "/asye/999999/moderation",
                f"/asye/{records['enrolment_id']}/reviews/12-month", f"/asye/{records['enrolment_id']}/entries/new/diary",
                f"/asye/{records['enrolment_id']}/reviews/final/someone", "/asye/modules/999999/book"):
        assert lead.get(url).status_code == 404, url


def test_pages_without_an_id_are_for_their_roles(world, visit):
    assert visit("lead").get("/asye").status_code == 200
    assert visit("assessor").get("/asye").status_code == 200
    for name in ("nqsw", "manager", "peer"):
        assert visit(name).get("/asye").status_code == 403
    assert visit("lead").get("/asye/enrol").status_code == 200
    assert visit("assessor").get("/asye/enrol").status_code == 403
    assert visit("lead").get("/asye/modules").status_code == 200
    assert visit("assessor").get("/asye/modules").status_code == 403
    assert is_login_redirect(visit("anonymous").get("/asye"))


def test_an_assessor_sees_only_the_nqsws_they_assess_in_the_cohort(world, visit):
    page = visit("assessor").get("/asye").get_data(as_text=True)
    assert "Nadia Newly" in page and "Ryan Otherqsw" not in page
    page = visit("lead").get("/asye").get_data(as_text=True)
    assert "Nadia Newly" in page and "Ryan Otherqsw" in page


def test_the_home_page_links_each_person_to_the_portfolios_they_may_open(world, visit):
    link = f'/asye/{world.enrolment.id}"'
    assert "My ASYE portfolio" in visit("nqsw").get("/").get_data(as_text=True)
    for name in ("assessor", "manager", "senior"):
        page = visit(name).get("/").get_data(as_text=True)
        assert link in page and "ASYE portfolio of Nadia Newly" in page, name
    for name in ("peer", "other_manager", "other_assessor", "unrelated"):
        assert link not in visit(name).get("/").get_data(as_text=True), name
