"""Pure rules for the Centre for Practice Excellence commitments. No database, no clock.

"The Centre for Practice Excellence will contact all new starters and offer the opportunity to talk
through the Learning and Development Offer" (the offer document). Who counts as a new starter to
contact is a named default: Children's Care staff who started in the last 3 months, or start in the
next 4 weeks (people are often loaded from HR before their first day).
"""
from __future__ import annotations

from datetime import date

from lnd.core.dates import Period, add_period

NEW_STARTER_LOOKBACK = Period(3, "months")
NEW_STARTER_LOOKAHEAD = Period(4, "weeks")

REQUESTED = "requested"
ARRANGED = "arranged"
COMPLETED = "completed"
CONSULTATION_STATUSES = {REQUESTED: "Requested", ARRANGED: "Arranged", COMPLETED: "Completed"}
STATUS_TAGS = {REQUESTED: "govuk-tag--yellow", ARRANGED: "govuk-tag--blue", COMPLETED: "govuk-tag--green"}
OPEN_STATUSES = (REQUESTED, ARRANGED)
# Where a consultation may go next: arranged and then completed, or completed straight away.
NEXT_STATUSES = {REQUESTED: (ARRANGED, COMPLETED), ARRANGED: (ARRANGED, COMPLETED), COMPLETED: ()}

CONTACT_PREFERENCES = {"email": "Email", "phone": "Phone", "teams": "Microsoft Teams call", "in_person": "In person"}


def new_starter_window(today: date) -> tuple[date, date]:
    """The first and last start dates of the new starters the Centre should contact today."""
    earliest = add_period(today, -NEW_STARTER_LOOKBACK.amount, NEW_STARTER_LOOKBACK.unit)
    return earliest, NEW_STARTER_LOOKAHEAD.after(today)


def is_new_starter(start_date: date | None, today: date) -> bool:
    if start_date is None:
        return False
    earliest, latest = new_starter_window(today)
    return earliest <= start_date <= latest


def contact_date_problem(contacted_on: date, today: date) -> str | None:
    if contacted_on > today:
        return "The date of the contact must be today or in the past"
    if contacted_on.year < 2000:
        return "The date of the contact must be in 2000 or later"
    return None


def status_change_problem(current: str, new: str) -> str | None:
    if new not in CONSULTATION_STATUSES:
        return "Select the status of the consultation"
    if new not in NEXT_STATUSES[current]:
        if current == COMPLETED:
            return "This consultation has been completed, so it cannot be changed"
        return f"A consultation that is {CONSULTATION_STATUSES[current].lower()} cannot be marked as " \
               f"{CONSULTATION_STATUSES[new].lower()}"
    return None
