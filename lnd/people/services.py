"""Use cases that change people: signing in and out, roles."""
from __future__ import annotations

from lnd.core import audit
from lnd.extensions import db
from lnd.people.models import Person
from lnd.people.queries import find_by_email

# Verifying against a throwaway hash keeps the time for an unknown email like that for a known one.
_DUMMY = Person(first_name="", last_name="", email="")
_DUMMY.set_password("not-a-real-password")


def authenticate(email: str, password: str) -> Person | None:
    """The person if the email and password match and they may sign in; failures are audited."""
    person = find_by_email(email)
    if person is None:
        _DUMMY.check_password(password)
        audit.record("login_failed", "person", None, summary=f"Failed sign-in for unknown email {email.strip()[:254]}")
        return None
    if not person.check_password(password):
        audit.record("login_failed", "person", person.id, summary=f"Failed sign-in for {person.email}")
        return None
    audit.record("login", "person", person.id, actor=person, summary=f"{person.email} signed in")
    return person


def sign_out(person: Person) -> None:
    """Changing the token makes every cookie issued before now worthless."""
    person.rotate_session_token()
    audit.record("logout", "person", person.id, actor=person, summary=f"{person.email} signed out")
    db.session.flush()


def set_roles(person: Person, roles, actor) -> None:
    before = sorted(person.roles)
    person.set_roles(roles)
    after = sorted(person.roles)
    if before != after:
        audit.record("roles_changed", "person", person.id, actor=actor,
                     summary=f"Roles of {person.email} changed", before={"roles": before}, after={"roles": after})
    db.session.flush()
