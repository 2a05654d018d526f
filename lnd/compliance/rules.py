"""Pure rules for required learning: who a requirement applies to, when it is due, and where a
person stands on it. No database, no clock: `today` is passed in."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lnd.core.dates import Period

DUE_SOON_DAYS = 14  # "due soon" from two weeks before the due date

COMPLETED = "completed"
BOOKED = "booked"
DUE = "due"
DUE_SOON = "due_soon"
OVERDUE = "overdue"
EXPIRED = "expired"
EXEMPT = "exempt"
NOT_APPLICABLE = "not_applicable"

# Order in which statuses are listed: the most pressing first.
SEVERITY = {OVERDUE: 0, EXPIRED: 1, DUE_SOON: 2, BOOKED: 3, DUE: 4, COMPLETED: 5, EXEMPT: 6, NOT_APPLICABLE: 7}
LABELS = {OVERDUE: "Overdue", EXPIRED: "Expired", DUE_SOON: "Due soon", BOOKED: "Booked", DUE: "Due",
          COMPLETED: "Completed", EXEMPT: "Exempt", NOT_APPLICABLE: "Not applicable"}
TAG_CLASSES = {OVERDUE: "govuk-tag--red", EXPIRED: "govuk-tag--red", DUE_SOON: "govuk-tag--orange",
               BOOKED: "govuk-tag--turquoise", DUE: "govuk-tag--blue", COMPLETED: "govuk-tag--green",
               EXEMPT: "govuk-tag--purple", NOT_APPLICABLE: "govuk-tag--grey"}

# Who a requirement applies to.
CHILDRENS_CARE_STAFF = "childrens_care"
SOCIAL_WORKERS = "social_workers"
MANAGERS = "managers"
JOB_ROLES = "job_roles"
TEAMS = "teams"
EXTERNAL_LEARNERS = "external_learners"
AUDIENCES = {
    CHILDRENS_CARE_STAFF: "Everyone in Children's Care",
    SOCIAL_WORKERS: "Social workers",
    MANAGERS: "Managers",
    JOB_ROLES: "People in the named job roles",
    TEAMS: "People in the named teams",
    EXTERNAL_LEARNERS: "External learners",
}
# For these audiences the requirement follows the job: a person who moves into it is counted from the move.
ROLE_BASED = frozenset({SOCIAL_WORKERS, MANAGERS, JOB_ROLES})


@dataclass(frozen=True)
class Status:
    kind: str
    due_on: date | None = None
    completed_on: date | None = None
    days: int | None = None  # days overdue (overdue, expired, booked late) or days left (due, due soon)
    booked_on: date | None = None
    expires_on: date | None = None
    reason: str = ""  # why a person is exempt

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def tag_class(self) -> str:
        return TAG_CLASSES[self.kind]

    @property
    def is_overdue(self) -> bool:
        if self.kind in (OVERDUE, EXPIRED):
            return True
        return self.kind == BOOKED and self.days is not None and self.days > 0

    @property
    def is_met(self) -> bool:
        return self.kind in (COMPLETED, EXEMPT)

    @property
    def detail(self) -> str:
        if self.kind == COMPLETED:
            done = f"Completed on {long_date(self.completed_on)}"
            return f"{done}; renew by {long_date(self.expires_on)}" if self.expires_on else done
        if self.kind == EXEMPT:
            return f"Exempt: {self.reason}" if self.reason else "Exempt"
        if self.kind == BOOKED:
            booked = f"Booked on a session on {long_date(self.booked_on)}"
            if self.is_overdue:
                return f"{booked}; was due by {long_date(self.due_on)} ({how_long(self.days)} overdue)"
            return f"{booked}; due by {long_date(self.due_on)}"
        if self.kind == EXPIRED:
            return f"Was due to be renewed by {long_date(self.due_on)} ({how_long(self.days)} overdue); " \
                   f"last completed on {long_date(self.completed_on)}"
        if self.kind == OVERDUE:
            return f"Was due by {long_date(self.due_on)} ({how_long(self.days)} overdue)"
        if self.kind == DUE_SOON and self.completed_on:
            return f"Renew by {long_date(self.due_on)}; last completed on {long_date(self.completed_on)}"
        if self.kind in (DUE, DUE_SOON):
            return f"Due by {long_date(self.due_on)}"
        return "Not required after leaving"


def long_date(day: date | None) -> str:
    return f"{day.day} {day:%B %Y}" if day else ""


def how_long(count: int | None) -> str:
    """'3 days', '1 week', '5 weeks': a number of days as people say it."""
    if count is None:
        return ""
    if count >= 14:
        weeks = count // 7
        return f"{weeks} weeks" if weeks != 1 else "1 week"
    return f"{count} day" if count == 1 else f"{count} days"


@dataclass(frozen=True)
class Audience:
    """Who a requirement applies to, as data (see seed/requirements.yaml)."""

    kind: str
    job_role_ids: frozenset[int] = frozenset()
    team_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class PersonFacts:
    """What the rules need to know about a person."""

    in_childrens_care: bool
    start_date: date | None
    leaving_date: date | None = None
    job_role_id: int | None = None
    job_role_since: date | None = None
    team_id: int | None = None
    is_social_worker: bool = False
    is_manager: bool = False


def applies_to(audience: Audience, person: PersonFacts) -> bool:
    """Does a requirement apply to the person at all (whatever the date)?"""
    if person.start_date is None:
        return False
    if audience.kind == EXTERNAL_LEARNERS:
        return not person.in_childrens_care
    if not person.in_childrens_care:
        return False
    if audience.kind == CHILDRENS_CARE_STAFF:
        return True
    if audience.kind == SOCIAL_WORKERS:
        return person.is_social_worker
    if audience.kind == MANAGERS:
        return person.is_manager
    if audience.kind == JOB_ROLES:
        return person.job_role_id in audience.job_role_ids
    if audience.kind == TEAMS:
        return person.team_id in audience.team_ids
    raise ValueError(f"Unknown audience: {audience.kind}")


def counted_from(person: PersonFacts, audience_kind: str, rule_starts_on: date | None = None) -> date:
    """The day the clock starts: the person's start date, or later when the rule began after they
    were in post, or (for role-based rules) when they moved into the job."""
    begin = person.start_date
    if rule_starts_on and rule_starts_on > begin:
        begin = rule_starts_on
    if audience_kind in ROLE_BASED and person.job_role_since and person.job_role_since > begin:
        begin = person.job_role_since
    return begin


def window_due_date(start: date, window: Period, counted_from: date | None = None) -> date:
    """The date a window closes. Counting starts at the later of the person's start date and
    `counted_from` (when a rule began after the person was already in post)."""
    begin = max(start, counted_from) if counted_from else start
    return window.after(begin)


def requirement_status(due_on: date, completed_on: date | None, today: date, leaving_date: date | None = None,
                       due_soon_days: int = DUE_SOON_DAYS, *, renewal: Period | None = None,
                       booked_on: date | None = None, exempt_reason: str | None = None) -> Status:
    """Where a person stands on one required course.

    `completed_on` is their latest completion; with a `renewal` period it lapses that long after.
    `booked_on` is the start of the next session they hold a place on (today or later).
    `exempt_reason` is set when the OD team has recorded an exemption.
    """
    if exempt_reason is not None:
        return Status(EXEMPT, due_on=due_on, reason=exempt_reason)
    if completed_on is not None:
        if renewal is None:
            return Status(COMPLETED, due_on=due_on, completed_on=completed_on)
        expires_on = renewal.after(completed_on)
        left = (expires_on - today).days
        if left > due_soon_days or (leaving_date is not None and leaving_date < today):
            return Status(COMPLETED, due_on=due_on, completed_on=completed_on, expires_on=expires_on)
        # Like a first due date, the renewal date is the last day to renew on: it lapses the day after.
        if booked_on is not None:
            return Status(BOOKED, due_on=expires_on, completed_on=completed_on, booked_on=booked_on,
                          days=-left if left < 0 else None)
        if left >= 0:
            return Status(DUE_SOON, due_on=expires_on, completed_on=completed_on, days=left)
        return Status(EXPIRED, due_on=expires_on, completed_on=completed_on, days=-left)
    if leaving_date is not None and leaving_date < today:
        return Status(NOT_APPLICABLE, due_on=due_on)
    remaining = (due_on - today).days
    if booked_on is not None:
        return Status(BOOKED, due_on=due_on, booked_on=booked_on, days=-remaining if remaining < 0 else None)
    if remaining < 0:
        return Status(OVERDUE, due_on=due_on, days=-remaining)
    if remaining <= due_soon_days:
        return Status(DUE_SOON, due_on=due_on, days=remaining)
    return Status(DUE, due_on=due_on, days=remaining)


def progress(statuses: list[Status]) -> tuple[int, int]:
    """(met, applicable) for a progress bar: completed or exempt, out of everything that applies."""
    applicable = [s for s in statuses if s.kind != NOT_APPLICABLE]
    return sum(1 for s in applicable if s.is_met), len(applicable)
