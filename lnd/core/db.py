"""Database engine set-up. The only place that knows SQLite from PostgreSQL."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

# Whether the transactions begun now are going to write (POST requests, commands, services run
# from threads). Reads stay deferred so that they never wait for a writer under WAL.
_write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)


def set_write_intent(value: bool):
    return _write_intent.set(value)


@contextmanager
def writing():
    """Mark the transactions begun inside as write transactions (BEGIN IMMEDIATE on SQLite)."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def is_sqlite(uri: str) -> bool:
    return uri.startswith("sqlite")


def engine_options(uri: str) -> dict:
    if is_sqlite(uri):
        # Concurrent writers wait for each other instead of failing at once.
        return {"connect_args": {"timeout": 30, "check_same_thread": False}}
    if uri.startswith("postgresql://"):
        return {"pool_pre_ping": True}
    return {"pool_pre_ping": True}


def normalise_uri(uri: str) -> str:
    """psycopg 3 is the PostgreSQL driver; accept plain postgresql:// URLs."""
    if uri.startswith("postgres://"):
        uri = "postgresql://" + uri[len("postgres://"):]
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://"):]
    return uri


def configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys and write transactions that take the write lock when they begin.

    pysqlite's own transaction handling starts a deferred transaction lazily, so two writers can
    both read and then fail to upgrade their lock ("database is locked"). Taking over BEGIN and
    issuing BEGIN IMMEDIATE for write transactions serialises writers at the start instead;
    read-only transactions stay deferred and, under WAL, never wait.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _write_intent.get() else "BEGIN")


def init_app(app) -> None:
    """Requests that may change state (anything but GET/HEAD/OPTIONS) begin write transactions."""

    @app.before_request
    def _mark_writes():
        from flask import g, request

        if request.method not in ("GET", "HEAD", "OPTIONS"):
            g._write_token = set_write_intent(True)

    @app.teardown_request
    def _unmark(exc):
        from flask import g

        token = g.pop("_write_token", None)
        if token is not None:
            _write_intent.reset(token)
