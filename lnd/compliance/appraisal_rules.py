"""Pure rules for the annual appraisal: when the next one is due and how pressing it is.

All staff have an annual appraisal (Social Work Practice Standards): the next is due 12 months
after the last. Someone never appraised is due 12 months after their start date: a named default
(FIRST_APPRAISAL_AFTER), since the documents do not say when the first appraisal falls.
No database, no clock: `today` is passed in.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lnd.compliance.rules import how_long, long_date
from lnd.core.dates import Period

APPRAISAL_INTERVAL = Period(12, "months")     # from one appraisal to the next
FIRST_APPRAISAL_AFTER = Period(12, "months")  # a new starter's first appraisal, from their start date
DUE_SOON_DAYS = 28                            # "due soon" from four weeks before the due date
EARLIEST_YEAR = 2000                          # an appraisal date before this is a typing mistake

OVERDUE = "overdue"
DUE_SOON = "due_soon"
NOT_DUE = "not_due"
NO_DATE = "no_date"        # neither an appraisal nor a start date to count from
NOT_APPLICABLE = "not_applicable"  # has left

SEVERITY = {OVERDUE: 0, NO_DATE: 1, DUE_SOON: 2, NOT_DUE: 3, NOT_APPLICABLE: 4}
LABELS = {OVERDUE: "Overdue", NO_DATE: "No date to count from", DUE_SOON: "Due soon", NOT_DUE: "Up to date",
          NOT_APPLICABLE: "Not applicable"}
TAG_CLASSES = {OVERDUE: "govuk-tag--red", NO_DATE: "govuk-tag--yellow", DUE_SOON: "govuk-tag--orange",
               NOT_DUE: "govuk-tag--green", NOT_APPLICABLE: "govuk-tag--grey"}


@dataclass(frozen=True)
class AppraisalStatus:
    kind: str
    due_on: date | None = None
    days: int | None = None   # days overdue, or days left

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def tag_class(self) -> str:
        return TAG_CLASSES[self.kind]

    @property
    def severity(self) -> int:
        return SEVERITY[self.kind]

    @property
    def detail(self) -> str:
        if self.kind == OVERDUE:
            return f"Was due by {long_date(self.due_on)} ({how_long(self.days)} overdue)"
        if self.kind in (DUE_SOON, NOT_DUE):
            return f"Due by {long_date(self.due_on)}"
        if self.kind == NO_DATE:
            return "No appraisal or start date is recorded"
        return "Has left"


def next_due_on(last_held_on: date | None, start_date: date | None) -> date | None:
    """12 months after the last appraisal; for someone never appraised, 12 months after starting."""
    if last_held_on is not None:
        return APPRAISAL_INTERVAL.after(last_held_on)
    if start_date is not None:
        return FIRST_APPRAISAL_AFTER.after(start_date)
    return None


def appraisal_status(last_held_on: date | None, start_date: date | None, today: date,
                     leaving_date: date | None = None, due_soon_days: int = DUE_SOON_DAYS) -> AppraisalStatus:
    due_on = next_due_on(last_held_on, start_date)
    if leaving_date is not None and leaving_date < today:
        return AppraisalStatus(NOT_APPLICABLE, due_on)
    if due_on is None:
        return AppraisalStatus(NO_DATE)
    remaining = (due_on - today).days
    if remaining < 0:
        return AppraisalStatus(OVERDUE, due_on, -remaining)
    if remaining <= due_soon_days:
        return AppraisalStatus(DUE_SOON, due_on, remaining)
    return AppraisalStatus(NOT_DUE, due_on, remaining)


def most_pressing_first(status: AppraisalStatus) -> tuple:
    """Overdue first (longest overdue at the top), then the rest by due date."""
    return (status.severity, status.due_on or date.min)


def held_on_problem(held_on: date, today: date, start_date: date | None) -> str | None:
    """Why an appraisal cannot be recorded on this date, as a sentence; None when it can."""
    if held_on > today:
        return "The date of the appraisal must be today or in the past"
    if held_on.year < EARLIEST_YEAR:
        return f"The date of the appraisal must be in {EARLIEST_YEAR} or later"
    if start_date is not None and held_on < start_date:
        return f"The date of the appraisal must be on or after their start date, {long_date(start_date)}"
    return None
