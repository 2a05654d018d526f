"""The access matrix: no route escapes a declared policy, and every declaration holds.

Adding a route means adding it to EXPECTED below (its methods and who may use it). If its address
takes an argument it also goes in SAMPLE_ARGS (catalogue slugs and the like) or, when the argument
names a person's record, in RECORD_CASES, which says who may see and who may change the owner's
record. The tests then try every route as every kind of visitor and fail on any answer the policy
does not allow: the page (200) for the right people; 403/404 or a redirect to sign in for the rest.

Every request goes through tests.core.visitors.Visitor, which gives each request its own application
context: with the `client` fixture a person signed in by one request stays in `g` for the next.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from flask import url_for

from lnd import create_app
from lnd.core.auth import Policy, policy_of
from lnd.people.models import ASYE_ASSESSOR, EXTERNAL_LEARNER, MANAGER, OD_ADMIN, ROLES, SCHOOL, STAFF, SUPERVISOR
from tests.core.visitors import TEST_PASSWORD, Visitor, fingerprint, is_login_redirect

ANYONE = Policy(anonymous=True)
SIGNED_IN = Policy()
OD_ONLY = Policy(roles=frozenset({OD_ADMIN}))
PERSON_RECORD = "staff-self, manager-of-owner, od_admin"
MANAGER_OR_OD = Policy(roles=frozenset({MANAGER, OD_ADMIN}), record="od_admin sees everyone; a manager sees their reports")

GET, POST = frozenset({"GET"}), frozenset({"POST"})
GET_POST = GET | POST

# endpoint -> (methods, policy): the one list of who may use which page.
EXPECTED: dict[str, tuple[frozenset[str], Policy]] = {
    "core.accessibility": (GET, ANYONE),
    "core.privacy": (GET, ANYONE),
    "core.health": (GET, ANYONE),
    "people.login": (GET_POST, ANYONE),
    "people.logout": (POST, SIGNED_IN),
    "people.directory": (GET, MANAGER_OR_OD),
    "people.person": (GET, Policy(record=PERSON_RECORD)),
    "people.import_upload": (GET_POST, OD_ONLY),
    "people.import_confirm": (POST, OD_ONLY),
    "compliance.home": (GET, SIGNED_IN),
    "courses.offer": (GET, SIGNED_IN),
    "courses.section": (GET, Policy(record="retired sections: od_admin only")),
    "courses.search": (GET, SIGNED_IN),
    "courses.course": (GET, Policy(record="retired courses: od_admin only")),
    "courses.new_course": (GET_POST, OD_ONLY),
    "courses.edit_course": (GET_POST, OD_ONLY),
    "courses.retire_course": (GET_POST, OD_ONLY),
    "courses.reinstate_course": (POST, OD_ONLY),
    "courses.new_section": (GET_POST, OD_ONLY),
    "courses.edit_section": (GET_POST, OD_ONLY),
    "courses.retire_section": (GET_POST, OD_ONLY),
    "courses.reinstate_section": (POST, OD_ONLY),
}

LIVE_COURSE = "life-story-work"
LIVE_SECTION = "core-offer"

# endpoint -> arguments for its address, given the world and the visitor (not a person's record).
SAMPLE_ARGS: dict[str, Callable] = {
    "courses.section": lambda world, visitor: {"slug": LIVE_SECTION},
    "courses.course": lambda world, visitor: {"slug": LIVE_COURSE},
    "courses.edit_course": lambda world, visitor: {"slug": LIVE_COURSE},
    "courses.retire_course": lambda world, visitor: {"slug": LIVE_COURSE},
    "courses.reinstate_course": lambda world, visitor: {"slug": LIVE_COURSE},
    "courses.edit_section": lambda world, visitor: {"slug": LIVE_SECTION},
    "courses.retire_section": lambda world, visitor: {"slug": LIVE_SECTION},
    "courses.reinstate_section": lambda world, visitor: {"slug": LIVE_SECTION},
}


@dataclass(frozen=True)
class RecordCase:
    """A route on one of the owner's records: the arguments naming it, who may GET it, who may POST."""

    args: Callable[[object], dict]
    may_get: frozenset[str]
    may_post: frozenset[str] = field(default_factory=frozenset)


OWNER_AND_MANAGERS_AND_OD = frozenset({"owner", "manager", "senior", "od"})

RECORD_CASES: dict[str, RecordCase] = {
    "people.person": RecordCase(lambda world: {"person_id": world.owner.id}, OWNER_AND_MANAGERS_AND_OD),
}

# Routes with an id in the address that is not a person's record (say why); they need SAMPLE_ARGS.
NOT_A_PERSONS_RECORD: dict[str, str] = {}

# A page that answers an allowed visitor with something other than 200 says so here:
# (endpoint, method, signed in?) -> (status, Location).
ALLOWED_ANSWER = {
    ("people.login", "GET", True): (302, "/"),   # somebody signed in is sent on from the sign-in page
}

IGNORED_METHODS = {"HEAD", "OPTIONS"}
PAIRS: Counter = Counter()   # (endpoint, what, visitor) -> requests, across the module
MINIMUM_PAIRS = 150


@pytest.fixture(scope="module", autouse=True)
def _report_pairs():
    yield
    routes = {pair[0] for pair in PAIRS}
    print(f"\naccess matrix: {len(PAIRS)} (route, method, visitor) pairs tried on {len(routes)} routes, "
          f"{sum(PAIRS.values())} requests")


def _routes(app):
    return sorted((rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"),
                  key=lambda rule: (rule.endpoint, rule.rule))


def _methods(rule) -> frozenset[str]:
    return frozenset(rule.methods - IGNORED_METHODS)


# ---------------------------------------------------------------------------------------------
# Declarations
# ---------------------------------------------------------------------------------------------

def test_every_route_declares_an_access_policy(app):
    undeclared = [f"{rule.endpoint} ({rule.rule})" for rule in _routes(app)
                  if policy_of(app.view_functions[rule.endpoint]) is None]
    assert not undeclared, "routes without @access(...): " + ", ".join(undeclared)


def test_every_route_is_in_the_expected_table_with_its_policy(app):
    problems = []
    seen = set()
    for rule in _routes(app):
        seen.add(rule.endpoint)
        declared = policy_of(app.view_functions[rule.endpoint])
        if rule.endpoint not in EXPECTED:
            problems.append(f"{rule.endpoint} ({rule.rule}) is not in EXPECTED: say who may use it; "
                            f"it declares {declared.describe() if declared else 'nothing'}:\n"
                            f"    {_table_row(rule, declared)}")
            continue
        methods, policy = EXPECTED[rule.endpoint]
        if _methods(rule) != methods:
            problems.append(f"{rule.endpoint} accepts {sorted(_methods(rule))}, expected {sorted(methods)}")
        if declared != policy:
            problems.append(f"{rule.endpoint} declares {declared}, expected {policy}")
        if rule.arguments and rule.endpoint not in SAMPLE_ARGS and rule.endpoint not in RECORD_CASES:
            problems.append(f"{rule.endpoint} ({rule.rule}) takes {sorted(rule.arguments)}: add it to "
                            "RECORD_CASES (a person's record) or SAMPLE_ARGS")
    problems += [f"{endpoint} is in EXPECTED but is no longer a route" for endpoint in sorted(set(EXPECTED) - seen)]
    assert not problems, "\n".join(problems)


def _table_row(rule, policy: Policy | None) -> str:
    """The EXPECTED line for a route, as declared: to review and paste, not to copy blindly."""
    methods = {GET: "GET", POST: "POST", GET_POST: "GET_POST"}.get(_methods(rule), repr(sorted(_methods(rule))))
    if policy is None:
        return f'"{rule.endpoint}": ({methods}, ...),  # no policy declared'
    return f'"{rule.endpoint}": ({methods}, {policy!r}),'


def _person_owned(rule, policy: Policy | None) -> bool:
    """A route on a person's record: an id in the address, or a record rule about the owner."""
    record = (policy.record or "").lower() if policy else ""
    return (any(name.endswith("_id") for name in rule.arguments)
            or "staff-self" in record or "of-owner" in record or "of-nqsw" in record)


def test_every_route_on_a_persons_record_has_a_record_case(app):
    missing = [f"{rule.endpoint} ({rule.rule})" for rule in _routes(app)
               if _person_owned(rule, policy_of(app.view_functions[rule.endpoint]))
               and rule.endpoint not in RECORD_CASES and rule.endpoint not in NOT_A_PERSONS_RECORD]
    assert not missing, ("routes that look like they are on a person's records (an id in the address, or a "
                         "record rule about the owner): add each to RECORD_CASES, or to NOT_A_PERSONS_RECORD "
                         "with the reason:\n  " + "\n  ".join(missing))


def test_every_role_named_in_a_policy_exists(app):
    unknown = {role for rule in _routes(app) for role in (policy_of(app.view_functions[rule.endpoint]) or ANYONE).roles
               if role not in ROLES}
    assert not unknown, f"policies name roles nobody can hold: {sorted(unknown)}"


# ---------------------------------------------------------------------------------------------
# The people who try the routes
# ---------------------------------------------------------------------------------------------

@dataclass
class World:
    senior: object
    manager: object
    owner: object
    peer: object
    other_manager: object
    unrelated: object
    od: object
    assessor: object
    supervisor: object
    external: object
    everything: object


@pytest.fixture
def world(offer, make_person) -> World:
    """Assessment: senior > manager > (owner, peer). Children in Need: other_manager > unrelated.
    The OD admin, ASYE assessor, supervisor and external learner manage nobody."""
    senior = make_person("Sienna", "Senior", roles=(STAFF, MANAGER), team="Assessment")
    manager = make_person("Morgan", "Manager", roles=(STAFF, MANAGER), manager=senior, team="Assessment")
    owner = make_person("Olive", "Owner", manager=manager, team="Assessment")
    peer = make_person("Peter", "Peer", manager=manager, team="Assessment")
    other_manager = make_person("Omar", "Othermanager", roles=(STAFF, MANAGER), team="Children in Need")
    unrelated = make_person("Uma", "Unrelated", manager=other_manager, team="Children in Need")
    od = make_person("Odette", "Admin", roles=(STAFF, OD_ADMIN), team="Centre for Practice Excellence/OD")
    assessor = make_person("Asha", "Assessor", roles=(STAFF, ASYE_ASSESSOR), team="Centre for Practice Excellence/OD")
    supervisor = make_person("Sol", "Supervisor", roles=(STAFF, SUPERVISOR), team="Child Protection")
    external = make_person("Ezra", "External", roles=(EXTERNAL_LEARNER,), kind=SCHOOL)
    everything = make_person("Ava", "Allroles", roles=tuple(ROLES), team="Centre for Practice Excellence/OD")
    return World(senior, manager, owner, peer, other_manager, unrelated, od, assessor, supervisor, external, everything)


def _visitors(app, world: World, names) -> list[Visitor]:
    visitors = []
    for name in names:
        person = None if name == "anonymous" else getattr(world, name)
        visitor = Visitor(app, name, person)
        if person is not None:
            visitor.sign_in()
        visitors.append(visitor)
    return visitors


def _url(app, rule, world: World, visitor: Visitor | None) -> str:
    """The route's address with its sample arguments; for a route the tables do not know yet (which
    fails the table test), arguments naming nothing that exists."""
    if rule.endpoint in RECORD_CASES:
        kwargs = RECORD_CASES[rule.endpoint].args(world)
    elif rule.endpoint in SAMPLE_ARGS:
        kwargs = SAMPLE_ARGS[rule.endpoint](world, visitor)
    else:
        kwargs = {name: 999_999 if name.endswith("_id") else "no-such-thing" for name in rule.arguments}
    with app.test_request_context():
        return url_for(rule.endpoint, **kwargs)


def _covered(rule) -> bool:
    """In the reviewed tables (the table test fails for every route that is not)."""
    return rule.endpoint in EXPECTED and (not rule.arguments or rule.endpoint in SAMPLE_ARGS
                                          or rule.endpoint in RECORD_CASES)


def _may(policy: Policy, visitor: Visitor) -> bool:
    if policy.anonymous:
        return True
    if visitor.person is None:
        return False
    return not policy.roles or visitor.person.has_role(*policy.roles)


def _describe(response) -> str:
    where = response.headers.get("Location", "")
    return f"{response.status_code}{' -> ' + where if where else ''}"


def _check_answer(endpoint, method, url, visitor, allowed, response) -> list[str]:
    signed_in = visitor.person is not None
    if not allowed:
        if signed_in and response.status_code in (403, 404):
            return []
        if not signed_in and is_login_redirect(response):
            return []
        expected = "403/404" if signed_in else "a redirect to /login"
        return [f"{method} {url} as {visitor.name}: expected {expected}, got {_describe(response)}"]
    status, location = ALLOWED_ANSWER.get((endpoint, method, signed_in), (200, None))
    if response.status_code != status or (location and response.headers.get("Location") != location):
        return [f"{method} {url} as {visitor.name}: expected {status}{' -> ' + location if location else ''}, "
                f"got {_describe(response)}"]
    return []


# ---------------------------------------------------------------------------------------------
# Every route as every kind of visitor
# ---------------------------------------------------------------------------------------------

ROLE_VISITORS = ["anonymous", "owner", "manager", "od", "assessor", "supervisor", "external"]


def test_role_matrix_every_route_as_every_kind_of_visitor(app, world):
    """GET as each visitor: the page for the allowed, 403 or the sign-in page for the rest, and no
    GET changes anything. POST as each visitor who may not use the route: refused, nothing changed.
    (Routes on a person's record are tried by the record matrix below.)"""
    visitors = _visitors(app, world, ROLE_VISITORS)
    failures, tried = [], 0
    for rule in _routes(app):
        if rule.endpoint in RECORD_CASES or not _covered(rule):
            continue
        policy = policy_of(app.view_functions[rule.endpoint]) or ANYONE
        urls = {visitor.name: _url(app, rule, world, visitor) for visitor in visitors}   # may make records
        if "GET" in rule.methods:
            before = fingerprint()   # once per route: a GET by anyone must change nothing
            for visitor in visitors:
                url = urls[visitor.name]
                response = visitor.get(url)
                tried += 1
                PAIRS[(rule.endpoint, "GET", visitor.name)] += 1
                failures += _check_answer(rule.endpoint, "GET", url, visitor, _may(policy, visitor), response)
            if fingerprint() != before:
                failures.append(f"GET {rule.rule} ({rule.endpoint}) changed the database")
        for visitor in visitors:
            url = urls[visitor.name]
            allowed = _may(policy, visitor)
            if "POST" in rule.methods and not allowed:
                before = fingerprint()
                response = visitor.post(url, data={})
                tried += 1
                PAIRS[(rule.endpoint, "POST", visitor.name)] += 1
                if fingerprint() != before:
                    failures.append(f"POST {url} as {visitor.name} (not allowed) changed the database")
                failures += _check_answer(rule.endpoint, "POST", url, visitor, False, response)
    print(f"\nrole matrix: {tried} (route, method, visitor) requests")
    assert tried >= MINIMUM_PAIRS // 2
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------------------------------------
# Records that belong to a person
# ---------------------------------------------------------------------------------------------

RECORD_VISITORS = ["anonymous", "owner", "manager", "senior", "od", "peer", "unrelated", "other_manager",
                   "assessor", "supervisor", "external"]


def test_record_matrix_a_persons_records_as_every_kind_of_visitor(app, world):
    """The owner, their managers (direct and above) and OD see the owner's records; the person's
    peers, people in other teams, managers of other teams, assessors, supervisors and external
    learners get 404/403; anonymous visitors are sent to sign in. A POST by someone who may not
    change the record is refused and changes nothing."""
    visitors = _visitors(app, world, RECORD_VISITORS)
    rules = {rule.endpoint: rule for rule in _routes(app)}
    failures, tried = [], 0
    for endpoint, case in sorted(RECORD_CASES.items()):
        rule = rules.get(endpoint)
        if rule is None:
            continue   # the table test reports the stale entry
        url = _url(app, rule, world, None)
        before = fingerprint()   # once per route: a GET by anyone must change nothing
        for visitor in visitors:
            if "GET" in rule.methods:
                response = visitor.get(url)
                tried += 1
                PAIRS[(endpoint, "GET owner's record", visitor.name)] += 1
                allowed = visitor.name in case.may_get
                failures += _check_answer(endpoint, "GET", url, visitor, allowed, response)
                page = response.get_data(as_text=True)
                if allowed and response.status_code == 200 and world.owner.last_name not in page:
                    failures.append(f"GET {url} as {visitor.name}: the page does not show the owner's record")
                # (The owner's own pages name them in the header, whatever the answer.)
                if not allowed and visitor.name != "owner" and world.owner.last_name in page:
                    failures.append(f"GET {url} as {visitor.name}: the refusal shows the owner's name")
        if "GET" in rule.methods and fingerprint() != before:
            failures.append(f"GET {url} ({endpoint}) changed the database")
        for visitor in visitors:
            if "POST" in rule.methods and visitor.name not in case.may_post:
                before = fingerprint()
                response = visitor.post(url, data={})
                tried += 1
                PAIRS[(endpoint, "POST owner's record", visitor.name)] += 1
                if fingerprint() != before:
                    failures.append(f"POST {url} as {visitor.name} (not allowed) changed the database")
                failures += _check_answer(endpoint, "POST", url, visitor, False, response)
    print(f"\nrecord matrix: {tried} (route, method, visitor) requests")
    assert tried >= len(RECORD_CASES) * len(RECORD_VISITORS)
    assert not failures, "\n".join(failures)


def test_a_record_that_does_not_exist_is_404_even_for_od(app, world):
    (od,) = _visitors(app, world, ["od"])
    failures = []
    for rule in _routes(app):
        ids = [name for name in rule.arguments if name.endswith("_id")]
        if not ids or "GET" not in rule.methods or rule.endpoint not in RECORD_CASES:
            continue
        kwargs = dict(RECORD_CASES[rule.endpoint].args(world), **{name: 999_999 for name in ids})
        with app.test_request_context():
            url = url_for(rule.endpoint, **kwargs)
        response = od.get(url)
        PAIRS[(rule.endpoint, "GET missing record", "od")] += 1
        if response.status_code != 404:
            failures.append(f"GET {url}: expected 404, got {_describe(response)}")
    assert not failures, "\n".join(failures)


def test_people_directory_lists_reports_only_for_a_manager_and_everyone_for_od(app, world):
    visitors = {visitor.name: visitor for visitor in _visitors(app, world, ["manager", "other_manager", "od", "owner"])}
    pages = {}
    for name, visitor in visitors.items():
        response = visitor.get("/people")
        PAIRS[("people.directory", "GET listing", name)] += 1
        pages[name] = (response.status_code, response.get_data(as_text=True))
    assert pages["owner"][0] == 403
    status, page = pages["manager"]
    assert status == 200 and "Owner" in page and "Peer" in page
    assert "Unrelated" not in page and "Othermanager" not in page and "Senior" not in page
    status, page = pages["other_manager"]
    assert status == 200 and "Unrelated" in page
    assert "Owner" not in page and "Peer" not in page
    status, page = pages["od"]
    assert status == 200 and all(name in page for name in ("Owner", "Peer", "Unrelated", "Senior"))


def test_retired_courses_and_sections_are_seen_by_od_only(app, world):
    from lnd.courses import queries, services
    from lnd.extensions import db

    services.retire_course(queries.course_by_slug(LIVE_COURSE), world.od)
    services.retire_section(queries.section_by_slug("developmental-offer"), world.od)
    db.session.commit()
    visitors = _visitors(app, world, ["anonymous", "owner", "manager", "external", "od"])
    failures = []
    for endpoint, url in (("courses.course", f"/courses/{LIVE_COURSE}"),
                          ("courses.section", "/offer/developmental-offer")):
        for visitor in visitors:
            response = visitor.get(url)
            PAIRS[(endpoint, "GET retired record", visitor.name)] += 1
            failures += _check_answer(endpoint, "GET", url, visitor, visitor.name == "od", response)
    assert not failures, "\n".join(failures)


def test_enough_pairs_were_tried(app):
    """Run last in this module (tests run in file order): the matrix did not quietly shrink."""
    if len(PAIRS) < 10:
        pytest.skip("run with the rest of the module to count the pairs")
    print(f"\naccess matrix so far: {len(PAIRS)} (route, method, visitor) pairs")
    assert len(PAIRS) >= MINIMUM_PAIRS


# ---------------------------------------------------------------------------------------------
# State changes only by POST, and never without the CSRF token
# ---------------------------------------------------------------------------------------------

def test_post_only_routes_answer_get_with_405(app, world):
    (everything,) = _visitors(app, world, ["everything"])
    post_only = [rule for rule in _routes(app) if _methods(rule) == POST]
    assert post_only, "expected some POST-only routes (sign out, at least)"
    failures = []
    for rule in post_only:
        url = _url(app, rule, world, everything)
        before = fingerprint()
        response = everything.get(url)
        PAIRS[(rule.endpoint, "GET on POST-only", "everything")] += 1
        if response.status_code != 405:
            failures.append(f"GET {url}: expected 405, got {_describe(response)}")
        if fingerprint() != before:
            failures.append(f"GET {url} changed the database")
    assert not failures, "\n".join(failures)


# Bodies that would change something if the token were there: the refusal must be the token's doing.
POST_BODIES = {
    "courses.retire_course": {"submit": "Confirm"},
    "courses.retire_section": {"submit": "Confirm"},
    "courses.reinstate_course": {"status": "active"},
}
CSRF_REFUSAL = "Your form has expired"


@pytest.fixture
def csrf_app(app):
    """The same database, with CSRF protection on as in production."""
    overrides = {key: app.config[key] for key in ("SQLALCHEMY_DATABASE_URI", "INSTANCE_PATH", "UPLOAD_DIR",
                                                  "MAIL_OUTBOX_DIR", "SECRET_KEY")}
    protected = create_app({**overrides, "TESTING": True, "WTF_CSRF_ENABLED": True, "RATELIMIT_ENABLED": False})
    yield protected
    from lnd.extensions import db

    with protected.app_context():
        db.engine.dispose()


def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(csrf_app, world):
    everything = Visitor(csrf_app, "everything", world.everything).sign_in(with_token=True)
    rules = sorted((rule for rule in _routes(csrf_app) if "POST" in rule.methods),
                   key=lambda rule: rule.endpoint == "people.logout")   # sign out last
    assert rules
    failures = []
    for rule in rules:
        url = _url(csrf_app, rule, world, everything)
        body = dict(POST_BODIES.get(rule.endpoint, {}))
        if rule.endpoint == "people.login":
            body = {"email": world.owner.email, "password": TEST_PASSWORD}
        for label, token in (("no token", None), ("a forged token", "forged-token")):
            visitor = Visitor(csrf_app, "anonymous") if rule.endpoint == "people.login" else everything
            before = fingerprint()
            response = visitor.post(url, data=dict(body, **({"csrf_token": token} if token else {})))
            PAIRS[(rule.endpoint, f"POST with {label}", visitor.name)] += 1
            if response.status_code != 400 or CSRF_REFUSAL not in response.get_data(as_text=True):
                failures.append(f"POST {url} with {label}: expected 400 '{CSRF_REFUSAL}', got {_describe(response)}")
            if fingerprint() != before:
                failures.append(f"POST {url} with {label} changed the database")
        # With the token the same request gets past the check: the refusal above was the token's doing.
        visitor = Visitor(csrf_app, "anonymous") if rule.endpoint == "people.login" else everything
        response = visitor.post(url, data=dict(body, csrf_token=visitor.csrf_token()))
        if CSRF_REFUSAL in response.get_data(as_text=True):
            failures.append(f"POST {url} with the right token was refused as a CSRF failure")
    assert not failures, "\n".join(failures)


def test_sign_out_without_a_token_leaves_the_person_signed_in(csrf_app, world):
    visitor = Visitor(csrf_app, "owner", world.owner).sign_in(with_token=True)
    before = fingerprint()
    assert visitor.post("/logout").status_code == 400
    assert fingerprint() == before
    assert visitor.get("/").status_code == 200
    assert visitor.post("/logout", data={"csrf_token": visitor.csrf_token("/")}).status_code == 302
    assert is_login_redirect(visitor.get("/"))


def test_sign_in_without_a_token_signs_nobody_in(csrf_app, world):
    visitor = Visitor(csrf_app, "anonymous")
    before = fingerprint()
    response = visitor.post("/login", data={"email": world.owner.email, "password": TEST_PASSWORD})
    assert response.status_code == 400
    assert fingerprint() == before   # not even an audit row
    assert is_login_redirect(visitor.get("/"))


def test_the_forms_on_the_pages_carry_the_token(csrf_app, world):
    """Every POST form the pages render includes the token (otherwise the page could never be used)."""
    visitors = [Visitor(csrf_app, "everything", world.everything).sign_in(with_token=True),
                Visitor(csrf_app, "owner", world.owner).sign_in(with_token=True)]
    form = re.compile(r"<form\b[^>]*>.*?</form>", re.S | re.I)
    failures, pages = [], 0
    for rule in _routes(csrf_app):
        if "GET" not in rule.methods:
            continue
        for visitor in visitors:
            url = _url(csrf_app, rule, world, visitor)
            response = visitor.get(url)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            pages += 1
            for markup in form.findall(response.get_data(as_text=True)):
                opening = markup[:markup.index(">")].lower()
                if 'method="post"' in opening and 'name="csrf_token"' not in markup:
                    failures.append(f"{url} as {visitor.name}: a POST form without csrf_token: {opening[:120]}")
    assert pages > 10
    assert not failures, "\n".join(failures)


# ---------------------------------------------------------------------------------------------
# CPD (issue 7): a person's CPD records, their evidence, and readiness for managers and OD
# ---------------------------------------------------------------------------------------------

CPD_CHANGE = "staff-self only (manager-of-owner and od_admin may see: 403)"
CPD_PDF = b"%PDF-1.7\n%% CPD evidence\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _cpd_record(person):
    """The person's first CPD record, made (and committed) if they have none."""
    from datetime import date

    from lnd.cpd.models import CpdRecord
    from lnd.extensions import db

    db.session.rollback()   # see what requests committed before writing
    record = db.session.scalar(db.select(CpdRecord).filter_by(person_id=person.id).order_by(CpdRecord.id).limit(1))
    if record is None:
        record = CpdRecord(person_id=person.id, activity_type="reading", title="Reading on neglect",
                           activity_date=date.today(), description="A briefing.", learning="Cumulative harm.",
                           impact="Chronologies in assessments.")
        db.session.add(record)
        db.session.commit()
    return record


def _cpd_attachment(person):
    """An evidence file on the person's first CPD record; its content names the owner."""
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    from lnd.core import uploads
    from lnd.cpd.models import CpdAttachment
    from lnd.extensions import db

    record = _cpd_record(person)
    item = db.session.scalar(db.select(CpdAttachment).filter_by(record_id=record.id).limit(1))
    if item is None:
        content = CPD_PDF + f"% {person.name}\n".encode()
        stored = uploads.save(FileStorage(BytesIO(content), filename="evidence.pdf"))
        item = CpdAttachment(record_id=record.id, stored_name=stored.stored_name, original_name=stored.original_name,
                             content_type=stored.content_type, size=stored.size)
        db.session.add(item)
        db.session.commit()
    return item


def _cpd_completion(person):
    from datetime import date

    from lnd.courses import queries as course_queries
    from lnd.courses.models import Completion
    from lnd.extensions import db

    db.session.rollback()
    course = course_queries.course_by_slug(LIVE_COURSE)
    completion = db.session.scalar(db.select(Completion).filter_by(person_id=person.id, course_id=course.id).limit(1))
    if completion is None:
        completion = Completion(person_id=person.id, course_id=course.id, completed_on=date.today(), source="attendance")
        db.session.add(completion)
        db.session.commit()
    return completion


EXPECTED.update({
    "cpd.mine": (GET, SIGNED_IN),
    "cpd.person_year": (GET, Policy(record=PERSON_RECORD)),
    "cpd.print_year": (GET, Policy(record=PERSON_RECORD)),
    "cpd.export_year": (GET, Policy(record=PERSON_RECORD)),
    "cpd.record": (GET, Policy(record=PERSON_RECORD)),
    "cpd.attachment": (GET, Policy(record=PERSON_RECORD)),
    "cpd.new_record": (GET_POST, Policy(record="staff-self (a completion must be the person's own, else 404)")),
    "cpd.edit_record": (GET_POST, Policy(record=CPD_CHANGE)),
    "cpd.delete_record": (GET_POST, Policy(record=CPD_CHANGE)),
    "cpd.upload_attachment": (GET_POST, Policy(record=CPD_CHANGE)),
    "cpd.remove_attachment": (GET_POST, Policy(record=CPD_CHANGE)),
    "cpd.readiness": (GET, MANAGER_OR_OD),
    "cpd.readiness_csv": (GET, MANAGER_OR_OD),
})

RECORD_CASES.update({
    "cpd.person_year": RecordCase(lambda world: {"person_id": world.owner.id}, OWNER_AND_MANAGERS_AND_OD),
    "cpd.print_year": RecordCase(lambda world: {"person_id": world.owner.id}, OWNER_AND_MANAGERS_AND_OD),
    "cpd.export_year": RecordCase(lambda world: {"person_id": _cpd_record(world.owner).person_id},
                                  OWNER_AND_MANAGERS_AND_OD),
    "cpd.record": RecordCase(lambda world: {"record_id": _cpd_record(world.owner).id}, OWNER_AND_MANAGERS_AND_OD),
    "cpd.attachment": RecordCase(lambda world: {"attachment_id": _cpd_attachment(world.owner).id},
                                 OWNER_AND_MANAGERS_AND_OD),
    # Recording CPD from a completion: only the person whose completion it is.
    "cpd.new_record": RecordCase(lambda world: {"completion": _cpd_completion(world.owner).id},
                                 frozenset({"owner"}), frozenset({"owner"})),
    # Changing CPD: the owner only (their managers and OD may see the record, so they get 403).
    "cpd.edit_record": RecordCase(lambda world: {"record_id": _cpd_record(world.owner).id},
                                  frozenset({"owner"}), frozenset({"owner"})),
    "cpd.delete_record": RecordCase(lambda world: {"record_id": _cpd_record(world.owner).id},
                                    frozenset({"owner"}), frozenset({"owner"})),
    "cpd.upload_attachment": RecordCase(lambda world: {"record_id": _cpd_record(world.owner).id},
                                        frozenset({"owner"}), frozenset({"owner"})),
    "cpd.remove_attachment": RecordCase(lambda world: {"attachment_id": _cpd_attachment(world.owner).id},
                                        frozenset({"owner"}), frozenset({"owner"})),
})


# ---------------------------------------------------------------------------------------------
# Bookings (issue 4): sessions, bookings, approvals, the register, calendar feeds, recorded learning
# ---------------------------------------------------------------------------------------------

BOOKING_MARK = "access-matrix"
BOOKING_PDF = b"%PDF-1.7\n%% certificate\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _bookings(world):
    """The owner's bookings and records, made (and committed) once per test: a session held
    yesterday that they attended, one they facilitated (their peer attended), a request awaiting their
    manager's approval, a session open for booking, a calendar feed and a certificate of e-learning."""
    from datetime import datetime, time, timedelta
    from io import BytesIO
    from types import SimpleNamespace

    from werkzeug.datastructures import FileStorage

    from lnd.bookings import rules as booking_rules
    from lnd.bookings.models import (
        Attendance, Booking, CalendarFeed, CompletionCertificate, CourseSession, SessionPart,
    )
    from lnd.core import clock, uploads
    from lnd.courses import queries as course_queries
    from lnd.courses.models import Completion
    from lnd.extensions import db

    db.session.rollback()   # see what requests committed before writing

    def session_of(slug, day, facilitator=None):
        start = datetime.combine(day, time(9, 30), tzinfo=clock.LONDON)
        end = datetime.combine(day, time(12, 30), tzinfo=clock.LONDON)
        session = CourseSession(course=course_queries.course_by_slug(slug), capacity=10, taken=0,
                                starts_at=start, ends_at=end, notes=BOOKING_MARK,
                                facilitator=facilitator.name if facilitator else "Jo Trainer",
                                facilitator_id=facilitator.id if facilitator else None,
                                parts=[SessionPart(position=1, starts_at=start, ends_at=end, venue="Room 1")])
        db.session.add(session)
        return session

    sessions = db.session.scalars(db.select(CourseSession).filter_by(notes=BOOKING_MARK)
                                  .order_by(CourseSession.id)).all()
    if not sessions:
        today = clock.today()
        past = session_of("analytical-assessments", today - timedelta(days=1))
        facilitated = session_of("smart-planning", today - timedelta(days=1), world.owner)
        requested = session_of("achieving-best-evidence", today + timedelta(days=14))
        open_ = session_of("trix-procedure-manual", today + timedelta(days=21))
        past.taken = facilitated.taken = 1
        attended = Booking(session=past, person_id=world.owner.id, state=booking_rules.ATTENDED)
        peer = Booking(session=facilitated, person_id=world.peer.id, state=booking_rules.ATTENDED)
        waiting = Booking(session=requested, person_id=world.owner.id, state=booking_rules.AWAITING_APPROVAL)
        db.session.add_all([attended, peer, waiting])
        db.session.flush()
        db.session.add(Attendance(booking_id=attended.id, part_id=past.parts[0].id, present=True))
        db.session.add(Attendance(booking_id=peer.id, part_id=facilitated.parts[0].id, present=True))
        db.session.add(CalendarFeed(person_id=world.owner.id, token=f"feed-{world.owner.id}-secret"))
        course = course_queries.course_by_slug("gdpr-training")
        completion = Completion(person_id=world.owner.id, course_id=course.id, completed_on=today,
                                source="self_recorded", recorded_by_id=world.owner.id)
        db.session.add(completion)
        db.session.flush()
        stored = uploads.save(FileStorage(BytesIO(BOOKING_PDF + f"% {world.owner.name}\n".encode()),
                                          filename="certificate.pdf"))
        db.session.add(CompletionCertificate(completion_id=completion.id, stored_name=stored.stored_name,
                                             original_name=stored.original_name,
                                             content_type=stored.content_type, size=stored.size))
        db.session.commit()
        sessions = [past, facilitated, requested, open_]
    past, facilitated, requested, open_ = sessions
    booking_of = {b.session_id: b.id for b in db.session.scalars(
        db.select(Booking).filter_by(person_id=world.owner.id))}
    feed = db.session.get(CalendarFeed, world.owner.id)
    completion_id = db.session.scalar(db.select(CompletionCertificate.completion_id))
    return SimpleNamespace(past=past.id, facilitated=facilitated.id, facilitated_part=facilitated.parts[0].id,
                           open=open_.id,
                           attended=booking_of[past.id], awaiting=booking_of[requested.id], token=feed.token,
                           completion=completion_id)


BOOKING_STAFF_SELF = "staff-self"
FACILITATED = "od_admin, the session's facilitator"
DECIDE = "manager-of-requester, od_admin; never the requester"
ANY_SESSION = "any signed-in person; the people on it: od_admin and the facilitator"

EXPECTED.update({
    "bookings.my_bookings": (GET, SIGNED_IN),
    "bookings.booking": (GET, Policy(record=PERSON_RECORD)),
    "bookings.book": (GET_POST, Policy(record="any signed-in person, for themselves; live courses only")),
    "bookings.cancel_booking": (GET_POST, Policy(record="staff-self (up to the cut-off), od_admin")),
    "bookings.invite": (GET, Policy(record=PERSON_RECORD)),
    "bookings.feedback": (GET_POST, Policy(record=BOOKING_STAFF_SELF)),
    "bookings.approvals": (GET, Policy(roles=frozenset({MANAGER, OD_ADMIN}),
                                       record="a manager sees their reports' requests; od_admin everyone's")),
    "bookings.decide": (GET_POST, Policy(roles=frozenset({MANAGER, OD_ADMIN}),
                                         record=DECIDE)),
    "bookings.calendar_settings": (GET, Policy(record=BOOKING_STAFF_SELF)),
    "bookings.reset_calendar": (POST, Policy(record=BOOKING_STAFF_SELF)),
    "bookings.calendar_feed": (GET, Policy(anonymous=True, record="whoever holds the person's secret token")),
    "bookings.sessions": (GET, OD_ONLY),
    "bookings.new_session": (GET_POST, OD_ONLY),
    "bookings.session": (GET, Policy(record=ANY_SESSION)),
    "bookings.edit_session": (GET_POST, OD_ONLY),
    "bookings.session_capacity": (GET_POST, OD_ONLY),
    "bookings.cancel_session": (GET_POST, OD_ONLY),
    "bookings.register": (GET_POST, Policy(record=FACILITATED)),
    "bookings.sign_in_sheet": (GET, Policy(record=FACILITATED)),
    "bookings.session_feedback": (GET, OD_ONLY),
    "bookings.course_feedback": (GET, OD_ONLY),
    "bookings.record_done": (GET_POST, Policy(record="any signed-in person, for themselves; live courses "
                                                     "without sessions")),
    "bookings.records": (GET, OD_ONLY),
    "bookings.verify_record": (POST, OD_ONLY),
    "bookings.certificate": (GET, Policy(record=PERSON_RECORD)),
})

SAMPLE_ARGS.update({
    "bookings.book": lambda world, visitor: {"session_id": _bookings(world).open},
    # The requester gets 403 on their own request, and the refusal page names them as the one signed in,
    # so the record matrix (which reads the owner's name as a leak) cannot try this route: the role
    # matrix tries it, and tests/bookings/test_access.py tries managers of other teams and the requester.
    "bookings.decide": lambda world, visitor: {"booking_id": _bookings(world).awaiting},
    "bookings.session": lambda world, visitor: {"session_id": _bookings(world).open},
    "bookings.edit_session": lambda world, visitor: {"session_id": _bookings(world).open},
    "bookings.session_capacity": lambda world, visitor: {"session_id": _bookings(world).open},
    "bookings.cancel_session": lambda world, visitor: {"session_id": _bookings(world).open},
    "bookings.session_feedback": lambda world, visitor: {"session_id": _bookings(world).past},
    "bookings.new_session": lambda world, visitor: {"slug": "trix-procedure-manual"},
    "bookings.course_feedback": lambda world, visitor: {"slug": "analytical-assessments"},
    "bookings.record_done": lambda world, visitor: {"slug": "gdpr-training"},
    "bookings.calendar_feed": lambda world, visitor: {"token": _bookings(world).token},
})

NOT_A_PERSONS_RECORD.update({
    "bookings.book": "a session open to every signed-in person, who books for themselves",
    "bookings.session": "a session's details are open to every signed-in person (its people only to OD "
                        "and the facilitator)",
    "bookings.edit_session": "a session, for the OD team",
    "bookings.session_capacity": "a session, for the OD team",
    "bookings.cancel_session": "a session, for the OD team",
    "bookings.session_feedback": "a session's feedback, for the OD team",
    "bookings.decide": "a person's request, decided by their managers and OD: see SAMPLE_ARGS",
    "bookings.calendar_settings": "no id: always the signed-in person's own calendar address",
    "bookings.reset_calendar": "no id: always the signed-in person's own calendar address",
})

FACILITATOR_AND_OD = frozenset({"od", "owner"})

RECORD_CASES.update({
    "bookings.booking": RecordCase(lambda world: {"booking_id": _bookings(world).attended},
                                   OWNER_AND_MANAGERS_AND_OD),
    "bookings.invite": RecordCase(lambda world: {"booking_id": _bookings(world).attended},
                                  OWNER_AND_MANAGERS_AND_OD),
    # Cancelling: the person themselves, or the OD team (their managers may see the booking: 403).
    "bookings.cancel_booking": RecordCase(lambda world: {"booking_id": _bookings(world).awaiting},
                                          frozenset({"owner", "od"}), frozenset({"owner", "od"})),
    "bookings.feedback": RecordCase(lambda world: {"booking_id": _bookings(world).attended},
                                    frozenset({"owner"}), frozenset({"owner"})),
    # The register and sign-in sheet of a session the owner facilitates: OD and the owner only.
    "bookings.register": RecordCase(lambda world: {"session_id": _bookings(world).facilitated,
                                                   "part_id": _bookings(world).facilitated_part},
                                    FACILITATOR_AND_OD, FACILITATOR_AND_OD),
    "bookings.sign_in_sheet": RecordCase(lambda world: {"session_id": _bookings(world).facilitated},
                                         FACILITATOR_AND_OD),
    "bookings.certificate": RecordCase(lambda world: {"completion_id": _bookings(world).completion},
                                       OWNER_AND_MANAGERS_AND_OD),
    "bookings.verify_record": RecordCase(lambda world: {"completion_id": _bookings(world).completion},
                                         frozenset(), frozenset({"od"})),
})


# ---------------------------------------------------------------------------------------------
# Supervision (issue 8): agreements, sessions, records, actions, training needs
# ---------------------------------------------------------------------------------------------

SUPERVISION_MARK = "access-matrix supervision room"


def _supervision(world):
    """The owner's supervision, made (and committed) once per test: their manager supervises them
    under an agreement in force, with a recorded session (an open action on it) and a planned one.
    So the supervisor is `manager` and the supervisor's line manager is `senior`."""
    from datetime import datetime, time, timedelta
    from types import SimpleNamespace

    from lnd.core import clock
    from lnd.extensions import db
    from lnd.supervision import rules as supervision_rules
    from lnd.supervision import services as supervision
    from lnd.supervision import session_services as supervision_sessions
    from lnd.supervision.models import SupervisionAction, SupervisionAgreement, SupervisionSession

    db.session.rollback()   # see what requests committed before writing
    agreement = db.session.scalar(db.select(SupervisionAgreement).filter_by(usual_place=SUPERVISION_MARK))
    if agreement is None:
        today, now = clock.today(), clock.now()
        agreement = supervision.draft_agreement(world.manager, world.owner, supervision_rules.PROFESSIONAL,
                                                supervision.AgreementDetails(
                                                    frequency=supervision_rules.MONTHLY, usual_place=SUPERVISION_MARK,
                                                    starts_on=today - timedelta(days=60)), today)
        supervision.sign_agreement(agreement, world.manager, now)
        supervision.sign_agreement(agreement, world.owner, now)
        held = supervision_sessions.plan_session(agreement, world.manager, datetime.combine(
            today - timedelta(days=7), time(10), tzinfo=clock.LONDON), 60, SUPERVISION_MARK)
        supervision_sessions.record_session(held, world.manager, supervision_sessions.SessionRecord(
            held_on=today - timedelta(days=7), duration_minutes=60, place=SUPERVISION_MARK, agenda=["casework"],
            discussion="Caseload."), now)
        supervision_sessions.add_action(held, world.manager, description="Update the chronology",
                                        owner="supervisee", owner_name="", due_on=today + timedelta(days=14))
        supervision_sessions.plan_session(agreement, world.manager, datetime.combine(
            today + timedelta(days=7), time(10), tzinfo=clock.LONDON), 60, SUPERVISION_MARK)
        db.session.commit()
        from lnd.supervision import notifications as supervision_mail

        supervision_mail.discard()
    sessions = {s.state: s.id for s in db.session.scalars(
        db.select(SupervisionSession).filter_by(agreement_id=agreement.id))}
    action = db.session.scalar(db.select(SupervisionAction.id).join(SupervisionSession).where(
        SupervisionSession.agreement_id == agreement.id))
    return SimpleNamespace(agreement=agreement.id, held=sessions["held"], planned=sessions["planned"], action=action)


SUPERVISION_SEE = "supervisor, supervisee, the supervisor's managers, od_admin"
SUPERVISOR_ONLY = "the agreement's supervisor (others who may see it: 403)"
SUPERVISEE_ONLY = "the agreement's supervisee (others who may see it: 403)"
SUPERVISION_PARTIES = "the agreement's supervisor or supervisee (others who may see it: 403)"

EXPECTED.update({
    "supervision.index": (GET, SIGNED_IN),
    "supervision.report": (GET, Policy(roles=frozenset({MANAGER, OD_ADMIN}),
                                       record="od_admin sees every team; a manager the agreements held by them and "
                                              "the people they manage")),
    "supervision.new_agreement": (GET_POST, Policy(roles=frozenset({SUPERVISOR, MANAGER}),
                                                   record="a supervisor or manager drafts agreements they "
                                                          "supervise under")),
    "supervision.agreement": (GET, Policy(record=SUPERVISION_SEE)),
    "supervision.sign_agreement": (POST, Policy(record=SUPERVISION_PARTIES)),
    "supervision.change_agreement": (GET_POST, Policy(record=SUPERVISOR_ONLY)),
    "supervision.end_agreement": (GET_POST, Policy(record=SUPERVISOR_ONLY)),
    "supervision.plan_session": (GET_POST, Policy(record=SUPERVISOR_ONLY)),
    "supervision.session": (GET, Policy(record=SUPERVISION_SEE)),
    "supervision.edit_session": (GET_POST, Policy(record=SUPERVISOR_ONLY)),
    "supervision.cancel_session": (GET_POST, Policy(record=SUPERVISOR_ONLY)),
    "supervision.record_session": (GET_POST, Policy(record=SUPERVISOR_ONLY)),
    "supervision.acknowledge": (GET_POST, Policy(record=SUPERVISEE_ONLY)),
    "supervision.add_action": (GET_POST, Policy(record=SUPERVISOR_ONLY)),
    "supervision.complete_action": (POST, Policy(record=SUPERVISION_PARTIES)),
    "supervision.add_training_need": (GET_POST, Policy(record=SUPERVISOR_ONLY)),
})

# The owner is the supervisee; their manager supervises them; `senior` is the supervisor's line manager.
SUPERVISION_SEERS = OWNER_AND_MANAGERS_AND_OD
THE_SUPERVISOR = frozenset({"manager"})
THE_SUPERVISEE = frozenset({"owner"})
BOTH_PARTIES = frozenset({"owner", "manager"})

RECORD_CASES.update({
    "supervision.agreement": RecordCase(lambda world: {"agreement_id": _supervision(world).agreement},
                                        SUPERVISION_SEERS),
    "supervision.sign_agreement": RecordCase(lambda world: {"agreement_id": _supervision(world).agreement},
                                             frozenset(), BOTH_PARTIES),
    "supervision.change_agreement": RecordCase(lambda world: {"agreement_id": _supervision(world).agreement},
                                               THE_SUPERVISOR, THE_SUPERVISOR),
    "supervision.end_agreement": RecordCase(lambda world: {"agreement_id": _supervision(world).agreement},
                                            THE_SUPERVISOR, THE_SUPERVISOR),
    "supervision.plan_session": RecordCase(lambda world: {"agreement_id": _supervision(world).agreement},
                                           THE_SUPERVISOR, THE_SUPERVISOR),
    "supervision.session": RecordCase(lambda world: {"session_id": _supervision(world).held}, SUPERVISION_SEERS),
    "supervision.edit_session": RecordCase(lambda world: {"session_id": _supervision(world).planned},
                                           THE_SUPERVISOR, THE_SUPERVISOR),
    "supervision.cancel_session": RecordCase(lambda world: {"session_id": _supervision(world).planned},
                                             THE_SUPERVISOR, THE_SUPERVISOR),
    "supervision.record_session": RecordCase(lambda world: {"session_id": _supervision(world).planned},
                                             THE_SUPERVISOR, THE_SUPERVISOR),
    "supervision.acknowledge": RecordCase(lambda world: {"session_id": _supervision(world).held},
                                          THE_SUPERVISEE, THE_SUPERVISEE),
    "supervision.add_action": RecordCase(lambda world: {"session_id": _supervision(world).held},
                                         THE_SUPERVISOR, THE_SUPERVISOR),
    "supervision.complete_action": RecordCase(lambda world: {"action_id": _supervision(world).action},
                                              frozenset(), BOTH_PARTIES),
    "supervision.add_training_need": RecordCase(lambda world: {"session_id": _supervision(world).held},
                                                THE_SUPERVISOR, THE_SUPERVISOR),
})


# ---------------------------------------------------------------------------------------------
# ASYE (issue 6): the NQSW's portfolio, its reviews, the ASYE lead's cohort and module bookings
# ---------------------------------------------------------------------------------------------

ASYE_MARK = "access-matrix asye"
ASYE_PDF = b"%PDF-1.7\n%% observation notes\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _asye(world):
    """The owner's ASYE, made (and committed) once per test: enrolled 60 days ago, assessed by the world's
    assessor, line-managed by `manager` (so `senior` is above); a reflective log by the owner with a
    file whose content names them; an upcoming session of an ASYE module for booking the cohort."""
    from datetime import datetime, time, timedelta
    from io import BytesIO
    from types import SimpleNamespace

    from werkzeug.datastructures import FileStorage

    from lnd.asye.models import AsyeAttachment, AsyeEnrolment, AsyeEntry
    from lnd.bookings.models import CourseSession, SessionPart
    from lnd.core import clock, uploads
    from lnd.courses import queries as course_queries
    from lnd.courses.models import Framework
    from lnd.extensions import db

    db.session.rollback()   # see what requests committed before writing
    enrolment = db.session.scalar(db.select(AsyeEnrolment).filter_by(nqsw_id=world.owner.id))
    if enrolment is None:
        today = clock.today()
        framework = db.session.scalar(db.select(Framework).filter_by(code="kss-child-family"))
        enrolment = AsyeEnrolment(nqsw_id=world.owner.id, assessor_id=world.assessor.id,
                                  line_manager_id=world.manager.id, framework_id=framework.id,
                                  start_date=today - timedelta(days=60), working_pattern="full_time")
        entry = AsyeEntry(enrolment=enrolment, kind="reflective_log", title="Reflecting on a home visit",
                          occurred_on=today, body="What I learnt.", author_id=world.owner.id,
                          standards=[s for s in framework.standards if s.number == 3])
        stored = uploads.save(FileStorage(BytesIO(ASYE_PDF + f"% {world.owner.name}\n".encode()),
                                          filename="notes.pdf"))
        db.session.add_all([enrolment, entry, AsyeAttachment(
            entry=entry, stored_name=stored.stored_name, original_name=stored.original_name,
            content_type=stored.content_type, size=stored.size, uploaded_by_id=world.owner.id)])
        start = datetime.combine(today + timedelta(days=21), time(9, 30), tzinfo=clock.LONDON)
        end = start + timedelta(hours=3)
        db.session.add(CourseSession(course=course_queries.course_by_slug("asye-module-4"), capacity=20, taken=0,
                                     starts_at=start, ends_at=end, notes=ASYE_MARK, facilitator="CPE",
                                     parts=[SessionPart(position=1, starts_at=start, ends_at=end, venue="Room 2")]))
        db.session.commit()
    entry = db.session.scalar(db.select(AsyeEntry).filter_by(enrolment_id=enrolment.id).order_by(AsyeEntry.id))
    session_id = db.session.scalar(db.select(CourseSession.id).filter_by(notes=ASYE_MARK))
    return SimpleNamespace(enrolment=enrolment.id, entry=entry.id, attachment=entry.attachments[0].id,
                           session=session_id)


ASYE_SEE = "nqsw-self, assessor-of-nqsw, manager-of-nqsw (line manager and above), od_admin; others 404"
ASYE_LEAD = Policy(roles=frozenset({OD_ADMIN}), record="od_admin (the ASYE lead); the enrolment must exist (404)")
ASYE_ADD = "nqsw-self adds evidence, assessor-of-nqsw records observations; others who see: 403, the rest 404"
ASYE_CHANGE = ("the person who recorded it (observations: assessor-of-nqsw; the rest: nqsw-self); "
               "others who see: 403")
ASYE_WRITE_PART = ("the part's writer: nqsw-self, assessor-of-nqsw, or manager-of-nqsw (line manager and above); "
                   "others who see: 403")

EXPECTED.update({
    "asye.cohort": (GET, Policy(roles=frozenset({ASYE_ASSESSOR, OD_ADMIN}),
                                record="od_admin sees every NQSW; an assessor the NQSWs they assess")),
    "asye.enrol": (GET_POST, OD_ONLY),
    "asye.module_sessions": (GET, OD_ONLY),
    "asye.book_cohort": (GET_POST, OD_ONLY),
    "asye.portfolio": (GET, Policy(record=ASYE_SEE)),
    "asye.coverage": (GET, Policy(record=ASYE_SEE)),
    "asye.export": (GET, Policy(record=ASYE_SEE)),
    "asye.review": (GET, Policy(record=ASYE_SEE)),
    "asye.entry": (GET, Policy(record=ASYE_SEE)),
    "asye.attachment": (GET, Policy(record=ASYE_SEE)),
    "asye.edit_enrolment": (GET_POST, ASYE_LEAD),
    "asye.absences": (GET_POST, ASYE_LEAD),
    "asye.moderation": (GET_POST, ASYE_LEAD),
    "asye.new_entry": (GET_POST, Policy(record=ASYE_ADD)),
    "asye.edit_entry": (GET_POST, Policy(record=ASYE_CHANGE)),
    "asye.delete_entry": (GET_POST, Policy(record=ASYE_CHANGE)),
    "asye.upload_attachment": (GET_POST, Policy(record=ASYE_CHANGE)),
    "asye.remove_attachment": (GET_POST, Policy(record=ASYE_CHANGE)),
    "asye.review_part": (GET_POST, Policy(record=ASYE_WRITE_PART)),
    "asye.sign_review": (GET_POST, Policy(record="assessor-of-nqsw; others who see: 403")),
})

SAMPLE_ARGS.update({
    "asye.book_cohort": lambda world, visitor: {"session_id": _asye(world).session},
})

NOT_A_PERSONS_RECORD.update({
    "asye.book_cohort": "a session of an ASYE module, for the OD team / ASYE lead to book the cohort onto",
})

NQSW_PORTFOLIO = frozenset({"owner", "assessor", "manager", "senior", "od"})
THE_NQSW = frozenset({"owner"})
THE_LEAD = frozenset({"od"})

RECORD_CASES.update({
    "asye.portfolio": RecordCase(lambda world: {"enrolment_id": _asye(world).enrolment}, NQSW_PORTFOLIO),
    "asye.coverage": RecordCase(lambda world: {"enrolment_id": _asye(world).enrolment}, NQSW_PORTFOLIO),
    "asye.export": RecordCase(lambda world: {"enrolment_id": _asye(world).enrolment}, NQSW_PORTFOLIO),
    "asye.review": RecordCase(lambda world: {"enrolment_id": _asye(world).enrolment, "kind": "3-month"},
                              NQSW_PORTFOLIO),
    "asye.entry": RecordCase(lambda world: {"entry_id": _asye(world).entry}, NQSW_PORTFOLIO),
    "asye.attachment": RecordCase(lambda world: {"attachment_id": _asye(world).attachment}, NQSW_PORTFOLIO),
    # The ASYE lead's pages: everyone else gets 403 (the role) or 404.
    "asye.edit_enrolment": RecordCase(lambda world: {"enrolment_id": _asye(world).enrolment}, THE_LEAD, THE_LEAD),
    "asye.absences": RecordCase(lambda world: {"enrolment_id": _asye(world).enrolment}, THE_LEAD, THE_LEAD),
    "asye.moderation": RecordCase(lambda world: {"enrolment_id": _asye(world).enrolment}, THE_LEAD, THE_LEAD),
    # Evidence: the NQSW adds theirs and changes only what they recorded (observations: the assessor).
    "asye.new_entry": RecordCase(lambda world: {"enrolment_id": _asye(world).enrolment, "kind": "reflective-log"},
                                 THE_NQSW, THE_NQSW),
    "asye.edit_entry": RecordCase(lambda world: {"entry_id": _asye(world).entry}, THE_NQSW, THE_NQSW),
    "asye.delete_entry": RecordCase(lambda world: {"entry_id": _asye(world).entry}, THE_NQSW, THE_NQSW),
    "asye.upload_attachment": RecordCase(lambda world: {"entry_id": _asye(world).entry}, THE_NQSW, THE_NQSW),
    "asye.remove_attachment": RecordCase(lambda world: {"attachment_id": _asye(world).attachment}, THE_NQSW,
                                         THE_NQSW),
    # The line manager's part of a review: the owner's manager and the manager above them.
    "asye.review_part": RecordCase(lambda world: {"enrolment_id": _asye(world).enrolment, "kind": "3-month",
                                                  "part": "manager"},
                                   frozenset({"manager", "senior"}), frozenset({"manager", "senior"})),
    "asye.sign_review": RecordCase(lambda world: {"enrolment_id": _asye(world).enrolment, "kind": "3-month"},
                                   frozenset({"assessor"}), frozenset({"assessor"})),
})


# ---------------------------------------------------------------------------------------------
# Read API (issue 9): /api/v1 answers bearer tokens only (no token: 401 JSON, never a sign-in
# redirect); the OD team's pages to issue and revoke the tokens
# ---------------------------------------------------------------------------------------------

API_TOKEN = Policy(anonymous=True, record="bearer token of an active API client (issued by od_admin)")
API_LISTS = ["api.people", "api.courses", "api.completions", "api.compliance", "api.bookings"]
API_CLIENT_MARK = "access-matrix BI client"


def _api_client(world) -> int:
    """An active API client issued by the OD admin, made (and committed) once per test."""
    from lnd.api import services as api_services
    from lnd.api.models import ApiClient
    from lnd.core import clock
    from lnd.extensions import db

    db.session.rollback()   # see what requests committed before writing
    client_id = db.session.scalar(db.select(ApiClient.id).filter_by(name=API_CLIENT_MARK))
    if client_id is None:
        client, _token = api_services.issue_client(API_CLIENT_MARK, "", world.od, clock.now())
        db.session.commit()
        client_id = client.id
    return client_id


EXPECTED.update({
    "api.openapi_document": (GET, ANYONE),
    **{endpoint: (GET, API_TOKEN) for endpoint in API_LISTS},
    "api_clients.index": (GET, OD_ONLY),
    "api_clients.new": (GET_POST, OD_ONLY),
    "api_clients.revoke": (GET_POST, OD_ONLY),
})

# Without a token every visitor, signed in or not, gets 401 (the session cookie does not count).
ALLOWED_ANSWER.update({(endpoint, "GET", signed_in): (401, None) for endpoint in API_LISTS
                       for signed_in in (True, False)})

SAMPLE_ARGS.update({
    "api_clients.revoke": lambda world, visitor: {"client_id": _api_client(world)},
})

NOT_A_PERSONS_RECORD.update({
    "api_clients.revoke": "an API client (a BI tool's token), not a person's record",
})

POST_BODIES.update({
    "api_clients.new": {"name": "Power BI", "purpose": "Dashboards"},
})


# ---------------------------------------------------------------------------------------------
# E-learning completion imports (issue 9): the OD team uploads, previews and confirms
# ---------------------------------------------------------------------------------------------

EXPECTED.update({
    "reports.import_completions": (GET_POST, OD_ONLY),
    "reports.confirm_completions_import": (POST, OD_ONLY),
})


# ---------------------------------------------------------------------------------------------
# Reports index and the training matrix (issue 9): OD sees everyone, a manager their reports
# ---------------------------------------------------------------------------------------------

EXPECTED.update({
    "reports.index": (GET, MANAGER_OR_OD),
    "reports.matrix": (GET, MANAGER_OR_OD),
    "reports.matrix_csv": (GET, MANAGER_OR_OD),
    "reports.matrix_xlsx": (GET, MANAGER_OR_OD),
})


def test_the_training_matrix_and_its_exports_list_reports_only_for_a_manager_and_everyone_for_od(app, world):
    visitors = {visitor.name: visitor for visitor in _visitors(app, world, ["manager", "other_manager", "od"])}
    for url in ("/reports/matrix", "/reports/matrix.csv"):
        pages = {}
        for name, visitor in visitors.items():
            response = visitor.get(url)
            PAIRS[("reports.matrix", f"GET listing {url}", name)] += 1
            assert response.status_code == 200
            pages[name] = response.get_data(as_text=True)
        assert "Owner" in pages["manager"] and "Peer" in pages["manager"]
        assert "Unrelated" not in pages["manager"] and "Othermanager" not in pages["manager"]
        assert "Unrelated" in pages["other_manager"] and "Owner" not in pages["other_manager"]
        assert all(name in pages["od"] for name in ("Owner", "Peer", "Unrelated", "Senior"))


# ---------------------------------------------------------------------------------------------
# Appraisals (issue 5): the manager's list, a person's appraisals, recording one, the record and
# its printable version; the Centre for Practice Excellence (new starters, career consultations)
# ---------------------------------------------------------------------------------------------

def _appraisal(world):
    """The owner's appraisal, recorded (and committed) once per test by their manager."""
    from datetime import timedelta

    from lnd.compliance import appraisal_services
    from lnd.compliance.appraisal_models import Appraisal
    from lnd.core import clock
    from lnd.extensions import db

    db.session.rollback()   # see what requests committed before writing
    appraisal = db.session.scalar(db.select(Appraisal).filter_by(person_id=world.owner.id).limit(1))
    if appraisal is None:
        appraisal = appraisal_services.record_appraisal(world.owner, appraisal_services.AppraisalDetails(
            held_on=clock.today() - timedelta(days=3), achievements="Chronologies.", development_needs="Court.",
            goals="ABE."), world.manager, clock.today(), clock.now())
        db.session.commit()
    return appraisal


def _consultation(world):
    """The owner's request for a career consultation, made (and committed) once per test."""
    from lnd.cfpe import services as cfpe_services
    from lnd.cfpe.models import CareerConsultation
    from lnd.core import clock
    from lnd.extensions import db

    db.session.rollback()
    item = db.session.scalar(db.select(CareerConsultation).filter_by(person_id=world.owner.id).limit(1))
    if item is None:
        item = cfpe_services.request_consultation(world.owner, "Progression", "email", "", clock.now())
        db.session.commit()
    return item


APPRAISAL_RECORD = "manager-of-owner (line manager or above); the person and od_admin who may see: 403"

EXPECTED.update({
    "appraisal.index": (GET, MANAGER_OR_OD),
    "appraisal.person_appraisals": (GET, Policy(record=PERSON_RECORD)),
    "appraisal.new_appraisal": (GET_POST, Policy(record=APPRAISAL_RECORD)),
    "appraisal.appraisal": (GET, Policy(record=PERSON_RECORD)),
    "appraisal.print_appraisal": (GET, Policy(record=PERSON_RECORD)),
    "cfpe.index": (GET, OD_ONLY),
    "cfpe.contact_new_starter": (GET_POST, Policy(roles=frozenset({OD_ADMIN}),
                                                  record="od_admin; the person must exist (404)")),
    "cfpe.consultations": (GET, OD_ONLY),
    "cfpe.my_consultations": (GET, SIGNED_IN),
    "cfpe.new_consultation": (GET_POST, SIGNED_IN),
    "cfpe.consultation": (GET, Policy(record="the person who asked, od_admin; others 404")),
    "cfpe.update_consultation": (GET_POST, Policy(roles=frozenset({OD_ADMIN}),
                                                  record="od_admin; the consultation must exist (404)")),
})

THE_MANAGERS = frozenset({"manager", "senior"})
ASKER_AND_OD = frozenset({"owner", "od"})

RECORD_CASES.update({
    "appraisal.person_appraisals": RecordCase(lambda world: {"person_id": world.owner.id}, OWNER_AND_MANAGERS_AND_OD),
    # Recorded by the line manager or a manager above them; the owner and OD may see, so get 403.
    "appraisal.new_appraisal": RecordCase(lambda world: {"person_id": world.owner.id}, THE_MANAGERS, THE_MANAGERS),
    "appraisal.appraisal": RecordCase(lambda world: {"appraisal_id": _appraisal(world).id},
                                      OWNER_AND_MANAGERS_AND_OD),
    "appraisal.print_appraisal": RecordCase(lambda world: {"appraisal_id": _appraisal(world).id},
                                            OWNER_AND_MANAGERS_AND_OD),
    # The OD team records contact with a person (a new starter); nobody else.
    "cfpe.contact_new_starter": RecordCase(lambda world: {"person_id": world.owner.id}, THE_LEAD, THE_LEAD),
    # A career consultation is private to the person who asked and the OD team (not their managers).
    "cfpe.consultation": RecordCase(lambda world: {"consultation_id": _consultation(world).id}, ASKER_AND_OD),
    "cfpe.update_consultation": RecordCase(lambda world: {"consultation_id": _consultation(world).id},
                                           THE_LEAD, THE_LEAD),
})


# ---------------------------------------------------------------------------------------------
# Learning (issue 5): My learning, the team grid, a person's required learning, exemptions
# ---------------------------------------------------------------------------------------------

LEARNING_EXEMPTIONS = Policy(roles=frozenset({OD_ADMIN}), record="od_admin; the person must exist (404)")


def _exemption(world):
    """An exemption of the owner from a required course, made (and committed) once per test."""
    from lnd.compliance.models import Exemption
    from lnd.courses import queries as course_queries
    from lnd.extensions import db

    db.session.rollback()   # see what requests committed before writing
    exemption = db.session.scalar(db.select(Exemption).filter_by(person_id=world.owner.id))
    if exemption is None:
        exemption = Exemption(person_id=world.owner.id, course_id=course_queries.course_by_slug("threshold-training").id,
                              reason="Prior learning", recorded_by_id=world.od.id)
        db.session.add(exemption)
        db.session.commit()
    return exemption.id


EXPECTED.update({
    "learning.mine": (GET, SIGNED_IN),
    "learning.team": (GET, MANAGER_OR_OD),
    "learning.person": (GET, Policy(record=PERSON_RECORD)),
    "learning.new_exemption": (GET_POST, LEARNING_EXEMPTIONS),
    "learning.remove_exemption": (POST, LEARNING_EXEMPTIONS),
})

RECORD_CASES.update({
    "learning.person": RecordCase(lambda world: {"person_id": world.owner.id}, OWNER_AND_MANAGERS_AND_OD),
    # Exemptions: the OD team only (the person and their managers see them, but may not change them: 403).
    "learning.new_exemption": RecordCase(lambda world: {"person_id": world.owner.id}, frozenset({"od"}),
                                         frozenset({"od"})),
    "learning.remove_exemption": RecordCase(lambda world: {"exemption_id": _exemption(world)}, frozenset(),
                                            frozenset({"od"})),
})


# ---------------------------------------------------------------------------------------------
# Summary reports (issue 9): compliance by team and window with its trend, the induction tracker,
# courses and sessions, and the ASYE, CPD and supervision summaries. OD sees everyone, a manager
# their reports; every page only reads (snapshots are taken on the command line).
# ---------------------------------------------------------------------------------------------

SUMMARY_COURSE = Policy(roles=frozenset({MANAGER, OD_ADMIN}),
                        record="od_admin sees everyone; a manager sees their reports (the course must exist: 404)")

EXPECTED.update({
    "reports.compliance_summary": (GET, MANAGER_OR_OD),
    "reports.induction_tracker": (GET, MANAGER_OR_OD),
    "reports.courses_report": (GET, MANAGER_OR_OD),
    "reports.course_sessions_report": (GET, SUMMARY_COURSE),
    "reports.service_summaries": (GET, MANAGER_OR_OD),
})


def _summary_course(world) -> int:
    from lnd.courses import queries as course_queries

    return course_queries.course_by_slug(LIVE_COURSE).id


SAMPLE_ARGS.update({
    "reports.course_sessions_report": lambda world, visitor: {"course_id": _summary_course(world)},
})

NOT_A_PERSONS_RECORD.update({
    "reports.course_sessions_report": "a course of the offer, reported on session by session",
})
