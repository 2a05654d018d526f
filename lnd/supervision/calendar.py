"""Supervision sessions as events in both people's private calendar feeds (a source registered with
the bookings feed at app start). One stable UID per session, SEQUENCE raised on every change."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import current_app
from icalendar import Event

from lnd.core.clock import LONDON
from lnd.supervision import queries
from lnd.supervision.models import SupervisionSession


def session_uid(session: SupervisionSession) -> str:
    domain = current_app.config["MAIL_SENDER"].rpartition("@")[2] or "lnd.local"
    return f"supervision-{session.uid}@{domain}"


def event_for(session: SupervisionSession, person_id: int, now: datetime) -> Event:
    agreement = session.agreement
    other = agreement.supervisee if person_id == agreement.supervisor_id else agreement.supervisor
    start = session.planned_starts_at.astimezone(LONDON)
    event = Event()
    event.add("uid", session_uid(session))
    event.add("sequence", session.sequence)
    event.add("dtstamp", now.astimezone(timezone.utc))
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=session.planned_minutes))
    event.add("summary", f"Supervision with {other.name}")
    if session.planned_place:
        event.add("location", session.planned_place)
    event.add("description", f"{agreement.kind_label}. "
                             + ("Recorded." if session.is_held else "Planned: bring items for the agenda."))
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("class", "PRIVATE")
    return event


def feed_events(person, now: datetime) -> list[Event]:
    return [event_for(session, person.id, now) for session in queries.feed_sessions(person.id, now)]
