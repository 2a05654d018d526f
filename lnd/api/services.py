"""Issuing, revoking and checking the bearer tokens of API clients. Each use case flushes; the view
or command commits."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select

from lnd.api.models import NAME_MAX, PURPOSE_MAX, ApiClient
from lnd.core import audit
from lnd.core.clock import as_utc
from lnd.extensions import db
from lnd.people.models import Person

TOKEN_PREFIX = "lnd_"          # lets secret scanners and people recognise a token of this service
TOKEN_BYTES = 32
HINT_LENGTH = 8
# Last-used times are kept to the minute: a busy client does not write on every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class ApiClientError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(TOKEN_BYTES)


def issue_client(name: str, purpose: str, actor: Person, now: datetime) -> tuple[ApiClient, str]:
    """A new client with a new token; returns the client and the token, which is never stored."""
    name, purpose = (name or "").strip(), (purpose or "").strip()
    if not name:
        raise ApiClientError("Enter the name of the tool or team that will use the token", "name")
    if len(name) > NAME_MAX:
        raise ApiClientError(f"The name must be {NAME_MAX} characters or fewer", "name")
    if len(purpose) > PURPOSE_MAX:
        raise ApiClientError(f"The purpose must be {PURPOSE_MAX:,} characters or fewer", "purpose")
    clash = db.session.scalar(select(ApiClient.id).where(
        db.func.lower(ApiClient.name) == name.lower(), ApiClient.revoked_at.is_(None)))
    if clash is not None:
        raise ApiClientError("A client with this name already has a token: revoke it first or choose "
                             "another name", "name")
    token = new_token()
    client = ApiClient(name=name, purpose=purpose, token_hash=hash_token(token),
                       token_hint=token[:len(TOKEN_PREFIX) + HINT_LENGTH], created_at=now, created_by_id=actor.id)
    db.session.add(client)
    db.session.flush()
    audit.record("api_client.issued", "api_client", client.id, actor=actor,
                 summary=f"Issued an API token for {name}",
                 after={"name": name, "purpose": purpose, "token_hint": client.token_hint})
    return client, token


def revoke_client(client: ApiClient, actor: Person, now: datetime) -> bool:
    """Revoke the client's token at once; False when it was already revoked (nothing changes)."""
    if client.revoked_at is not None:
        return False
    client.revoked_at = now
    client.revoked_by_id = actor.id
    db.session.flush()
    audit.record("api_client.revoked", "api_client", client.id, actor=actor,
                 summary=f"Revoked the API token for {client.name}",
                 before={"revoked_at": None}, after={"revoked_at": now})
    return True


def client_for_token(token: str | None, now: datetime) -> ApiClient | None:
    """The active client holding this token, its last-used time brought up to date; None for an
    unknown or revoked token."""
    if not token:
        return None
    client = db.session.scalar(select(ApiClient).where(ApiClient.token_hash == hash_token(token)))
    if client is None or client.revoked_at is not None:
        return None
    last_used = as_utc(client.last_used_at)
    if last_used is None or now - last_used >= LAST_USED_RESOLUTION:
        client.last_used_at = now
        db.session.flush()
    return client
