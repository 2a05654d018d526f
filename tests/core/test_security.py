"""Security headers on every response, the session cookie, sessions ended by sign-out, and the
sign-in rate limits (per account and per address)."""
from __future__ import annotations

import re
import time
from types import SimpleNamespace

import pytest

from lnd import create_app
from lnd.people.models import ROLES
from tests.core.visitors import TEST_PASSWORD, Visitor, is_login_redirect

REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}


def _csp(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def header_problems(response, what: str) -> list[str]:
    problems = []
    csp = _csp(response)
    if not csp:
        return [f"{what}: no Content-Security-Policy"]
    if csp.get("script-src", csp.get("default-src")) != ["'self'"]:
        problems.append(f"{what}: script-src is {csp.get('script-src')}, expected only 'self'")
    for directive, sources in csp.items():
        for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:") if directive in (
                "script-src", "default-src") else ("'unsafe-inline'", "'unsafe-eval'"):
            if unsafe in sources:
                problems.append(f"{what}: {directive} allows {unsafe}")
    if csp.get("frame-ancestors") != ["'none'"]:
        problems.append(f"{what}: frame-ancestors is {csp.get('frame-ancestors')}, expected 'none'")
    if csp.get("object-src") != ["'none'"]:
        problems.append(f"{what}: object-src is {csp.get('object-src')}, expected 'none'")
    if "base-uri" not in csp:
        problems.append(f"{what}: no base-uri")
    if response.headers.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"{what}: X-Content-Type-Options is {response.headers.get('X-Content-Type-Options')!r}")
    if response.headers.get("Referrer-Policy") not in REFERRER_POLICIES:
        problems.append(f"{what}: Referrer-Policy is {response.headers.get('Referrer-Policy')!r}")
    if response.mimetype == "text/html":
        problems += inline_script_problems(response.get_data(as_text=True), what)
        if "no-store" not in (response.headers.get("Cache-Control") or ""):
            problems.append(f"{what}: an HTML page that may be cached (Cache-Control: "
                            f"{response.headers.get('Cache-Control')!r})")
    return problems


_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_HANDLER = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.I)
_JS_URL = re.compile(r"""(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)


def inline_script_problems(html: str, what: str) -> list[str]:
    """What the CSP would block in a browser: inline scripts, event-handler attributes, javascript: URLs."""
    problems = []
    for attributes, body in _SCRIPT.findall(html):
        if "src=" not in attributes.lower() or body.strip():
            problems.append(f"{what}: an inline <script{attributes}>")
    if _HANDLER.search(html):
        problems.append(f"{what}: an inline event handler: {_HANDLER.search(html).group(0)[:100]}")
    if _JS_URL.search(html):
        problems.append(f"{what}: a javascript: URL")
    return problems


# ---------------------------------------------------------------------------------------------
# Headers on every response
# ---------------------------------------------------------------------------------------------

def _sample_url(app, rule, person_id: int) -> str:
    """An address for the route: the visitor's own id, a live course or section, or an id that does
    not exist (the 404 page needs the headers as much as any other)."""
    from flask import url_for

    values = {}
    for name in rule.arguments:
        if name == "person_id":
            values[name] = person_id
        elif name == "slug":
            values[name] = "life-story-work" if rule.rule.startswith("/courses/") else "core-offer"
        else:
            values[name] = 999_999
    with app.test_request_context():
        return url_for(rule.endpoint, **values)


def test_security_headers_on_every_page_signed_in_or_not(app, offer, make_person):
    everything = make_person("Ava", "Allroles", roles=tuple(ROLES))
    visitors = [Visitor(app, "anonymous"), Visitor(app, "everything", everything).sign_in()]
    problems, tried = [], 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        url = _sample_url(app, rule, everything.id)
        for visitor in visitors:
            response = visitor.get(url)
            tried += 1
            problems += header_problems(response, f"GET {url} as {visitor.name} ({response.status_code})")
    assert tried > 20
    assert not problems, "\n".join(problems)


def test_security_headers_on_errors_redirects_posts_and_static_files(app, db, make_person):
    person = make_person()
    visitor = Visitor(app, "staff", person)
    responses = {
        "sign-in POST (wrong password)": visitor.post("/login", data={"email": person.email, "password": "nope"}),
        "sign-in POST (redirect)": visitor.post("/login", data={"email": person.email, "password": TEST_PASSWORD}),
        "404": visitor.get("/no-such-page"),
        "405": visitor.get("/logout"),
        "403": visitor.get("/people/import"),
        "static file": visitor.get("/static/js/app.mjs"),
        "health check": visitor.get("/healthz"),
    }
    assert responses["sign-in POST (redirect)"].status_code == 302
    assert responses["404"].status_code == 404 and responses["405"].status_code == 405
    assert responses["403"].status_code == 403 and responses["static file"].status_code == 200
    problems = [problem for what, response in responses.items() for problem in header_problems(response, what)]
    assert not problems, "\n".join(problems)


def test_a_page_cannot_be_framed(client):
    response = client.get("/login")
    assert _csp(response)["frame-ancestors"] == ["'none'"]
    assert response.headers.get("X-Frame-Options") == "DENY"


def test_inline_script_check_finds_what_the_policy_would_block():
    assert inline_script_problems('<script>alert(1)</script>', "x")
    assert inline_script_problems('<a href="javascript:alert(1)">x</a>', "x")
    assert inline_script_problems('<button onclick="go()">x</button>', "x")
    assert not inline_script_problems('<script type="module" src="/static/js/app.mjs"></script>', "x")


# ---------------------------------------------------------------------------------------------
# The session cookie
# ---------------------------------------------------------------------------------------------

def _session_cookie(response) -> str:
    cookies = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")]
    assert cookies, f"no session cookie set: {response.headers.getlist('Set-Cookie')}"
    return cookies[-1]


def _attributes(cookie: str) -> set[str]:
    """'session=…; Secure; HttpOnly; SameSite=Lax' -> {'secure', 'httponly', 'samesite=lax', …}"""
    found = set()
    for part in cookie.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        found.add(f"samesite={value.lower()}" if name.lower() == "samesite" else name.lower())
    return found


def test_session_cookie_is_httponly_and_samesite_lax(app, db, make_person):
    person = make_person()
    response = Visitor(app, "staff", person).post("/login", data={"email": person.email, "password": TEST_PASSWORD})
    attributes = _attributes(_session_cookie(response))
    assert "httponly" in attributes
    assert "samesite=lax" in attributes
    assert "secure" not in attributes   # plain HTTP in development and tests


@pytest.fixture
def https_app(app, monkeypatch):
    """The app as deployed behind HTTPS: LND_HTTPS=1 in the environment."""
    monkeypatch.setenv("LND_HTTPS", "1")
    overrides = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "INSTANCE_PATH", "UPLOAD_DIR",
                                                  "MAIL_OUTBOX_DIR", "SECRET_KEY")}
    secured = create_app({**overrides, "TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
    yield secured
    from lnd.extensions import db

    with secured.app_context():
        db.engine.dispose()


def test_session_cookie_is_secure_when_served_over_https(https_app, db, make_person):
    assert https_app.config["SESSION_COOKIE_SECURE"] is True
    person = make_person()
    visitor = Visitor(https_app, "staff", person)
    response = visitor.post("/login", data={"email": person.email, "password": TEST_PASSWORD},
                            base_url="https://localhost")
    attributes = _attributes(_session_cookie(response))
    assert {"secure", "httponly", "samesite=lax"} <= attributes
    strict = visitor.get("/login", base_url="https://localhost").headers.get("Strict-Transport-Security", "")
    assert "max-age=" in strict


def test_a_session_cookie_copied_before_sign_out_is_worthless_after_it(app, db, make_person):
    """Each request here has its own application context (see visitors.py), so nothing but the
    cookie can carry the sign-in from one client to the other."""
    person = make_person()
    browser = Visitor(app, "staff", person).sign_in()
    stolen = browser.client.get_cookie("session").value
    thief = Visitor(app, "thief")
    thief.client.set_cookie("session", stolen)
    assert thief.get("/").status_code == 200          # the copy works while the session lasts
    assert browser.post("/logout").status_code == 302
    assert is_login_redirect(thief.get("/"))           # and not after sign-out
    assert is_login_redirect(browser.get("/"))


def test_an_anonymous_client_is_not_signed_in_by_another_clients_request(app, db, make_person):
    person = make_person()
    Visitor(app, "staff", person).sign_in()
    assert is_login_redirect(Visitor(app, "anonymous").get("/"))


# ---------------------------------------------------------------------------------------------
# Sign-in rate limits
# ---------------------------------------------------------------------------------------------

class FakeClock:
    """Stands in for the `time` module inside the limits package, so the window can pass at once."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def limited_app(app, monkeypatch):
    """The app with the limiter on (the shared `app` fixture turns it off), on a clock the test moves."""
    import limits.storage.memory
    import limits.strategies

    from lnd.extensions import limiter

    clock = FakeClock()
    fake_time = SimpleNamespace(time=clock.time, sleep=time.sleep, monotonic=time.monotonic)
    monkeypatch.setattr(limits.storage.memory, "time", fake_time)
    monkeypatch.setattr(limits.strategies, "time", fake_time)
    # The limiter is one object shared by every app in the process: put it back as it was afterwards,
    # so the rest of the suite keeps running with it off.
    saved = dict(vars(limiter))
    overrides = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "INSTANCE_PATH", "UPLOAD_DIR",
                                                  "MAIL_OUTBOX_DIR", "SECRET_KEY")}
    limited = create_app({**overrides, "TESTING": True, "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
                          "RATELIMIT_STORAGE_URI": "memory://"})
    assert limited.config["LOGIN_LIMIT"] == "10 per minute"
    limited.fake_clock = clock
    yield limited
    vars(limiter).clear()
    vars(limiter).update(saved)
    from lnd.extensions import db

    with limited.app_context():
        db.engine.dispose()


def _attempt(app, email: str, password: str, address: str):
    return Visitor(app, address).post("/login", data={"email": email, "password": password},
                                      environ_base={"REMOTE_ADDR": address})


def _assert_refused(response):
    assert response.status_code == 429, response.status_code
    page = response.get_data(as_text=True)
    assert "Too many attempts" in page
    assert not header_problems(response, "429 page")


def test_the_eleventh_wrong_password_in_a_minute_is_refused_and_the_right_one_works_later(limited_app, db,
                                                                                          make_person):
    person = make_person()
    for attempt in range(10):
        response = _attempt(limited_app, person.email, f"wrong-{attempt}", "192.0.2.10")
        assert response.status_code == 200, (attempt, response.status_code)
        assert "Enter a correct email address and password" in response.get_data(as_text=True)
    _assert_refused(_attempt(limited_app, person.email, "wrong-again", "192.0.2.10"))
    # Within the minute even the right password is refused: the limit does not tell right from wrong.
    limited_app.fake_clock.advance(30)
    _assert_refused(_attempt(limited_app, person.email, TEST_PASSWORD, "192.0.2.10"))
    limited_app.fake_clock.advance(31)
    assert _attempt(limited_app, person.email, TEST_PASSWORD, "192.0.2.10").status_code == 302


def test_the_limit_is_per_account_whatever_the_address(limited_app, db, make_person):
    person, bystander = make_person(), make_person()
    for attempt in range(10):
        response = _attempt(limited_app, person.email, "wrong", f"198.51.100.{attempt + 1}")
        assert response.status_code == 200, (attempt, response.status_code)
    _assert_refused(_attempt(limited_app, person.email, "wrong", "198.51.100.200"))
    _assert_refused(_attempt(limited_app, person.email, TEST_PASSWORD, "198.51.100.201"))
    # Someone else signing in from one of those addresses is not held up.
    assert _attempt(limited_app, bystander.email, TEST_PASSWORD, "198.51.100.1").status_code == 302
    limited_app.fake_clock.advance(61)
    assert _attempt(limited_app, person.email, TEST_PASSWORD, "198.51.100.201").status_code == 302


def test_the_limit_is_per_address_whatever_the_account(limited_app, db, make_person):
    person = make_person()
    for attempt in range(10):
        response = _attempt(limited_app, f"guess{attempt}@example.org", "wrong", "203.0.113.7")
        assert response.status_code == 200, (attempt, response.status_code)
    _assert_refused(_attempt(limited_app, "guess-again@example.org", "wrong", "203.0.113.7"))
    _assert_refused(_attempt(limited_app, person.email, TEST_PASSWORD, "203.0.113.7"))
    # The same person from another address is fine, and from this one once the minute has passed.
    assert _attempt(limited_app, person.email, TEST_PASSWORD, "203.0.113.8").status_code == 302
    limited_app.fake_clock.advance(61)
    assert _attempt(limited_app, person.email, TEST_PASSWORD, "203.0.113.7").status_code == 302


def test_successful_sign_ins_do_not_use_up_the_limit(limited_app, db, make_person):
    person = make_person()
    for _ in range(15):
        assert _attempt(limited_app, person.email, TEST_PASSWORD, "192.0.2.99").status_code == 302


@pytest.mark.parametrize("hops, expected", [(0, "127.0.0.1"), (1, "203.0.113.7")])
def test_behind_a_proxy_the_audit_log_sees_the_persons_own_address(app, db, make_person, hops, expected):
    from lnd.core.models import AuditEvent

    overrides = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "INSTANCE_PATH", "UPLOAD_DIR",
                                                  "MAIL_OUTBOX_DIR", "SECRET_KEY")}
    proxied = create_app({**overrides, "TESTING": True, "WTF_CSRF_ENABLED": False, "PROXY_HOPS": hops})
    person = make_person()
    response = proxied.test_client().post("/login", data={"email": person.email, "password": "wrong"},
                                          headers={"X-Forwarded-For": "203.0.113.7"},
                                          environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert response.status_code == 200
    db.session.rollback()
    event = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.remote_addr == expected
    from lnd.extensions import db as _db

    with proxied.app_context():
        _db.engine.dispose()
