"""Demonstration sessions, for `seed --demo`: a few upcoming sessions of courses people are asked to
do, dated from today (lnd.core.clock.today(), so LND_TODAY fixes them) and made through the same
service as the OD team's "Add a session" page.

- Tri.x – Children's Services Procedure Manual (4-week induction, a seminar): the next one in about a
  week and another a month later, so a new starter can book before their induction window closes.
- LCS/EHM Training (4-week induction: e-learning or a seminar).
- SMART Planning and Court Skills & Pre Proceedings (two parts, a week apart) from the Core Offer.
- Supervision Skills from the Developmental Offer (agreed with the line manager, so a request).

Threshold Training is in the induction too, but the offer delivers it as a video, so it has no sessions.

Idempotent: a session of the same course starting at the same moment is not made again. Mail the
service would queue is discarded: the demo writes to nobody.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select

from lnd.bookings import notifications
from lnd.bookings.models import CourseSession
from lnd.bookings.session_services import PartDetails, SessionDetails, create_session
from lnd.core.clock import LONDON
from lnd.courses.queries import course_by_slug
from lnd.extensions import db
from lnd.people.queries import find_by_email

OD_TEAM = "od.admin@example.org"
CPE_ROOM = "Middlesbrough House, Centre for Practice Excellence training room"
TEAMS_LINK = "https://teams.example.org/l/meetup-join/demo"


@dataclass(frozen=True)
class Part:
    days_from_today: int
    start: time
    end: time
    venue: str = CPE_ROOM
    joining_url: str | None = None


@dataclass(frozen=True)
class DemoSession:
    course_slug: str
    capacity: int
    facilitator: str
    parts: tuple[Part, ...]
    notes: str = ""


SESSIONS = [
    DemoSession("trix-procedure-manual", 16, "Helen Carter", (Part(7, time(9, 30), time(12, 0)),),
                "Bring your laptop: we set up Tri.x favourites and the desktop icon together."),
    DemoSession("trix-procedure-manual", 16, "Helen Carter", (Part(35, time(13, 30), time(16, 0), venue="",
                                                                   joining_url=TEAMS_LINK),)),
    DemoSession("lcs-ehm-training", 12, "Marcus Green", (Part(9, time(9, 30), time(12, 30)),)),
    DemoSession("smart-planning", 20, "Fiona McKay", (Part(14, time(9, 30), time(12, 30)),)),
    DemoSession("court-skills-and-pre-proceedings", 18, "Legal Services and the Centre for Practice Excellence",
                (Part(16, time(9, 30), time(16, 0)), Part(23, time(9, 30), time(16, 0)))),
    DemoSession("supervision-skills", 14, "Helen Carter", (Part(21, time(9, 30), time(15, 30)),)),
]


@dataclass
class DemoResult:
    created: list[str] = field(default_factory=list)
    already_there: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = f"{len(self.created)} sessions created, {self.already_there} already there"
        if self.skipped:
            text += f"; skipped: {', '.join(self.skipped)}"
        return text


def working_day_on_or_after(day: date) -> date:
    """Sessions run Monday to Friday: a weekend date moves to the Monday after."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=LONDON)


def _parts(entry: DemoSession, today: date) -> list[PartDetails]:
    parts = []
    for part in entry.parts:
        day = working_day_on_or_after(today + timedelta(days=part.days_from_today))
        parts.append(PartDetails(starts_at=_at(day, part.start), ends_at=_at(day, part.end), venue=part.venue,
                                 joining_url=part.joining_url))
    return parts


def _exists(course_id: int, starts_at: datetime) -> bool:
    return db.session.scalar(select(CourseSession.id).where(
        CourseSession.course_id == course_id, CourseSession.starts_at == starts_at).limit(1)) is not None


def load_session_demo(today: date) -> DemoResult:
    """Make the demo sessions that are not there yet; the caller commits."""
    result = DemoResult()
    actor = find_by_email(OD_TEAM)
    if actor is None:
        result.skipped.append(f"no {OD_TEAM} to add them")
        return result
    for entry in SESSIONS:
        course = course_by_slug(entry.course_slug)
        if course is None or not course.is_bookable:
            result.skipped.append(entry.course_slug)
            continue
        parts = _parts(entry, today)
        if _exists(course.id, parts[0].starts_at):
            result.already_there += 1
            continue
        first_day = parts[0].starts_at.date()
        create_session(course, SessionDetails(booking_closes_on=first_day - timedelta(days=1),
                                              facilitator=entry.facilitator, notes=entry.notes,
                                              parts=parts, capacity=entry.capacity), actor)
        result.created.append(f"{course.title} on {first_day.day} {first_day:%B %Y}")
    notifications.discard()
    return result
