"""Supervision mail: an agreement to sign, a session planned or moved, a record to read. Services
queue a notice inside the transaction; the view or command sends the queue after it commits, and
discards it on rollback, so a change that did not happen never mails anyone."""
from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app, has_request_context, url_for

from lnd.core import mail
from lnd.core.clock import LONDON
from lnd.extensions import db
from lnd.supervision.models import SupervisionAgreement, SupervisionSession

log = logging.getLogger(__name__)

_KEY = "lnd_supervision_mail"

TO_SIGN = "to_sign"
PLANNED = "planned"
TO_READ = "to_read"


@dataclass(frozen=True)
class Notice:
    kind: str
    object_id: int
    to_person_id: int


def queue(kind: str, object_id: int, to_person_id: int) -> None:
    db.session.info.setdefault(_KEY, []).append(Notice(kind, object_id, to_person_id))


def queued() -> list[Notice]:
    return list(db.session.info.get(_KEY, []))


def discard() -> None:
    db.session.info.pop(_KEY, None)


def _link(endpoint: str, **values) -> str:
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    with current_app.test_request_context():   # a command: the address as the app names it
        return url_for(endpoint, **values)


def _when(session: SupervisionSession) -> str:
    start = session.planned_starts_at.astimezone(LONDON)
    return f"{start:%A} {start.day} {start:%B %Y} at {start:%H:%M}"


def _message(notice: Notice) -> tuple[str, str, str] | None:
    """(to, subject, body) for a notice, or None when what it was about has gone."""
    from lnd.people.models import Person

    person = db.session.get(Person, notice.to_person_id)
    if person is None:
        return None
    if notice.kind == TO_SIGN:
        agreement = db.session.get(SupervisionAgreement, notice.object_id)
        if agreement is None or agreement.ended_on is not None:
            return None
        other = agreement.supervisor if person.id == agreement.supervisee_id else agreement.supervisee
        return (person.email, "A supervision agreement is ready for you to sign",
                f"Dear {person.first_name},\n\nThe {agreement.kind_label.lower()} agreement between you and "
                f"{other.name} is ready for you to read and sign. It is in force once you have both signed it.\n\n"
                f"{_link('supervision.agreement', agreement_id=agreement.id)}\n")
    session = db.session.get(SupervisionSession, notice.object_id)
    if session is None:
        return None
    link = _link("supervision.session", session_id=session.id)
    if notice.kind == PLANNED:
        if not session.is_planned:
            return None
        return (person.email, "Supervision planned",
                f"Dear {person.first_name},\n\nYour supervision with {session.agreement.supervisor.name} is planned "
                f"for {_when(session)}, at {session.planned_place or 'a place to be confirmed'}.\n\n"
                f"It is also in your calendar feed.\n\n{link}\n")
    if notice.kind == TO_READ:
        return (person.email, "Your supervision record is ready to read",
                f"Dear {person.first_name},\n\n{session.agreement.supervisor.name} has recorded your supervision "
                f"held on {session.held_on.day} {session.held_on:%B %Y}. Read it, add your comments if you want "
                f"to, and acknowledge it.\n\n{link}\n")
    return None


def send_queued() -> int:
    """Send what the committed transaction queued; returns how many could not be sent."""
    failed = 0
    for notice in db.session.info.pop(_KEY, []):
        message = _message(notice)
        if message is None:
            continue
        try:
            mail.send(*message)
        except mail.MailError as error:
            failed += 1
            log.error("supervision mail not sent: %s", error)
    return failed
