"""Social Work England registration years and CPD readiness. Pure: `today` is always passed in.

The registration year runs 1 December to 30 November; renewal opens on 1 September and closes at the
end of 30 November. Each year a registered social worker records at least two different pieces of
CPD, at least one of them with a peer reflection.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

YEAR_STARTS = (12, 1)        # (month, day) the registration year begins
YEAR_ENDS = (11, 30)         # (month, day) the registration year ends: the renewal deadline
RENEWAL_OPENS = (9, 1)       # (month, day) renewal opens in the final months of the year
MINIMUM_RECORDS = 2
MINIMUM_PEER_REFLECTIONS = 1

READY = "ready"
NOT_READY = "not_ready"              # renewal is open and the requirement is not met
IN_PROGRESS = "in_progress"          # before renewal opens, the requirement not yet met
LABELS = {READY: "Ready for renewal", NOT_READY: "Not ready for renewal", IN_PROGRESS: "Not ready yet"}
TAG_CLASSES = {READY: "govuk-tag--green", NOT_READY: "govuk-tag--red", IN_PROGRESS: "govuk-tag--blue"}


@dataclass(frozen=True)
class RegistrationYear:
    """One Social Work England registration year, named by the year it ends in."""

    starts_on: date
    ends_on: date

    @property
    def ending_year(self) -> int:
        return self.ends_on.year

    @property
    def renewal_opens_on(self) -> date:
        return date(self.ends_on.year, *RENEWAL_OPENS)

    @property
    def label(self) -> str:
        """'1 December 2025 to 30 November 2026'."""
        return f"{long_date(self.starts_on)} to {long_date(self.ends_on)}"

    def contains(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def renewal_open_on(self, day: date) -> bool:
        return self.renewal_opens_on <= day <= self.ends_on


def registration_year_ending(year: int) -> RegistrationYear:
    """The registration year that ends on 30 November `year`."""
    return RegistrationYear(starts_on=date(year - 1, *YEAR_STARTS), ends_on=date(year, *YEAR_ENDS))


def registration_year(day: date) -> RegistrationYear:
    """The registration year a day falls in: 1 December belongs to the year ending the next November."""
    return registration_year_ending(day.year + 1 if (day.month, day.day) >= YEAR_STARTS else day.year)


@dataclass(frozen=True)
class Readiness:
    """Where one person stands for the registration year that contains `today`."""

    year: RegistrationYear
    records: int
    peer_reflections: int
    today: date

    @property
    def records_needed(self) -> int:
        return max(0, MINIMUM_RECORDS - self.records)

    @property
    def peer_reflections_needed(self) -> int:
        return max(0, MINIMUM_PEER_REFLECTIONS - self.peer_reflections)

    @property
    def ready(self) -> bool:
        return self.records_needed == 0 and self.peer_reflections_needed == 0

    @property
    def days_left(self) -> int:
        """Days until 30 November (0 on the day itself, the last day to renew)."""
        return (self.year.ends_on - self.today).days

    @property
    def renewal_open(self) -> bool:
        return self.year.renewal_open_on(self.today)

    @property
    def kind(self) -> str:
        if self.ready:
            return READY
        return NOT_READY if self.renewal_open else IN_PROGRESS

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def tag_class(self) -> str:
        return TAG_CLASSES[self.kind]

    @property
    def still_needed(self) -> str:
        """What is missing, as a sentence fragment: '1 more piece of CPD and a peer reflection'."""
        parts = []
        if self.records_needed:
            parts.append(f"{self.records_needed} more piece{'' if self.records_needed == 1 else 's'} of CPD")
        if self.peer_reflections_needed:
            parts.append("a peer reflection on at least one piece")
        return " and ".join(parts)

    @property
    def deadline_text(self) -> str:
        if self.days_left == 0:
            return f"Today, {long_date(self.year.ends_on)}, is the last day to renew"
        return f"{_days(self.days_left)} until {long_date(self.year.ends_on)}"

    @property
    def summary(self) -> str:
        records = f"{self.records} piece{'' if self.records == 1 else 's'} of CPD"
        if self.peer_reflections == 0:
            peers = "none with a peer reflection"
        elif self.peer_reflections == 1:
            peers = "1 with a peer reflection"
        else:
            peers = f"{self.peer_reflections} with a peer reflection"
        return f"{records} recorded, {peers}"


def readiness(records: list[tuple[date, bool]], today: date) -> Readiness:
    """Readiness from each record's (date, has a peer reflection), counting the records in the
    registration year that contains `today`."""
    year = registration_year(today)
    in_year = [has_peer for day, has_peer in records if year.contains(day)]
    return Readiness(year=year, records=len(in_year), peer_reflections=sum(1 for p in in_year if p), today=today)


def readiness_from_counts(records: int, peer_reflections: int, today: date) -> Readiness:
    """The same, when the counts for the current year were made by a query."""
    return Readiness(year=registration_year(today), records=records, peer_reflections=peer_reflections, today=today)


def should_remind(state: Readiness) -> bool:
    """Reminders go out once renewal has opened, to anyone not yet ready."""
    return state.renewal_open and not state.ready


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"
