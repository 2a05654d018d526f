"""Pure rules for sessions and bookings: who needs approval, why a booking is refused, the
cancellation cut-off, the waiting list and attendance outcomes. No database, no clock."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lnd.core.clock import LONDON  # the constant only: rules never read the time
from lnd.core.dates import Period, add_period
from lnd.core.workdays import add_working_days

DEFAULT_CANCEL_CUTOFF_WORKING_DAYS = 2

REQUESTED = "requested"
AWAITING_APPROVAL = "awaiting_approval"
BOOKED = "booked"
WAITLISTED = "waitlisted"
DECLINED = "declined"
CANCELLED_BY_PERSON = "cancelled_by_person"
CANCELLED_BY_OD = "cancelled_by_od"
SESSION_CANCELLED = "session_cancelled"
ATTENDED = "attended"
PARTLY_ATTENDED = "partly_attended"
NO_SHOW = "no_show"

# States that hold one of the session's seats.
SEAT_STATES = frozenset({BOOKED, ATTENDED, PARTLY_ATTENDED, NO_SHOW})
# States in which the person still wants, or has, a place: a second request is refused.
OPEN_STATES = frozenset({REQUESTED, AWAITING_APPROVAL, BOOKED, WAITLISTED, ATTENDED, PARTLY_ATTENDED, NO_SHOW})
# States of a booking that is still going ahead, one way or another.
ACTIVE_STATES = frozenset({REQUESTED, AWAITING_APPROVAL, BOOKED, WAITLISTED})
# States whose time counts when checking for overlapping bookings.
CALENDAR_STATES = frozenset({AWAITING_APPROVAL, BOOKED, WAITLISTED})
# States the person may cancel themselves (a booked place only up to the cut-off).
CANCELLABLE_STATES = frozenset({AWAITING_APPROVAL, BOOKED, WAITLISTED})
FEEDBACK_STATES = frozenset({ATTENDED, PARTLY_ATTENDED})
ENDED_STATES = frozenset({DECLINED, CANCELLED_BY_PERSON, CANCELLED_BY_OD, SESSION_CANCELLED})

# Course authorisation rules (courses.models)
NO_AUTHORISATION = "none"
LINE_MANAGER_AGREEMENT = "line_manager"
MANAGER_IF_ASPIRING = "manager_if_aspiring"


def approval_needed(authorisation: str, is_manager: bool) -> bool:
    """Developmental Offer places are agreed with the line manager; Middlesbrough Managers courses
    need authorisation for anyone not yet a manager (an aspiring manager)."""
    if authorisation == LINE_MANAGER_AGREEMENT:
        return True
    if authorisation == MANAGER_IF_ASPIRING:
        return not is_manager
    return False


# A course agreed in advance (at appraisal) can be booked without another request for this long.
PREAPPROVAL_VALID_FOR = Period(12, "months")


def preapproval_valid_until(agreed_on: date) -> date:
    """The last day an agreement can be used: agreed on 3 March 2026, good until 2 March 2027."""
    return PREAPPROVAL_VALID_FOR.after(agreed_on) - timedelta(days=1)


def preapproval_agreed_since(today: date) -> date:
    """The earliest agreement date still good today (the inverse of preapproval_valid_until, for a
    query): an agreement counts when agreed on or after this day."""
    day = add_period(today, -PREAPPROVAL_VALID_FOR.amount, PREAPPROVAL_VALID_FOR.unit) - timedelta(days=3)
    while preapproval_valid_until(day) < today:
        day += timedelta(days=1)
    return day


def preapproval_current(agreed_on: date, today: date) -> bool:
    return today <= preapproval_valid_until(agreed_on)


def london_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def overlaps(start_a: datetime, end_a: datetime, start_b: datetime, end_b: datetime) -> bool:
    """Two periods overlap when each starts before the other ends (back-to-back is fine)."""
    return start_a < end_b and start_b < end_a


@dataclass(frozen=True)
class Busy:
    """A period the person is already committed to, and what it is."""

    starts_at: datetime
    ends_at: datetime
    title: str


def first_overlap(parts: list[tuple[datetime, datetime]], busy: list[Busy]) -> Busy | None:
    for start, end in parts:
        for other in busy:
            if overlaps(start, end, other.starts_at, other.ends_at):
                return other
    return None


def _long(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def booking_refusal(*, course_bookable: bool, course_status_label: str, session_cancelled: bool,
                    starts_at: datetime, closes_on: date | None, now: datetime, existing_state: str | None,
                    clash: Busy | None) -> str | None:
    """Why a person may not book this session, as a sentence; None when they may."""
    if not course_bookable:
        return f"This course cannot be booked because it is {course_status_label.lower()}."
    if session_cancelled:
        return "This session has been cancelled, so it cannot be booked."
    if now >= starts_at:
        return "This session has already started, so it can no longer be booked."
    if closes_on is not None and london_date(now) > closes_on:
        return f"Booking for this session closed on {_long(closes_on)}."
    if existing_state in OPEN_STATES:
        return "You already have a place, a request or a waiting-list entry for this session."
    if clash is not None:
        when = clash.starts_at.astimezone(LONDON)
        return (f"You cannot book this session because it overlaps with {clash.title} "
                f"on {_long(when.date())} at {when:%H:%M}.")
    return None


def cancellation_deadline(first_day: date, working_days: int = DEFAULT_CANCEL_CUTOFF_WORKING_DAYS) -> date:
    """The last day a person may cancel a booked place themselves: `working_days` working days
    before the session's first day (weekends and England bank holidays do not count)."""
    return add_working_days(first_day, -working_days)


def cancellation_refusal(state: str, first_day: date, today: date, session_started: bool,
                         working_days: int = DEFAULT_CANCEL_CUTOFF_WORKING_DAYS) -> str | None:
    """Why the person may not cancel this booking themselves; None when they may."""
    if state not in CANCELLABLE_STATES:
        return "This booking cannot be cancelled."
    if state != BOOKED:
        return None  # a request or a waiting-list entry holds no seat
    if session_started:
        return "This session has already started. Contact the OD team if you could not attend."
    deadline = cancellation_deadline(first_day, working_days)
    if today > deadline:
        return (f"You can only cancel up to {working_days} working days before the session "
                f"(by {_long(deadline)}). Contact the OD team to cancel your place.")
    return None


def od_cancellation_refusal(state: str) -> str | None:
    if state in CANCELLABLE_STATES:
        return None
    return "Only requests, waiting-list entries and booked places can be cancelled."


def places_left(capacity: int, taken: int) -> int:
    return max(capacity - taken, 0)


def capacity_refusal(new_capacity: int | None, taken: int) -> str | None:
    if new_capacity is None or new_capacity < 1:
        return "Capacity must be 1 or more."
    if new_capacity < taken:
        return (f"Capacity cannot be less than the {taken} place{'s' if taken != 1 else ''} already booked. "
                "Cancel bookings first if the room is smaller.")
    return None


@dataclass(frozen=True)
class WaitlistEntry:
    booking_id: int
    waitlisted_at: datetime


def waitlist_order(entries: list[WaitlistEntry]) -> list[WaitlistEntry]:
    """First come, first served; the earlier booking wins a tie."""
    return sorted(entries, key=lambda e: (e.waitlisted_at, e.booking_id))


def promotions(capacity: int, taken: int, waitlist: list[WaitlistEntry], *, now: datetime, starts_at: datetime,
               cancelled: bool = False) -> list[WaitlistEntry]:
    """Who moves from the waiting list into a free place now: the first in line, as many as there
    are free places, and nobody once the session has started or if it is cancelled."""
    if cancelled or now >= starts_at:
        return []
    return waitlist_order(waitlist)[:places_left(capacity, taken)]


def attendance_outcome(marks: list[bool | None]) -> str | None:
    """A booking's outcome from its register marks, one per part (None: not marked yet)."""
    if not marks or any(mark is None for mark in marks):
        return None
    if all(marks):
        return ATTENDED
    if any(marks):
        return PARTLY_ATTENDED
    return NO_SHOW


def register_open(part_starts_at: datetime, now: datetime) -> bool:
    """The register for a part can be marked from the day it takes place."""
    return london_date(now) >= london_date(part_starts_at)


def invite_available(state: str, had_place: bool) -> bool:
    """A calendar invite exists while a place is held, and (as a cancellation) once a held place ends."""
    return state in SEAT_STATES or (had_place and state in ENDED_STATES - {DECLINED})


def may_give_feedback(state: str, has_feedback: bool) -> bool:
    return state in FEEDBACK_STATES and not has_feedback


def part_problems(parts: list[tuple[datetime, datetime]]) -> list[tuple[int, str]]:
    """(part index, sentence) for parts that end before they start or overlap an earlier part."""
    problems = []
    for index, (start, end) in enumerate(parts):
        if end <= start:
            problems.append((index, "The end time must be after the start time"))
        elif index and start < parts[index - 1][1]:
            problems.append((index, f"Part {index + 1} must start after part {index} ends"))
    return problems
