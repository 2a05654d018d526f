"""Browser journeys: the app served for real by gunicorn on a loopback port, driven by Chromium.

The session prepares its own database (a SQLite file, or a database of its own on the PostgreSQL
server named by LND_TEST_DATABASE_URL), migrates and seeds it with the demo organisation through the
command line as a deployment would, and serves it with the date fixed at LND_TODAY.
On a failing test the page's screenshot and HTML are kept under instance/e2e-failures/.
"""
from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.e2e.helpers import visit_log

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("LND_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FAILURES = ROOT / "instance" / "e2e-failures"
TODAY = "2026-11-22"          # the demo organisation's dates are chosen around this day
STARTUP_SECONDS = 60


@dataclass
class LiveServer:
    url: str
    database_url: str
    instance_path: Path
    log_path: Path

    def log_tail(self, lines: int = 40) -> str:
        """The end of the server's log, without the requests for static files."""
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
            return "\n".join([line for line in text if "/static/" not in line][-lines:])
        except OSError:
            return "(no server log)"


# ---------------------------------------------------------------------------------------------
# Every test here is a browser journey (`-m "not e2e"` leaves them out)
# ---------------------------------------------------------------------------------------------

def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


# ---------------------------------------------------------------------------------------------
# Failure artefacts
# ---------------------------------------------------------------------------------------------

@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _save_failure(page, nodeid: str) -> list[Path]:
    FAILURES.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[-150:]
    saved = []
    try:
        shot = FAILURES / f"{stem}.png"
        page.screenshot(path=str(shot), full_page=True)
        saved.append(shot)
    except Exception as error:  # the page may have crashed; keep what can be kept
        print(f"could not take a screenshot: {error}")
    try:
        html = FAILURES / f"{stem}.html"
        html.write_text(f"<!-- {page.url} -->\n" + page.content(), encoding="utf-8")
        saved.append(html)
    except Exception as error:
        print(f"could not save the page HTML: {error}")
    return saved


# ---------------------------------------------------------------------------------------------
# The database and the server
# ---------------------------------------------------------------------------------------------

@contextmanager
def _e2e_database(folder: Path):
    """A database for the server alone: never the one the rest of the suite empties between tests."""
    server_url = os.environ.get("LND_TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{folder / 'e2e.sqlite3'}"
        return
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from lnd.core.db import normalise_uri

    url = make_url(normalise_uri(server_url))
    name = f"lnd_e2e_{os.getpid()}_{secrets.token_hex(4)}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _flask(args: list[str], env: dict) -> None:
    command = [sys.executable, "-m", "flask", "--app", "lnd", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        pytest.fail(f"`flask --app lnd {' '.join(args)}` failed ({done.returncode}):\n{done.stdout}\n{done.stderr}",
                    pytrace=False)


def _wait_until_healthy(process: subprocess.Popen, url: str, server: LiveServer) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the app server stopped while starting ({process.returncode}):\n{server.log_tail()}",
                        pytrace=False)
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(f"the app server did not answer /healthz within {STARTUP_SECONDS}s:\n{server.log_tail()}",
                pytrace=False)


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("e2e")
    instance = folder / "instance"
    instance.mkdir()
    if not (ROOT / "static" / "build" / "app.css").is_file():
        pytest.fail("static/build/app.css is missing: run `make assets` first", pytrace=False)
    with _e2e_database(folder) as database_url:
        env = {
            **os.environ,
            "LND_DATABASE_URL": database_url,
            "LND_INSTANCE_PATH": str(instance),
            "LND_TODAY": TODAY,
            "SECRET_KEY": secrets.token_hex(32),
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("FLASK_APP", None)
        _flask(["db", "upgrade"], env)
        _flask(["seed", "--demo"], env)

        # The parent binds the port and hands the listening socket to gunicorn (fd://), so no other
        # process can take the port between choosing it and serving on it.
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        port = listener.getsockname()[1]
        url = f"http://127.0.0.1:{port}"
        server = LiveServer(url=url, database_url=database_url, instance_path=instance,
                            log_path=folder / "server.log")
        fd = listener.fileno()
        try:
            with open(server.log_path, "wb") as log:
                process = subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "--bind", f"fd://{fd}", "--workers", "2",
                     "--timeout", "60", "--no-control-socket", "--access-logfile", "-", "lnd:create_app()"],
                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, pass_fds=(fd,),
                )
        finally:
            listener.close()   # gunicorn has its own copy
        try:
            _wait_until_healthy(process, url, server)
            yield server
        finally:
            _stop(process)


# ---------------------------------------------------------------------------------------------
# The browser
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"Chromium is not installed at {CHROMIUM}: run `make system-test-packages` "
                    "(it installs Debian's chromium package)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def _tab(browser, request, base_url: str | None, server: LiveServer | None):
    """A fresh browser context (no cookies) per test; every page it loads must be checked with axe,
    and nothing may be blocked by the CSP or throw. On failure the screenshot and HTML are kept."""
    context = browser.new_context(base_url=base_url, locale="en-GB", timezone_id="Europe/London",
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    tab = context.new_page()
    visits = visit_log(tab)
    yield tab
    failed = any(getattr(request.node, f"rep_{when}", None) is not None
                 and getattr(request.node, f"rep_{when}").failed for when in ("setup", "call"))
    try:
        if failed:
            for path in _save_failure(tab, request.node.nodeid):
                print(f"kept {path.relative_to(ROOT)}")
            if server is not None:
                print(f"server log (last lines):\n{server.log_tail()}")
        else:
            tab.evaluate("1")  # deliver any load events still on their way
            unchecked = visits.unchecked()
            assert not unchecked, f"pages visited but never checked with check_accessibility: {unchecked}"
            assert not visits.script_problems, "\n".join(visits.script_problems)
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server, request):
    """A browser tab on the live server (relative addresses: page.goto("/login"))."""
    yield from _tab(browser, request, live_server.url, live_server)


@pytest.fixture
def bare_page(browser, request):
    """A browser tab with no server behind it, for checking the harness itself."""
    yield from _tab(browser, request, None, None)
