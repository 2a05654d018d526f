"""What the benchmarks share: the app on a throwaway SQLite database and a statement counter."""
from __future__ import annotations

import sys
from contextlib import contextmanager
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 22)
PASSWORD = "benchmark-password"


def bench_app(folder: str):
    """The app on an empty SQLite database in `folder`, with the clock fixed at TODAY."""
    from lnd import create_app
    from lnd.core import clock
    from lnd.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3", "INSTANCE_PATH": folder,
                      "TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "SECRET_KEY": "benchmark"})
    clock.freeze(TODAY)
    with app.app_context():
        db.create_all()
    return app


@contextmanager
def counting_statements(engine):
    """Yields a list that gains one item per SQL statement run while the block runs."""
    from sqlalchemy import event

    statements: list[int] = []

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)
