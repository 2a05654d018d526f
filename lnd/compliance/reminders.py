"""Pure rules for mandatory-training reminders: which reminder, if any, one item is due today, given
the reminders already sent about it. No database, no clock: `today` is passed in.

An item is one person's required course with its due date (a renewal has a new due date, so it is a
new item). What is chased:
- due soon: one reminder, the first day the job runs within `due_soon_days` of the due date;
- overdue (or expired): weekly from the day after the due date, at most OVERDUE_AT_MOST times;
- nothing for completed, exempt or not-applicable items, and nothing while a session is booked —
  not even when the due date has passed before the session: the booking is the answer, and the
  manager still sees the item in the weekly digest. If the booking is cancelled or missed, the
  overdue reminders resume, counting those already sent.
- never two reminders about the same item on the same day.
The managers' weekly digest goes on the digest day, or on the first run after it that week when the
job did not run that day (digest_due).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable

from lnd.compliance import rules

DUE_SOON = "due_soon"
OVERDUE = "overdue"
DIGEST = "digest"
KIND_LABELS = {DUE_SOON: "due soon", OVERDUE: "overdue", DIGEST: "weekly digest"}

OVERDUE_EVERY_DAYS = 7   # overdue reminders repeat weekly…
OVERDUE_AT_MOST = 4      # …at most this many times per item
DIGEST_WEEKDAY = "Monday"  # the managers' digest goes out on this day of the week

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

_CHASED_AS_OVERDUE = frozenset({rules.OVERDUE, rules.EXPIRED})
_CHASED_AS_DUE_SOON = frozenset({rules.DUE, rules.DUE_SOON})


@dataclass(frozen=True)
class Sent:
    """A reminder already sent about an item."""

    kind: str
    sent_on: date


def reminder_due(status: rules.Status, today: date, sent: Iterable[Sent] = (), *,
                 due_soon_days: int = rules.DUE_SOON_DAYS) -> str | None:
    """DUE_SOON, OVERDUE or None: the reminder one item is due today."""
    sent = list(sent)
    if status.due_on is None or any(s.sent_on == today for s in sent):
        return None
    if status.kind in _CHASED_AS_OVERDUE:
        return OVERDUE if _overdue_reminder_due(today, [s.sent_on for s in sent if s.kind == OVERDUE]) else None
    if status.kind in _CHASED_AS_DUE_SOON:
        days_left = (status.due_on - today).days
        if 0 <= days_left <= due_soon_days and not any(s.kind == DUE_SOON for s in sent):
            return DUE_SOON
    return None


def _overdue_reminder_due(today: date, sent_on: list[date]) -> bool:
    if len(sent_on) >= OVERDUE_AT_MOST:
        return False
    return not sent_on or (today - max(sent_on)).days >= OVERDUE_EVERY_DAYS


def overdue_number(sent: Iterable[Sent]) -> int:
    """Which overdue reminder (1 to OVERDUE_AT_MOST) the next one about an item is."""
    return 1 + sum(1 for s in sent if s.kind == OVERDUE)


def in_digest(status: rules.Status) -> bool:
    """Whether an item appears in the manager's weekly digest: everything past its due date and
    not done, including items booked on a session after the due date."""
    return status.is_overdue


def digest_day_this_week(today: date, weekday: int) -> date:
    """This calendar week's (Monday to Sunday) digest day: `weekday` 0 = Monday … 6 = Sunday."""
    return today - timedelta(days=today.weekday()) + timedelta(days=weekday)


def digest_due(today: date, weekday: int, last_sent_on: date | None = None) -> bool:
    """The weekly digest is due on or after this week's digest day, when none has gone to the
    manager since that day: a run missed on the digest day is caught up by the next run that week,
    and never more than one goes in a week."""
    day = digest_day_this_week(today, weekday)
    return today >= day and (last_sent_on is None or last_sent_on < day)


def weekday_number(name: str | int) -> int:
    """'Monday' (any case, or 'mon') -> 0 … 'Sunday' -> 6. Raises ValueError with a sentence."""
    if isinstance(name, int) and 0 <= name <= 6:
        return name
    text = str(name).strip().lower()
    for number, day in enumerate(WEEKDAYS):
        if text and (text == day.lower() or (len(text) >= 3 and day.lower().startswith(text))):
            return number
    raise ValueError(f"‘{name}’ is not a day of the week: use one of {', '.join(WEEKDAYS)}.")

