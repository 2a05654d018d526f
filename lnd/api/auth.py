"""The bearer-token check in front of every data route of the API.

The API never looks at the session cookie: a person signed in to the web pages is refused like
anyone else without a token. Refusals are 401 JSON with a WWW-Authenticate header (RFC 6750).
"""
from __future__ import annotations

from functools import wraps

from flask import g, jsonify, request

from lnd.api import services
from lnd.core import clock
from lnd.extensions import db

REALM = "lnd-api"
POLICY = "bearer token of an active API client (issued by od_admin)"

NO_TOKEN = "Send your API token in the Authorization header: 'Authorization: Bearer <token>'."
BAD_TOKEN = "The API token is not recognised or has been revoked. Ask the OD team for a new token."


def unauthorized(message: str, error_code: str | None = None):
    challenge = f'Bearer realm="{REALM}"'
    if error_code:
        challenge += f', error="{error_code}"'
    response = jsonify({"error": message})
    response.status_code = 401
    response.headers["WWW-Authenticate"] = challenge
    return response


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def token_required(view):
    """Let the request through only with the token of an active client (kept in g.api_client)."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        token = bearer_token()
        if token is None:
            return unauthorized(NO_TOKEN)
        client = services.client_for_token(token, clock.now())
        if client is None:
            db.session.rollback()
            return unauthorized(BAD_TOKEN, "invalid_token")
        db.session.commit()   # the last-used time, whatever the rest of the request does
        g.api_client = client
        return view(*args, **kwargs)

    return wrapper
