"""Who may use each CPD route that takes an id: the owner, their management chain and OD may see;
only the owner may change; everyone else gets 404 (403 for those who may see but not change)."""
from datetime import date
from io import BytesIO

import pytest

from lnd.core import clock
from lnd.cpd.models import CpdAttachment, CpdRecord
from tests.core.visitors import Visitor, fingerprint, is_login_redirect

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
VISITORS = ["anonymous", "owner", "peer", "unrelated", "other_manager", "manager", "senior", "od"]
SEE = {"owner", "manager", "senior", "od"}
CHANGE = {"owner"}


@pytest.fixture
def setting(app, db, org, make_record, offer):
    from lnd.courses.models import Completion, Course

    clock.freeze(date(2026, 11, 22))
    record = make_record(org.owner, date(2026, 5, 1), peer=True)
    owner = Visitor(app, "owner", org.owner).sign_in()
    response = owner.post(f"/cpd/records/{record.id}/attachments/new",
                          data={"file": (BytesIO(PDF), "certificate.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    db.session.rollback()   # see what the request committed (and write after it)
    attachment = db.session.scalar(db.select(CpdAttachment))
    course = db.session.scalar(db.select(Course).filter_by(slug="neglect"))
    completion = Completion(person_id=org.owner.id, course_id=course.id, completed_on=date(2026, 2, 12),
                            source="attendance")
    db.session.add(completion)
    db.session.commit()
    visitors = {"owner": owner}
    for name in VISITORS:
        if name not in visitors:
            person = getattr(org, name, None)
            visitors[name] = Visitor(app, name, person).sign_in() if person else Visitor(app, name)
    return org, record, attachment, completion, visitors


# (address, who may use it: SEE or CHANGE; 'own' means the owner alone, others get 404)
def _routes(org, record, attachment, completion):
    return [
        (f"/cpd/people/{org.owner.id}", SEE),
        (f"/cpd/people/{org.owner.id}?year=2026", SEE),
        (f"/cpd/people/{org.owner.id}/print?year=2026", SEE),
        (f"/cpd/people/{org.owner.id}/cpd.csv?year=2026", SEE),
        (f"/cpd/records/{record.id}", SEE),
        (f"/cpd/attachments/{attachment.id}", SEE),
        (f"/cpd/records/{record.id}/edit", CHANGE),
        (f"/cpd/records/{record.id}/delete", CHANGE),
        (f"/cpd/records/{record.id}/attachments/new", CHANGE),
        (f"/cpd/attachments/{attachment.id}/remove", CHANGE),
        (f"/cpd/records/new?completion={completion.id}", "own"),
        (f"/cpd/records/new?course={completion.course_id}&completed_on=2026-02-12", "own"),
    ]


def _expected(who, allowed) -> str:
    if who == "anonymous":
        return "login"
    if allowed == "own":
        return "200" if who == "owner" else "404"
    if who in allowed:
        return "200"
    return "403" if who in SEE else "404"


def _answer(response) -> str:
    if is_login_redirect(response):
        return "login"
    return str(response.status_code)


def test_every_get_route_with_an_id_as_every_kind_of_visitor(setting):
    org, record, attachment, completion, visitors = setting
    failures = []
    for url, allowed in _routes(org, record, attachment, completion):
        for who, visitor in visitors.items():
            response = visitor.get(url)
            expected, got = _expected(who, allowed), _answer(response)
            if expected != got:
                failures.append(f"GET {url} as {who}: expected {expected}, got {got}")
            elif got == "200" and "Owner" not in response.get_data(as_text=True) and who != "owner":
                if not url.startswith("/cpd/attachments/"):
                    failures.append(f"GET {url} as {who}: the page does not show the owner's record")
            elif got in ("403", "404") and "Reading on neglect" in response.get_data(as_text=True):
                failures.append(f"GET {url} as {who}: the refusal shows the record")
    assert not failures, "\n".join(failures)


def test_posts_that_change_a_record_are_refused_to_everyone_but_the_owner(setting):
    org, record, attachment, completion, visitors = setting
    posts = [
        (f"/cpd/records/{record.id}/edit", {"title": "Changed", "activity_type": "reading"}),
        (f"/cpd/records/{record.id}/delete", {}),
        (f"/cpd/attachments/{attachment.id}/remove", {}),
        (f"/cpd/records/{record.id}/attachments/new", {"file": (BytesIO(PDF), "other.pdf")}),
        (f"/cpd/records/new?completion={completion.id}", {"title": "Theirs", "activity_type": "course"}),
    ]
    failures = []
    for url, data in posts:
        for who, visitor in visitors.items():
            if who == "owner":
                continue
            before = fingerprint()
            body = {k: (BytesIO(PDF), v[1]) if isinstance(v, tuple) else v for k, v in data.items()}
            response = visitor.post(url, data=body, content_type="multipart/form-data")
            expected = _expected(who, "own" if "/new?" in url else CHANGE)
            if _answer(response) != expected:
                failures.append(f"POST {url} as {who}: expected {expected}, got {_answer(response)}")
            if fingerprint() != before:
                failures.append(f"POST {url} as {who} changed the database")
    assert not failures, "\n".join(failures)


def test_a_missing_record_or_attachment_is_404_even_for_od(setting):
    org, record, attachment, completion, visitors = setting
    od = visitors["od"]
    for url in ("/cpd/records/999999", "/cpd/records/999999/edit", "/cpd/attachments/999999",
                "/cpd/people/999999", "/cpd/people/999999/cpd.csv", "/cpd/records/new?completion=999999"):
        assert od.get(url).status_code == 404, url


def test_readiness_pages_are_for_managers_and_od(setting):
    org, record, attachment, completion, visitors = setting
    for url in ("/renewal-readiness", "/renewal-readiness.csv"):
        for who, visitor in visitors.items():
            expected = "login" if who == "anonymous" else ("200" if who in {"manager", "senior", "other_manager", "od"}
                                                          else "403")
            assert _answer(visitor.get(url)) == expected, (url, who)


def test_the_owners_own_pages_are_theirs_alone(setting, db):
    org, record, attachment, completion, visitors = setting
    # What the owner wrote is not changed by the refusals above, and the owner can still change it.
    owner = visitors["owner"]
    assert owner.get(f"/cpd/records/{record.id}/edit").status_code == 200
    assert db.session.get(CpdRecord, record.id).title == "Reading on neglect"
