"""Bearer tokens: only the token of an active client opens the API; the token itself is never stored;
each refusal is a 401 in JSON that says what to do."""
from __future__ import annotations

import hashlib
from datetime import timedelta

from lnd.api import services
from lnd.api.models import ApiClient
from lnd.core import clock
from lnd.extensions import db

from tests.api.conftest import NOW

LISTS = ["/people", "/courses", "/completions", "/compliance", "/bookings"]


def _refused(response, error_code=None):
    assert response.status_code == 401
    assert response.mimetype == "application/json"
    challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith('Bearer realm="lnd-api"')
    assert (f'error="{error_code}"' in challenge) if error_code else ("error=" not in challenge)
    assert response.json["error"]
    return response.json["error"]


def test_every_list_answers_a_valid_token(api):
    for path in LISTS:
        response = api(path)
        assert response.status_code == 200, (path, response.json)
        assert response.mimetype == "application/json"
        assert response.headers["Cache-Control"] == "no-store"


def test_no_authorization_header_is_refused_on_every_list(api):
    for path in LISTS:
        message = _refused(api(path, token=None))
        assert "Authorization: Bearer <token>" in message


def test_an_unknown_token_is_refused(api, token):
    assert "not recognised or has been revoked" in _refused(api("/people", token=token + "x"), "invalid_token")
    _refused(api("/people", token="lnd_not-a-token"), "invalid_token")


def test_other_schemes_and_empty_tokens_are_refused(api, token):
    _refused(api("/people", token=None, headers={"Authorization": f"Basic {token}"}))
    _refused(api("/people", token=None, headers={"Authorization": "Bearer "}))
    _refused(api("/people", token=None, headers={"Authorization": token}))
    # The scheme is case-insensitive (RFC 7235)
    assert api("/people", token=None, headers={"Authorization": f"bearer {token}"}).status_code == 200


def test_a_revoked_token_is_refused_at_once(api, issue, od):
    client, token = issue("Tableau")
    assert api("/people", token=token).status_code == 200
    services.revoke_client(db.session.get(ApiClient, client.id), od, clock.now())
    db.session.commit()
    _refused(api("/people", token=token), "invalid_token")


def test_revoking_one_client_leaves_the_others_working(api, issue, od):
    first, first_token = issue("Power BI")
    _second, second_token = issue("Qlik")
    services.revoke_client(db.session.get(ApiClient, first.id), od, clock.now())
    db.session.commit()
    _refused(api("/people", token=first_token), "invalid_token")
    assert api("/people", token=second_token).status_code == 200


def test_a_signed_in_person_without_a_token_is_refused(api, login, od):
    login(od)
    _refused(api("/people", token=None))


def test_the_api_sets_no_session_cookie(api):
    assert "Set-Cookie" not in api("/people").headers
    assert "Set-Cookie" not in api("/people", token=None).headers


def test_only_a_hash_of_the_token_is_stored(issue):
    client, token = issue()
    assert token.startswith("lnd_") and len(token) >= 40
    stored = db.session.get(ApiClient, client.id)
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert stored.token_hint == token[:12]
    row = db.session.execute(db.select(ApiClient.__table__)).one()
    assert token not in repr(tuple(row))


def test_each_token_is_different(issue):
    tokens = {issue(f"Client {n}")[1] for n in range(5)}
    assert len(tokens) == 5


def test_the_last_use_is_recorded_to_the_minute(api, issue):
    client, token = issue("Scheduled load")
    assert db.session.get(ApiClient, client.id).last_used_at is None
    api("/people", token=token)
    db.session.expire_all()
    assert _utc(db.session.get(ApiClient, client.id).last_used_at) == NOW
    clock.freeze(NOW + timedelta(seconds=30))      # within the minute: no write
    api("/people", token=token)
    db.session.expire_all()
    assert _utc(db.session.get(ApiClient, client.id).last_used_at) == NOW
    clock.freeze(NOW + timedelta(minutes=5))
    api("/courses", token=token)
    db.session.expire_all()
    assert _utc(db.session.get(ApiClient, client.id).last_used_at) == NOW + timedelta(minutes=5)


def test_a_refused_request_does_not_touch_last_use(api, issue, od):
    client, token = issue("Old dashboard")
    services.revoke_client(db.session.get(ApiClient, client.id), od, clock.now())
    db.session.commit()
    api("/people", token=token)
    db.session.expire_all()
    assert db.session.get(ApiClient, client.id).last_used_at is None


def test_the_openapi_document_needs_no_token(api):
    response = api("/openapi.json", token=None)
    assert response.status_code == 200
    assert response.json["openapi"].startswith("3.")


def _utc(moment):
    from datetime import timezone

    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def test_an_unknown_api_address_answers_in_json(client):
    response = client.get("/api/v1/no-such-list")
    assert response.status_code == 404
    assert response.get_json() == {"error": "Page not found."}
    wrong_method = client.post("/api/v1/people")
    assert wrong_method.status_code in (400, 405)
    assert wrong_method.is_json
