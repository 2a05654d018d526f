"""The OD team's pages: issue a token (shown once), see who has one and when it was last used,
revoke it; every issue and revocation leaves an audit row; nobody else gets in."""
from __future__ import annotations

import hashlib
import re

from lnd.api.models import ApiClient
from lnd.core.models import AuditEvent
from lnd.extensions import db

TOKEN = re.compile(r"lnd_[A-Za-z0-9_-]{40,}")


def _issue(client, name="Power BI workforce dashboard", purpose="Directors' monthly compliance figures"):
    return client.post("/api-clients/new", data={"name": name, "purpose": purpose})


def test_od_issues_a_token_and_sees_it_once(client, login, od):
    login(od)
    page = client.get("/api-clients/").get_data(as_text=True)
    assert "No tokens have been issued yet." in page and 'href="/api-clients/new"' in page
    assert "Issue an API token" in client.get("/api-clients/new").get_data(as_text=True)
    response = _issue(client)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Token issued" in page and "You will not be able to see it again" in page
    tokens = set(TOKEN.findall(page))
    assert len(tokens) == 1
    token = tokens.pop()
    stored = db.session.scalar(db.select(ApiClient))
    assert stored.name == "Power BI workforce dashboard" and stored.created_by_id == od.id
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    # The list shows the client and the start of its token, never the token
    listing = client.get("/api-clients/").get_data(as_text=True)
    assert "Power BI workforce dashboard" in listing and "Directors&#39; monthly compliance figures" in listing
    assert stored.token_hint in listing and token not in listing
    assert "Never" in listing and "Active" in listing and "by Odette Admin" in listing
    # The token works
    assert client.get("/api/v1/people", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    listing = client.get("/api-clients/").get_data(as_text=True)
    assert "22 November 2026 at 10:00" in listing   # last used (London time)


def test_issuing_writes_an_audit_row_without_the_token(client, login, od):
    login(od)
    token = TOKEN.search(_issue(client).get_data(as_text=True)).group(0)
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="api_client.issued"))
    assert event.actor_id == od.id and event.entity_type == "api_client"
    assert event.summary == "Issued an API token for Power BI workforce dashboard"
    assert event.after["name"] == "Power BI workforce dashboard"
    assert token not in repr((event.summary, event.before, event.after))


def test_od_revokes_a_token_and_the_api_refuses_it(client, login, od):
    login(od)
    token = TOKEN.search(_issue(client).get_data(as_text=True)).group(0)
    stored = db.session.scalar(db.select(ApiClient))
    listing = client.get("/api-clients/").get_data(as_text=True)
    assert f'href="/api-clients/{stored.id}/revoke"' in listing
    page = client.get(f"/api-clients/{stored.id}/revoke").get_data(as_text=True)
    assert "Are you sure you want to revoke this token?" in page
    response = client.post(f"/api-clients/{stored.id}/revoke", data={})
    assert response.status_code == 302 and response.headers["Location"] == "/api-clients/"
    listing = client.get("/api-clients/").get_data(as_text=True)
    assert "Token revoked: Power BI workforce dashboard can no longer use the API." in listing
    assert "Revoked" in listing and f"/api-clients/{stored.id}/revoke" not in listing
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="api_client.revoked"))
    assert event.actor_id == od.id and event.entity_id == str(stored.id)
    assert event.summary == "Revoked the API token for Power BI workforce dashboard"
    response = client.get("/api/v1/people", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_revoking_twice_changes_nothing(client, login, od):
    login(od)
    _issue(client)
    stored = db.session.scalar(db.select(ApiClient))
    client.post(f"/api-clients/{stored.id}/revoke", data={})
    first = db.session.scalar(db.select(ApiClient)).revoked_at
    response = client.post(f"/api-clients/{stored.id}/revoke", data={}, follow_redirects=True)
    assert "was already revoked" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(ApiClient)).revoked_at == first
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).filter_by(action="api_client.revoked")) == 1


def test_a_client_that_does_not_exist_is_404(client, login, od):
    login(od)
    assert client.get("/api-clients/999/revoke").status_code == 404


def test_the_form_says_what_is_missing_or_wrong(client, login, od):
    login(od)
    page = _issue(client, name="  ").get_data(as_text=True)
    assert "There is a problem" in page and "Enter the name of the tool or team that will use the token" in page
    page = _issue(client, name="x" * 121).get_data(as_text=True)
    assert "The name must be 120 characters or fewer" in page
    assert db.session.scalar(db.select(db.func.count(ApiClient.id))) == 0
    _issue(client, name="Qlik")
    page = _issue(client, name="qlik").get_data(as_text=True)
    assert "A client with this name already has a token" in page
    assert db.session.scalar(db.select(db.func.count(ApiClient.id))) == 1


def test_a_revoked_clients_name_can_be_used_again(client, login, od):
    login(od)
    _issue(client, name="Qlik")
    client.post(f"/api-clients/{db.session.scalar(db.select(ApiClient.id))}/revoke", data={})
    assert "Token issued" in _issue(client, name="Qlik").get_data(as_text=True)


def test_only_the_od_team_may_use_the_pages(client, login, make_person, od):
    manager = make_person("Mia", "Manager", roles=("staff", "manager"))
    assert client.get("/api-clients/").status_code == 302          # anonymous: to sign in
    login(od)
    _issue(client, name="Existing")
    client.post("/logout")
    stored = db.session.scalar(db.select(ApiClient))
    login(manager)
    assert client.get("/api-clients/").status_code == 403
    assert client.get("/api-clients/new").status_code == 403
    assert _issue(client, name="Sneaky").status_code == 403
    assert client.post(f"/api-clients/{stored.id}/revoke", data={}).status_code == 403
    assert db.session.scalar(db.select(db.func.count(ApiClient.id))) == 1
    assert db.session.scalar(db.select(ApiClient)).revoked_at is None
