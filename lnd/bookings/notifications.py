"""Booking mail: confirmation, waiting list, promotion, approval request, decision, change and
cancellation. Services queue a notice in the transaction; the view or command sends the queue
after it commits (so a rolled-back change never mails anyone) and discards it on rollback."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import current_app, has_request_context, url_for
from sqlalchemy import select

from lnd.bookings import calendar
from lnd.bookings.models import Booking
from lnd.core import clock, mail
from lnd.extensions import db
from lnd.people.models import OD_ADMIN, Person, PersonRole

log = logging.getLogger(__name__)

_KEY = "lnd_booking_mail"

BOOKED = "booked"
WAITLISTED = "waitlisted"
PROMOTED = "promoted"
APPROVAL_REQUESTED = "approval_requested"
APPROVED = "approved"
DECLINED = "declined"
CHANGED = "changed"
CANCELLED = "cancelled"


@dataclass
class Notice:
    kind: str
    booking_id: int
    reason: str = ""
    extra: dict = field(default_factory=dict)


def queue(kind: str, booking: Booking, reason: str = "", **extra) -> None:
    db.session.info.setdefault(_KEY, []).append(Notice(kind, booking.id, reason, extra))


def queued() -> list[Notice]:
    return list(db.session.info.get(_KEY, []))


def discard() -> None:
    db.session.info.pop(_KEY, None)


def send_queued() -> int:
    """Send what the committed transaction queued; returns how many could not be sent."""
    notices = db.session.info.pop(_KEY, [])
    failed = 0
    now = clock.now()
    for notice in notices:
        booking = db.session.get(Booking, notice.booking_id)
        if booking is None:
            continue
        try:
            for to, subject, body, attachments in _messages(notice, booking, now):
                mail.send(to, subject, body, attachments)
        except mail.MailError as error:
            failed += 1
            log.warning("Booking mail not sent: %s", error)
    return failed


# ---------------------------------------------------------------------------------------------

def _link(endpoint: str, **values) -> str:
    if has_request_context() or current_app.config.get("SERVER_NAME"):
        return url_for(endpoint, _external=True, **values)
    return ""


def when_text(booking: Booking) -> str:
    """Each part on its own line, in Europe/London time."""
    lines = []
    parts = booking.session.parts
    for part in parts:
        start = part.starts_at.astimezone(calendar.LONDON)
        end = part.ends_at.astimezone(calendar.LONDON)
        prefix = f"Part {part.position}: " if len(parts) > 1 else ""
        where = part.venue or ("Online" if part.joining_url else "Venue to be confirmed")
        line = f"{prefix}{start:%A} {start.day} {start:%B %Y}, {start:%H:%M} to {end:%H:%M}, {where}"
        if part.joining_url:
            line += f" (join at {part.joining_url})"
        lines.append(line)
    return "\n".join(lines)


def _invite(booking: Booking, now, *, cancel: bool = False) -> mail.Attachment:
    method = calendar.CANCEL if cancel else calendar.REQUEST
    return mail.Attachment(calendar.invite_filename(booking), calendar.invite(booking, now, cancel=cancel),
                           "text", "calendar", {"method": method, "charset": "utf-8"})


def _sign_off() -> str:
    return f"\n\n{current_app.config['SERVICE_NAME']}\n{current_app.config['ORGANISATION_NAME']}"


def _approvers(person: Person) -> list[str]:
    if person.manager is not None and person.manager.email:
        return [person.manager.email]
    return list(db.session.scalars(
        select(Person.email).join(PersonRole).where(PersonRole.role == OD_ADMIN).order_by(Person.email)))


def _messages(notice: Notice, booking: Booking, now):
    person = booking.person
    title = booking.session.course.title
    details = f"{title}\n{when_text(booking)}"
    link = _link("bookings.booking", booking_id=booking.id)
    see = f"\n\nSee your booking: {link}" if link else ""
    hello = f"Dear {person.first_name},\n\n"
    reason = f"\n\nReason: {notice.reason}" if notice.reason else ""
    kind = notice.kind
    if kind in (BOOKED, PROMOTED) or (kind == APPROVED and booking.state == BOOKED):
        lead = {BOOKED: "Your place is booked on",
                PROMOTED: "A place has become free and it is now yours on",
                APPROVED: "Your manager approved your request and your place is booked on"}[kind]
        subject = f"{'Place confirmed' if kind != PROMOTED else 'You have a place'}: {title}"
        body = (f"{hello}{lead}:\n\n{details}\n\nThe calendar invitation is attached. If you cannot go, "
                f"cancel your place so that someone on the waiting list can have it.{see}{_sign_off()}")
        yield person.email, subject, body, [_invite(booking, now)]
    elif kind == WAITLISTED or (kind == APPROVED and booking.state == WAITLISTED):
        lead = "Your manager approved your request. " if kind == APPROVED else ""
        body = (f"{hello}{lead}The session is full, so you are on the waiting list for:\n\n{details}\n\n"
                f"If a place becomes free before the session starts, it is offered to the first person on the "
                f"waiting list and we will email you a calendar invitation.{see}{_sign_off()}")
        yield person.email, f"On the waiting list: {title}", body, []
    elif kind == APPROVAL_REQUESTED:
        queue_link = _link("bookings.decide", booking_id=booking.id)
        body = (f"{person.name} has asked for a place on:\n\n{details}\n\n"
                f"This course needs your agreement before the place is booked."
                f"{chr(10) * 2 + 'Approve or decline the request: ' + queue_link if queue_link else ''}"
                f"{_sign_off()}")
        for to in _approvers(person):
            yield to, f"Approval needed: {person.name} – {title}", body, []
    elif kind == DECLINED:
        body = (f"{hello}Your request for a place on the following session was declined.\n\n{details}"
                f"{reason}{see}{_sign_off()}")
        yield person.email, f"Request declined: {title}", body, []
    elif kind == CHANGED:
        body = (f"{hello}The details of your session have changed. It now takes place:\n\n{details}\n\n"
                f"The updated calendar invitation is attached.{reason}{see}{_sign_off()}")
        yield person.email, f"Session changed: {title}", body, [_invite(booking, now)]
    elif kind == CANCELLED:
        had_place = notice.extra.get("had_place", True)
        body = (f"{hello}Your {'place' if had_place else 'request'} on the following session has been cancelled."
                f"\n\n{details}{reason}{see}{_sign_off()}")
        attachments = [_invite(booking, now, cancel=True)] if had_place else []
        yield person.email, f"Cancelled: {title}", body, attachments
