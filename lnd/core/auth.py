"""Sign-in plumbing and the access policy every view declares.

Each view is wrapped in `@access(...)`, which both enforces who may use it and records the
policy on the view so the access-matrix test can prove no route is left undeclared.
Record-level checks (is this my record, my report's, …) happen in the view through the owning
module's access helpers and end in 404/403.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

from lnd.extensions import db, login_manager

ANONYMOUS = "anonymous"      # anybody, signed in or not
SIGNED_IN = "signed_in"      # any signed-in person


@dataclass(frozen=True)
class Policy:
    """Who may use a view. `roles` empty means any signed-in person (or anyone, if anonymous).
    `record` names the record-level rule applied inside the view (for documentation and tests)."""

    anonymous: bool = False
    roles: frozenset[str] = field(default_factory=frozenset)
    record: str | None = None

    def describe(self) -> str:
        if self.anonymous:
            return "anyone"
        who = ", ".join(sorted(self.roles)) if self.roles else "any signed-in person"
        return f"{who} ({self.record})" if self.record else who


def access(*roles: str, anonymous: bool = False, record: str | None = None):
    """Declare and enforce who may use a view: `@access(anonymous=True)`, `@access()` (signed in),
    `@access("od_admin")`, `@access(record="staff-self, manager-of-owner, od_admin")`."""
    policy = Policy(anonymous=anonymous, roles=frozenset(roles), record=record)

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not policy.anonymous:
                if not current_user.is_authenticated:
                    return login_manager.unauthorized()
                if policy.roles and not current_user.has_role(*policy.roles):
                    abort(403)
            return view(*args, **kwargs)

        wrapper.access_policy = policy
        return wrapper

    return decorate


def policy_of(view) -> Policy | None:
    return getattr(view, "access_policy", None)


def _load_person(user_id: str):
    from lnd.people.models import Person

    person_id, _, token = user_id.partition(":")
    if not person_id.isdigit() or not token:
        return None
    person = db.session.get(Person, int(person_id))
    if person is None or person.session_token != token or not person.password_hash:
        return None
    return person


def init_app(app) -> None:
    login_manager.login_view = "people.login"
    login_manager.login_message = "Sign in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_person)


def is_safe_next(target: str | None) -> bool:
    """Only local paths: '/x', never '//host' or 'http://host'."""
    if not target or not target.startswith("/") or target.startswith("//") or target.startswith("/\\"):
        return False
    return "\n" not in target and "\r" not in target


def redirect_next(default_endpoint: str = "compliance.home"):
    target = request.args.get("next") or request.form.get("next")
    if is_safe_next(target):
        return redirect(target)
    return redirect(url_for(default_endpoint))


def current_app_name() -> str:
    return current_app.config["SERVICE_NAME"]
