"""iCalendar (RFC 5545) for bookings: the invite each booking mail carries and the private feed.

One stable UID per booking (and per part for sessions in several parts), a SEQUENCE raised on
every change, METHOD:REQUEST with an ORGANIZER for a place, METHOD:CANCEL when it is cancelled,
times in Europe/London with its VTIMEZONE. Without these, Outlook duplicates events.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone

from flask import Flask, current_app
from icalendar import Calendar, Event, TimezoneDaylight, TimezoneStandard, vCalAddress, vRecur, vText
from icalendar import Timezone as VTimezone

from lnd.bookings.models import Booking, SessionPart
from lnd.bookings.rules import LONDON, SEAT_STATES

PRODID = "-//Middlesbrough Children's Care//Learning and Development//EN"
TZID = "Europe/London"
REQUEST = "REQUEST"
CANCEL = "CANCEL"


def _london_vtimezone() -> VTimezone:
    """Europe/London as Outlook writes it: GMT in winter, BST from the last Sunday in March to the
    last Sunday in October."""
    tz = VTimezone()
    tz.add("tzid", TZID)
    summer = TimezoneDaylight()
    summer.add("tzname", "BST")
    summer.add("tzoffsetfrom", timedelta(0))
    summer.add("tzoffsetto", timedelta(hours=1))
    summer.add("dtstart", datetime(1970, 3, 29, 1, 0))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "GMT")
    winter.add("tzoffsetfrom", timedelta(hours=1))
    winter.add("tzoffsetto", timedelta(0))
    winter.add("dtstart", datetime(1970, 10, 25, 2, 0))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _calendar(method: str | None, name: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("x-wr-timezone", TZID)
    cal.add_component(_london_vtimezone())
    return cal


def part_uid(booking: Booking, part: SessionPart) -> str:
    """The booking's UID for its first part; later parts add their position (each part is its own event)."""
    domain = current_app.config["MAIL_SENDER"].rpartition("@")[2] or "lnd.local"
    suffix = "" if part.position == 1 else f"-part{part.position}"
    return f"booking-{booking.uid}{suffix}@{domain}"


def _local(moment: datetime) -> datetime:
    return moment.astimezone(LONDON)


def _event(booking: Booking, part: SessionPart, now: datetime, *, cancelled: bool, with_people: bool) -> Event:
    session = booking.session
    course = session.course
    parts = len(session.parts)
    title = course.title if parts == 1 else f"{course.title} (part {part.position} of {parts})"
    event = Event()
    event.add("uid", part_uid(booking, part))
    event.add("sequence", booking.sequence)
    event.add("dtstamp", now.astimezone(timezone.utc))
    event.add("dtstart", _local(part.starts_at))
    event.add("dtend", _local(part.ends_at))
    event.add("summary", title)
    location = part.venue or ("Online" if part.joining_url else "")
    if location:
        event.add("location", location)
    description = [course.summary] if course.summary else []
    if part.joining_url:
        description.append(f"Join online: {part.joining_url}")
        event.add("url", part.joining_url)
    if session.facilitator:
        description.append(f"Facilitator: {session.facilitator}")
    if description:
        event.add("description", "\n\n".join(description))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    if with_people:
        config = current_app.config
        organizer = vCalAddress(f"mailto:{config['MAIL_SENDER']}")
        organizer.params["cn"] = vText(config["SERVICE_NAME"])
        event.add("organizer", organizer)
        attendee = vCalAddress(f"mailto:{booking.person.email}")
        attendee.params["cn"] = vText(booking.person.name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        attendee.params["partstat"] = vText("DECLINED" if cancelled else "ACCEPTED")
        attendee.params["rsvp"] = vText("FALSE")
        event.add("attendee", attendee)
    return event


def invite(booking: Booking, now: datetime, *, cancel: bool | None = None) -> bytes:
    """The .ics for one booking: a REQUEST while it holds a place, a CANCEL otherwise."""
    if cancel is None:
        cancel = booking.state not in SEAT_STATES
    cal = _calendar(CANCEL if cancel else REQUEST)
    for part in booking.session.parts:
        cal.add_component(_event(booking, part, now, cancelled=cancel, with_people=True))
    return cal.to_ical()


def method_of(booking: Booking) -> str:
    return REQUEST if booking.state in SEAT_STATES else CANCEL


def invite_filename(booking: Booking) -> str:
    return f"booking-{booking.id}.ics"


def feed(bookings: list[Booking], now: datetime, name: str, others: Iterable[Event] = ()) -> bytes:
    """A person's calendar of booked sessions, for subscribing in Outlook or another calendar, with
    the events other modules' feed sources give for the person (`others`)."""
    cal = _calendar(None, name)
    for booking in bookings:
        for part in booking.session.parts:
            cal.add_component(_event(booking, part, now, cancelled=False, with_people=False))
    for event in others:
        cal.add_component(event)
    return cal.to_ical()


# Other modules put their own events in the private feed without bookings knowing about them: each
# registers, at app start, a source (person, now) -> events. Their times should be in Europe/London
# (the feed carries that VTIMEZONE) and their UIDs stable, like the bookings' own.
FeedSource = Callable[[object, datetime], Iterable[Event]]
_FEED_SOURCES = "lnd.calendar_feed_sources"


def register_feed_source(app: Flask, source: FeedSource) -> None:
    sources = app.extensions.setdefault(_FEED_SOURCES, [])
    if source not in sources:
        sources.append(source)


def events_from_sources(app: Flask, person, now: datetime) -> list[Event]:
    return [event for source in app.extensions.get(_FEED_SOURCES, []) for event in source(person, now)]
