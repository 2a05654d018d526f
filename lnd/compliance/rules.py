"""Pure rules for required learning. No database, no clock: `today` is passed in."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lnd.core.dates import Period

DUE_SOON_DAYS = 14  # "due soon" from two weeks before the due date

COMPLETED = "completed"
DUE = "due"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
NOT_APPLICABLE = "not_applicable"

# Order in which statuses are listed: the most pressing first.
SEVERITY = {OVERDUE: 0, DUE_SOON: 1, DUE: 2, COMPLETED: 3, NOT_APPLICABLE: 4}
LABELS = {OVERDUE: "Overdue", DUE_SOON: "Due soon", DUE: "Due", COMPLETED: "Completed",
          NOT_APPLICABLE: "Not applicable"}
TAG_CLASSES = {OVERDUE: "govuk-tag--red", DUE_SOON: "govuk-tag--orange", DUE: "govuk-tag--blue",
               COMPLETED: "govuk-tag--green", NOT_APPLICABLE: "govuk-tag--grey"}


@dataclass(frozen=True)
class Status:
    kind: str
    due_on: date | None = None
    completed_on: date | None = None
    days: int | None = None  # days overdue, or days left

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def tag_class(self) -> str:
        return TAG_CLASSES[self.kind]

    @property
    def detail(self) -> str:
        if self.kind == COMPLETED and self.completed_on:
            return f"Completed on {_long(self.completed_on)}"
        if self.kind == OVERDUE:
            return f"Was due by {_long(self.due_on)} ({_days(self.days)} overdue)"
        if self.kind in (DUE, DUE_SOON):
            return f"Due by {_long(self.due_on)}"
        return ""


def _long(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def _days(count: int | None) -> str:
    if count is None:
        return ""
    if count >= 14:
        weeks = count // 7
        return f"{weeks} weeks" if weeks != 1 else "1 week"
    return f"{count} day" if count == 1 else f"{count} days"


def window_due_date(start: date, window: Period, counted_from: date | None = None) -> date:
    """The date a window closes. Counting starts at the later of the person's start date and
    `counted_from` (when a rule began after the person was already in post)."""
    begin = max(start, counted_from) if counted_from else start
    return window.after(begin)


def requirement_status(due_on: date, completed_on: date | None, today: date,
                       leaving_date: date | None = None, due_soon_days: int = DUE_SOON_DAYS) -> Status:
    """Where a person stands on one required course."""
    if completed_on is not None:
        return Status(COMPLETED, due_on=due_on, completed_on=completed_on)
    if leaving_date is not None and leaving_date < today:
        return Status(NOT_APPLICABLE, due_on=due_on)
    remaining = (due_on - today).days
    if remaining < 0:
        return Status(OVERDUE, due_on=due_on, days=-remaining)
    if remaining <= due_soon_days:
        return Status(DUE_SOON, due_on=due_on, days=remaining)
    return Status(DUE, due_on=due_on, days=remaining)


def progress(statuses: list[Status]) -> tuple[int, int]:
    """(completed, applicable) for a progress bar."""
    applicable = [s for s in statuses if s.kind != NOT_APPLICABLE]
    return sum(1 for s in applicable if s.kind == COMPLETED), len(applicable)
