"""Pure rules for supervision: how often it must happen, when the next is due and by how long it is
overdue; an agreement's signing state and annual review; late recording; observation of practice.
No database, no clock: `today` is always passed in.

The cadence comes from the Social Work Practice Standards (standard 6: "newly qualified social
workers weekly for the first 6 weeks and fortnightly thereafter; and a minimum of monthly for other
practitioners") and the ASYE guidance (at least fortnightly to 6 months, monthly after).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from lnd.core.dates import Period
from lnd.core.workdays import add_working_days, working_days_between

# Kinds of supervision agreement
PROFESSIONAL = "professional"
ASYE = "asye"
DSL = "dsl"
ATTENDANCE = "attendance"
KINDS = {
    PROFESSIONAL: "Professional and casework supervision",
    ASYE: "ASYE supervision (newly qualified social worker)",
    DSL: "Designated Safeguarding Lead supervision",
    ATTENDANCE: "Attendance lead supervision",
}

# How often the agreement says supervision is held
WEEKLY = "weekly"
FORTNIGHTLY = "fortnightly"
FOUR_WEEKLY = "four_weekly"
MONTHLY = "monthly"
FREQUENCIES = {WEEKLY: "Weekly", FORTNIGHTLY: "Fortnightly", FOUR_WEEKLY: "Every 4 weeks", MONTHLY: "Monthly"}
FREQUENCY_PERIODS = {
    WEEKLY: Period(1, "weeks"), FORTNIGHTLY: Period(2, "weeks"), FOUR_WEEKLY: Period(4, "weeks"),
    MONTHLY: Period(1, "months"),
}

# What a session covers ("Supervision encompasses wellbeing, health & safety, professional
# development and standards, and casework supervision.")
AGENDA_AREAS = {
    "wellbeing": "Wellbeing",
    "health_safety": "Health and safety",
    "development": "Professional development and training",
    "casework": "Casework",
    "standards": "Standards",
}

# Who owns an action agreed in supervision
ACTION_OWNERS = {"supervisee": "Supervisee", "supervisor": "Supervisor", "other": "Someone else"}

# The cadence
NQSW_WEEKLY_FOR = Period(6, "weeks")          # newly qualified: weekly for the first 6 weeks
ASYE_FORTNIGHTLY_UNTIL = Period(6, "months")  # on the ASYE: at least fortnightly to 6 months, monthly after
AT_LEAST_EVERY = Period(1, "months")          # everyone else: a minimum of monthly
DUE_SOON_DAYS = 7                             # "due soon" this many days before the due date

# The agreement: "a signed supervision agreement in place, reviewed annually"
REVIEW_EVERY = Period(12, "months")
REVIEW_NOTICE = timedelta(weeks=4)            # shown as due for review this long before the review date

# "Formal observation of practice ... recorded in supervision at least once a year"
OBSERVATION_EVERY = Period(12, "months")

# "Properly and promptly recorded": a record made more than this many working days after the
# session is late (the standards ask for casework to reach the child's file within one working day).
RECORD_WITHIN_WORKING_DAYS = 1

# Session lengths, in minutes
SHORTEST_SESSION = 15
LONGEST_SESSION = 8 * 60


# ---------------------------------------------------------------------------------------------
# Cadence
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cadence:
    """How often supervision must happen at a point in time, and why."""

    every: Period
    reason: str


WEEKLY_AS_NQSW = Cadence(Period(1, "weeks"), "weekly for the first 6 weeks as a newly qualified social worker")
FORTNIGHTLY_AS_NQSW = Cadence(Period(2, "weeks"), "at least fortnightly as a newly qualified social worker")
FORTNIGHTLY_ON_ASYE = Cadence(Period(2, "weeks"), "at least fortnightly for the first 6 months of the ASYE")
MONTHLY_ON_ASYE = Cadence(Period(1, "months"), "at least monthly after the first 6 months of the ASYE")
AT_LEAST_MONTHLY = Cadence(AT_LEAST_EVERY, "at least monthly")


def required_cadence(on_day: date, *, newly_qualified: bool, on_asye: bool, qualified_on: date | None) -> Cadence:
    """The practice standards' cadence on a given day. `qualified_on` is when the person started
    practising as a newly qualified social worker (the start of their ASYE)."""
    if not (newly_qualified or on_asye):
        return AT_LEAST_MONTHLY
    if qualified_on is None or on_day < NQSW_WEEKLY_FOR.after(qualified_on):
        return WEEKLY_AS_NQSW
    if on_asye:
        if on_day < ASYE_FORTNIGHTLY_UNTIL.after(qualified_on):
            return FORTNIGHTLY_ON_ASYE
        return MONTHLY_ON_ASYE
    return FORTNIGHTLY_AS_NQSW


@dataclass(frozen=True)
class Due:
    """When the next supervision is due and how it stands today."""

    next_due: date
    overdue_days: int          # 0 unless overdue
    days_left: int             # days until due (negative once overdue)
    interval: str              # "at least monthly", "fortnightly, as agreed"

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0

    @property
    def state(self) -> str:
        if self.overdue:
            return "overdue"
        return "due_soon" if self.days_left <= DUE_SOON_DAYS else "on_track"

    @property
    def overdue_by(self) -> str:
        return describe_days(self.overdue_days) if self.overdue else ""


def supervision_due(*, today: date, starts_on: date, last_held_on: date | None, frequency: str | None,
                    newly_qualified: bool = False, on_asye: bool = False, qualified_on: date | None = None) -> Due:
    """The next supervision is due one interval after the last one held (or after the agreement
    started, if none has been held yet). The interval is the practice standards' cadence at that
    point, or the agreement's own frequency when that is shorter."""
    anchor = last_held_on if last_held_on is not None and last_held_on >= starts_on else starts_on
    cadence = required_cadence(anchor, newly_qualified=newly_qualified, on_asye=on_asye, qualified_on=qualified_on)
    due, interval = cadence.every.after(anchor), cadence.reason
    agreed = FREQUENCY_PERIODS.get(frequency or "")
    if agreed is not None and agreed.after(anchor) < due:
        due, interval = agreed.after(anchor), f"{FREQUENCIES[frequency].lower()}, as agreed"
    days_left = (due - today).days
    return Due(next_due=due, overdue_days=max(-days_left, 0), days_left=days_left, interval=interval)


def describe_days(days: int) -> str:
    """9 days, 3 weeks, 2 months: how long something is overdue, roughly, in words."""
    if days < 14:
        amount, unit = days, "day"
    elif days < 61:
        amount, unit = days // 7, "week"
    else:
        amount, unit = days // 30, "month"
    return f"{amount} {unit}{'' if amount == 1 else 's'}"


# ---------------------------------------------------------------------------------------------
# The agreement: signatures and annual review
# ---------------------------------------------------------------------------------------------

AWAITING_BOTH = "awaiting_both"
AWAITING_SUPERVISEE = "awaiting_supervisee"
AWAITING_SUPERVISOR = "awaiting_supervisor"
IN_FORCE = "in_force"
ENDED = "ended"
AGREEMENT_STATES = {
    AWAITING_BOTH: "Not signed yet",
    AWAITING_SUPERVISEE: "Awaiting the supervisee's signature",
    AWAITING_SUPERVISOR: "Awaiting the supervisor's signature",
    IN_FORCE: "In force",
    ENDED: "Ended",
}


def agreement_state(*, supervisor_signed: bool, supervisee_signed: bool, ended: bool) -> str:
    """An agreement is in force only once both parties have signed it."""
    if ended:
        return ENDED
    if supervisor_signed and supervisee_signed:
        return IN_FORCE
    if supervisor_signed:
        return AWAITING_SUPERVISEE
    if supervisee_signed:
        return AWAITING_SUPERVISOR
    return AWAITING_BOTH


def default_review_date(starts_on: date) -> date:
    return REVIEW_EVERY.after(starts_on)


REVIEW_NOT_DUE = "not_due"
REVIEW_DUE = "due"
REVIEW_OVERDUE = "overdue"


def review_state(review_due_on: date, today: date) -> str:
    """Due for review from 4 weeks before the review date; overdue after it."""
    if today > review_due_on:
        return REVIEW_OVERDUE
    if today >= review_due_on - REVIEW_NOTICE:
        return REVIEW_DUE
    return REVIEW_NOT_DUE


def agreement_problem(*, starts_on: date | None, review_due_on: date | None) -> tuple[str, str] | None:
    """(field, sentence) when the agreement's dates do not make sense."""
    if starts_on is None:
        return "starts_on", "Enter the date the agreement starts"
    if review_due_on is not None and review_due_on <= starts_on:
        return "review_due_on", "The review date must be after the start date"
    if review_due_on is not None and review_due_on > REVIEW_EVERY.after(starts_on):
        return "review_due_on", "The agreement must be reviewed within 12 months of its start"
    return None


# ---------------------------------------------------------------------------------------------
# Recording
# ---------------------------------------------------------------------------------------------

def recording_deadline(held_on: date) -> date:
    """The last day a session can be recorded on time."""
    return add_working_days(held_on, RECORD_WITHIN_WORKING_DAYS)


def recorded_late(held_on: date, recorded_on: date) -> bool:
    """A record made more than one working day after the session (weekends and England bank
    holidays do not count) is late."""
    return working_days_between(held_on, recorded_on) > RECORD_WITHIN_WORKING_DAYS


def record_problem(*, held_on: date | None, today: date, duration_minutes: int | None, agenda: list[str],
                   discussion: str) -> tuple[str, str] | None:
    """(field, sentence) for the first thing wrong with a session record; None when it can be saved."""
    if held_on is None:
        return "held_on", "Enter the date the supervision was held"
    if held_on > today:
        return "held_on", "The date the supervision was held must be today or in the past"
    problem = duration_problem(duration_minutes, "duration_minutes")
    if problem:
        return problem
    if not agenda:
        return "agenda", "Select at least one area the supervision covered"
    unknown = [area for area in agenda if area not in AGENDA_AREAS]
    if unknown:
        return "agenda", "Select the areas from the list"
    if not discussion.strip():
        return "discussion", "Enter what was discussed"
    return None


def duration_problem(minutes: int | None, field: str) -> tuple[str, str] | None:
    if minutes is None:
        return field, "Enter how long the supervision lasts, in minutes"
    if not SHORTEST_SESSION <= minutes <= LONGEST_SESSION:
        return field, (f"The length must be between {SHORTEST_SESSION} minutes and "
                       f"{LONGEST_SESSION // 60} hours ({LONGEST_SESSION} minutes)")
    return None


# ---------------------------------------------------------------------------------------------
# Observation of practice
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ObservationDue:
    due_on: date
    overdue: bool
    last_observed_on: date | None


def observation_due(*, starts_on: date, last_observed_on: date | None, today: date) -> ObservationDue:
    """A formal observation of practice at least once a year: 12 months after the last one, or after
    the agreement started if there has been none."""
    anchor = last_observed_on if last_observed_on is not None and last_observed_on >= starts_on else starts_on
    due = OBSERVATION_EVERY.after(anchor)
    return ObservationDue(due_on=due, overdue=today > due, last_observed_on=last_observed_on)
