"""Fixtures: `app`, `db`, `client`, `runner`, and factories for people and courses.

The suite runs on SQLite by default and on PostgreSQL when LND_TEST_DATABASE_URL is set
(`make test` does both). The schema is created once per run; each test starts from empty tables.
"""
from __future__ import annotations

import contextvars
import itertools
import os
import socket
from datetime import date

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message
from flask import has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text

from lnd import create_app
from lnd.core import clock
from lnd.extensions import db as _db

TEST_PASSWORD = "correct-horse-battery"


class BrowserLikeClient(FlaskClient):
    """Each request runs in its own application context, with its own `g` and database session, as
    in production. (Flask would otherwise reuse the context the `db` fixture keeps pushed, carrying
    the signed-in person and the session over from one request, and one client, to the next.)
    What the test wrote is committed first, and the test's own objects are reloaded afterwards."""

    def open(self, *args, **kwargs):
        if has_app_context():
            _db.session.commit()
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if has_app_context():
            _db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    base = tmp_path_factory.mktemp("lnd")
    url = os.environ.get("LND_TEST_DATABASE_URL") or f"sqlite:///{base / 'test.sqlite3'}"
    application = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "INSTANCE_PATH": str(base / "instance"),
        "UPLOAD_DIR": str(base / "uploads"),
        "MAIL_OUTBOX_DIR": str(base / "outbox"),
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SECRET_KEY": "test-secret",
    })
    application.test_client_class = BrowserLikeClient
    with application.app_context():
        _db.drop_all()
        _db.create_all()
    yield application
    with application.app_context():
        _db.drop_all()
        _db.engine.dispose()


def _empty_tables():
    _db.session.rollback()
    tables = [t.name for t in reversed(_db.metadata.sorted_tables)]
    if _db.engine.dialect.name == "postgresql":
        _db.session.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            _db.session.execute(text(f'DELETE FROM "{table}"'))
    _db.session.commit()


@pytest.fixture
def db(app):
    with app.app_context():
        _empty_tables()
        yield _db
        _db.session.remove()
    clock.freeze(None)


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


_counter = itertools.count(1)


@pytest.fixture(scope="session")
def password_hash():
    from werkzeug.security import generate_password_hash

    return generate_password_hash(TEST_PASSWORD)


@pytest.fixture
def make_person(db, password_hash):
    """Create and commit a person: make_person(roles=['manager'], manager=boss, team='Assessment')."""
    from lnd.people.models import CHILDRENS_CARE, JobRole, Organisation, Person, Team

    def factory(first_name="Test", last_name=None, *, email=None, roles=("staff",), manager=None, team=None,
                job_role=None, organisation=None, kind=CHILDRENS_CARE, start_date=date(2024, 1, 8),
                leaving_date=None, swe=None, aspiring_manager=False, employee_number=None):
        n = next(_counter)
        org_name = organisation or ("Middlesbrough Council Children's Care" if kind == CHILDRENS_CARE else f"External {n}")
        org = _db.session.scalar(_db.select(Organisation).filter_by(name=org_name)) or Organisation(name=org_name, kind=kind)
        team_row = None
        if team:
            team_row = _db.session.scalar(_db.select(Team).filter_by(name=team)) or Team(name=team)
        role_row = None
        if job_role:
            role_row = _db.session.scalar(_db.select(JobRole).filter_by(name=job_role)) or JobRole(
                name=job_role, is_social_work="social worker" in job_role.lower())
        person = Person(
            first_name=first_name, last_name=last_name or f"Person{n}", email=email or f"person{n}@example.org",
            employee_number=employee_number or f"E{n:05d}", organisation=org, team=team_row, job_role=role_row,
            manager=manager, start_date=start_date, leaving_date=leaving_date, swe_registration_number=swe,
            aspiring_manager=aspiring_manager, password_hash=password_hash,
        )
        person.set_roles(roles)
        _db.session.add(person)
        _db.session.commit()
        return person

    return factory


@pytest.fixture
def login(client):
    def do_login(person, password=TEST_PASSWORD):
        response = client.post("/login", data={"email": person.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response

    return do_login


@pytest.fixture
def offer(app, db):
    """The whole offer and its requirement rules from seed/, committed."""
    from lnd.compliance.seed import load_requirements
    from lnd.courses.seed import load_offer

    result = load_offer(app.config["SEED_DIR"])
    load_requirements(app.config["SEED_DIR"])
    _db.session.commit()
    return result


class Inbox(Message):
    """An SMTP handler that keeps every message it receives."""

    def __init__(self):
        super().__init__()
        self.messages = []

    def handle_message(self, message):
        self.messages.append(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A real SMTP server on loopback that the app sends to; yields the handler (`.messages`)."""
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    try:
        yield handler
    finally:
        controller.stop()
