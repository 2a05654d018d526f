"""Test clients that behave like separate browsers, and a fingerprint of everything in the database.

The `db` fixture keeps an application context pushed for the whole test, and Flask reuses a pushed
context for requests to the same app: `g` (where Flask-Login caches the signed-in person) and the
database session would then carry over from one request to the next, even between two different
clients. A Visitor sends each request from an empty `contextvars.Context`, so every request gets
its own application context, its own `g` and its own database session, as it would in production.
"""
from __future__ import annotations

import contextvars
import hashlib
import re
from urllib.parse import urlsplit

from lnd.extensions import db as _db

TEST_PASSWORD = "correct-horse-battery"
_CSRF_INPUT = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
_VALUE = re.compile(r'value="([^"]*)"')


class Visitor:
    """One browser: its own cookies; `person` is who it signs in as (None: anonymous)."""

    def __init__(self, app, name: str, person=None):
        self.app = app
        self.name = name
        self.person = person
        self.client = app.test_client()

    def __repr__(self) -> str:
        return f"<Visitor {self.name}>"

    def open(self, method: str, url: str, **kwargs):
        kwargs.setdefault("buffered", True)   # read the whole body and close files sent from disk
        return contextvars.Context().run(self.client.open, url, method=method, **kwargs)

    def get(self, url: str, **kwargs):
        return self.open("GET", url, **kwargs)

    def post(self, url: str, **kwargs):
        return self.open("POST", url, **kwargs)

    def csrf_token(self, url: str = "/login") -> str:
        page = self.get(url, follow_redirects=True).get_data(as_text=True)  # signed in: /login -> /
        found = _CSRF_INPUT.search(page)
        assert found, f"no csrf_token field on {url}"
        return _VALUE.search(found.group(0)).group(1)

    def sign_in(self, password: str = TEST_PASSWORD, *, with_token: bool = False):
        data = {"email": self.person.email, "password": password}
        if with_token:
            data["csrf_token"] = self.csrf_token()
        response = self.post("/login", data=data)
        assert response.status_code == 302, (self.name, response.status_code, response.get_data(as_text=True)[:300])
        return self


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and urlsplit(response.headers.get("Location", "")).path == "/login"


def fingerprint() -> str:
    """A digest of every row of every table, to prove a request changed nothing."""
    _db.session.rollback()  # end this session's snapshot: see what requests have committed
    connection = _db.session.connection()
    quote = connection.dialect.identifier_preparer.quote
    digest = hashlib.sha256()
    for table in _db.metadata.sorted_tables:
        rows = connection.exec_driver_sql(f"SELECT * FROM {quote(table.name)}").fetchall()
        digest.update(table.name.encode())
        digest.update("\n".join(sorted(map(repr, rows))).encode())
    _db.session.rollback()
    return digest.hexdigest()
