"""Pure rules of the ASYE: the programme's length and review dates (pro rata for part-time work and
extended by long absences), review statuses, the minimum evidence and KSS coverage (protected
development time and the supervision cadence are in support_rules). No database, no Flask, no
clock: `today` is passed in.

The facts (checked against the public ASYE guidance for child and family social work): 12 months,
reviews at 3 and 6 months, an optional 9-month review and a final review followed by moderation;
at least 3 direct observations, 3 pieces of feedback from children, young people or families,
3 from other professionals, critical reflections at 6 and 12 months, a KSS self-assessment at the
start, midway and near the end; 10% protected development time (half a day a week); supervision
weekly for the first 6 weeks, at least fortnightly to 6 months, monthly after.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from lnd.core.dates import add_months

PROGRAMME_MONTHS = 12
DUE_SOON_DAYS = 14                 # a review within this many days is "due soon"
LONG_ABSENCE_MIN_DAYS = 28         # absences shorter than 4 weeks do not extend the programme
MIN_FTE = Decimal("0.10")
MAX_FTE = Decimal("1.00")
AVERAGE_MONTH_DAYS = 365.25 / 12

FULL_TIME = "full_time"
PART_TIME = "part_time"
WORKING_PATTERNS = {FULL_TIME: "Full-time", PART_TIME: "Part-time"}

# ---------------------------------------------------------------------------------------------
# Reviews
# ---------------------------------------------------------------------------------------------

THREE_MONTH = "three_month"
SIX_MONTH = "six_month"
NINE_MONTH = "nine_month"
FINAL = "final"
REVIEW_KINDS = {THREE_MONTH: "3-month review", SIX_MONTH: "6-month review", NINE_MONTH: "9-month review",
                FINAL: "Final review"}
# Months into a full-time programme at which each interim review falls (the final is at the end).
REVIEW_MONTHS = {THREE_MONTH: 3, SIX_MONTH: 6, NINE_MONTH: 9}
OPTIONAL_REVIEWS = frozenset({NINE_MONTH})

# The assessor's view of progress at an interim review, and recommendation at the final review.
ON_TRACK = "on_track"
NOT_ON_TRACK = "not_on_track"
PROGRESS = {ON_TRACK: "On track to complete", NOT_ON_TRACK: "Not on track: an action plan is needed"}
PASS = "pass"
FAIL = "fail"
EXTENSION = "extension"
RECOMMENDATIONS = {PASS: "Pass", FAIL: "Fail", EXTENSION: "Extension"}
MODERATION_OUTCOMES = {PASS: "Pass confirmed", FAIL: "Fail confirmed", EXTENSION: "Extension agreed"}

# Who writes which part of a review.
NQSW_PART = "nqsw"
ASSESSOR_PART = "assessor"
MANAGER_PART = "manager"
REVIEW_PARTS = {NQSW_PART: "The NQSW’s comments", ASSESSOR_PART: "The assessor’s comments and judgement",
                MANAGER_PART: "The line manager’s comments"}

# ---------------------------------------------------------------------------------------------
# Portfolio entries and the minimum evidence
# ---------------------------------------------------------------------------------------------

REFLECTIVE_LOG = "reflective_log"
OBSERVATION = "observation"
FAMILY_FEEDBACK = "family_feedback"
PROFESSIONAL_FEEDBACK = "professional_feedback"
CRITICAL_REFLECTION = "critical_reflection"
SELF_ASSESSMENT = "self_assessment"
ENTRY_KINDS = {
    REFLECTIVE_LOG: "Reflective log",
    OBSERVATION: "Direct observation of practice",
    FAMILY_FEEDBACK: "Feedback from a child, young person or family",
    PROFESSIONAL_FEEDBACK: "Feedback from another professional",
    CRITICAL_REFLECTION: "Critical reflection",
    SELF_ASSESSMENT: "KSS self-assessment",
}
# Stages of the entries there is exactly one of at each point of the year.
CRITICAL_REFLECTION_STAGES = {"six_month": "At 6 months", "twelve_month": "At 12 months"}
SELF_ASSESSMENT_STAGES = {"start": "At the start", "midway": "Midway", "end": "Near the end"}
STAGES = {CRITICAL_REFLECTION: CRITICAL_REFLECTION_STAGES, SELF_ASSESSMENT: SELF_ASSESSMENT_STAGES}

MIN_OBSERVATIONS = 3
MIN_FAMILY_FEEDBACK = 3
MIN_PROFESSIONAL_FEEDBACK = 3


@dataclass(frozen=True)
class Absence:
    starts_on: date
    ends_on: date

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1


def fte_fraction(fte) -> Fraction:
    """0.8 (Decimal, str or float) as an exact fraction, 4/5."""
    return Fraction(str(fte))


def add_fractional_months(start: date, months: Fraction) -> date:
    """`months` after `start`: whole months by the calendar (clamped to a month's last day), then the
    fraction of the next month, in days, rounded up so that nobody's programme ends early."""
    whole = math.floor(months)
    landed = add_months(start, whole)
    fraction = months - whole
    if not fraction:
        return landed
    next_month = add_months(start, whole + 1)
    return landed + timedelta(days=math.ceil(fraction * (next_month - landed).days))


def long_absences(absences: list[Absence], enrolment_start: date) -> list[Absence]:
    """Absences that extend the programme: clipped to the programme, overlapping or adjoining ones
    merged, and only those of at least LONG_ABSENCE_MIN_DAYS kept."""
    spans = sorted((max(a.starts_on, enrolment_start), a.ends_on) for a in absences
                   if a.ends_on >= enrolment_start and a.ends_on >= a.starts_on)
    merged: list[list[date]] = []
    for starts_on, ends_on in spans:
        if merged and starts_on <= merged[-1][1] + timedelta(days=1):
            merged[-1][1] = max(merged[-1][1], ends_on)
        else:
            merged.append([starts_on, ends_on])
    return [Absence(s, e) for s, e in merged if (e - s).days + 1 >= LONG_ABSENCE_MIN_DAYS]


def programme_date(start: date, months: int, fte, absences: list[Absence] = ()) -> date:
    """The date `months` into the programme: pro rata for part-time work (0.8 FTE: 12 months take
    15), then pushed back by every long absence that began on or before the date reached."""
    reached = add_fractional_months(start, Fraction(months) / fte_fraction(fte))
    for absence in long_absences(list(absences), start):
        if absence.starts_on <= reached:
            reached += timedelta(days=absence.days)
    return reached


def expected_end_date(start: date, fte, absences: list[Absence] = (), extended_to: date | None = None) -> date:
    """12 months on, pro rata for part-time work, extended by long absences, or later if the
    moderation panel agreed an extension."""
    end = programme_date(start, PROGRAMME_MONTHS, fte, absences)
    return max(end, extended_to) if extended_to else end


def review_due_dates(start: date, fte, absences: list[Absence] = (), extended_to: date | None = None) -> dict[str, date]:
    due = {kind: programme_date(start, months, fte, absences) for kind, months in REVIEW_MONTHS.items()}
    due[FINAL] = expected_end_date(start, fte, absences, extended_to)
    return due


@dataclass(frozen=True)
class ReviewStatus:
    code: str
    label: str
    tag_class: str

    @property
    def needs_attention(self) -> bool:
        return self.code in ("due_soon", "overdue")


DONE = ReviewStatus("done", "Signed", "govuk-tag--green")
OVERDUE = ReviewStatus("overdue", "Overdue", "govuk-tag--red")
DUE_SOON = ReviewStatus("due_soon", "Due soon", "govuk-tag--yellow")
DUE = ReviewStatus("due", "Due", "govuk-tag--grey")
OPTIONAL_NOT_HELD = ReviewStatus("optional", "Optional: not held", "govuk-tag--grey")


def review_status(due_on: date, signed: bool, today: date, *, optional: bool = False) -> ReviewStatus:
    """Signed; overdue once the due date has passed; due soon within DUE_SOON_DAYS; otherwise due.
    An optional review that was not held is never overdue."""
    if signed:
        return DONE
    if today > due_on:
        return OPTIONAL_NOT_HELD if optional else OVERDUE
    if (due_on - today).days <= DUE_SOON_DAYS:
        return DUE_SOON
    return DUE


def review_refusal_to_sign(kind: str, *, held_on: date | None, assessor_comments: str, judgement: str | None,
                           today: date, earlier_unsigned: list[str], evidence_missing: list[str]) -> str | None:
    """Why the assessor cannot sign a review yet, as a sentence; None when it can be signed."""
    if held_on is None:
        return "Enter the date the review was held before signing it"
    if held_on > today:
        return "The review cannot be signed before the date it was held"
    if not assessor_comments.strip():
        return "Enter the assessor’s comments before signing the review"
    if not judgement:
        return ("Select the assessor’s recommendation before signing the final review" if kind == FINAL
                else "Select whether the NQSW is on track before signing the review")
    if kind == FINAL:
        if earlier_unsigned:
            return "Sign the " + " and the ".join(earlier_unsigned) + " before the final review"
        if judgement == PASS and evidence_missing:
            return ("The portfolio does not yet have the minimum evidence for a pass: "
                    + "; ".join(evidence_missing))
    return None


# ---------------------------------------------------------------------------------------------
# Evidence, coverage, progress
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChecklistItem:
    label: str
    have: int
    need: int
    detail: str = ""

    @property
    def met(self) -> bool:
        return self.have >= self.need

    @property
    def missing_text(self) -> str:
        return f"{self.label.lower()}: {self.have} of {self.need}"


def evidence_checklist(counts: dict[str, int], stages: dict[str, set[str]]) -> list[ChecklistItem]:
    """The minimum evidence with counts. `counts` is entries per kind; `stages` the stages present
    per kind (critical reflections, self-assessments)."""
    reflections = stages.get(CRITICAL_REFLECTION, set())
    assessments = stages.get(SELF_ASSESSMENT, set())

    def which(kind_stages: dict[str, str], present: set[str]) -> str:
        missing = [label.lower() for code, label in kind_stages.items() if code not in present]
        return "Still needed: " + ", ".join(missing) if missing else "All recorded"

    return [
        ChecklistItem("Direct observations of practice", counts.get(OBSERVATION, 0), MIN_OBSERVATIONS),
        ChecklistItem("Feedback from children, young people and families", counts.get(FAMILY_FEEDBACK, 0),
                      MIN_FAMILY_FEEDBACK),
        ChecklistItem("Feedback from other professionals", counts.get(PROFESSIONAL_FEEDBACK, 0),
                      MIN_PROFESSIONAL_FEEDBACK),
        ChecklistItem("Critical reflections at 6 and 12 months",
                      len(reflections & set(CRITICAL_REFLECTION_STAGES)), len(CRITICAL_REFLECTION_STAGES),
                      which(CRITICAL_REFLECTION_STAGES, reflections)),
        ChecklistItem("KSS self-assessments at the start, midway and near the end",
                      len(assessments & set(SELF_ASSESSMENT_STAGES)), len(SELF_ASSESSMENT_STAGES),
                      which(SELF_ASSESSMENT_STAGES, assessments)),
    ]


def evidence_missing(checklist: list[ChecklistItem]) -> list[str]:
    return [item.missing_text for item in checklist if not item.met]


@dataclass(frozen=True)
class CoverageRow:
    number: int
    short_name: str
    title: str
    entries: int
    modules: int

    @property
    def gap(self) -> bool:
        """No portfolio evidence yet: attending the module alone is not evidence of practice."""
        return self.entries == 0


def coverage(standards: list[tuple[int, str, str]], entries_per_standard: dict[int, int],
             modules_per_standard: dict[int, int]) -> list[CoverageRow]:
    """Each statement (number, short name, title) with its tagged entries and attended modules."""
    return [CoverageRow(number, short, title, entries_per_standard.get(number, 0), modules_per_standard.get(number, 0))
            for number, short, title in sorted(standards)]


@dataclass(frozen=True)
class Progress:
    percent: int
    month: int           # the month of the programme the NQSW is in (1-based), 0 before the start
    months: int          # months in the programme, rounded up

    @property
    def text(self) -> str:
        if self.month == 0:
            return "Not started"
        if self.percent >= 100:
            return "Programme period ended"
        return f"Month {self.month} of {self.months}"


def programme_progress(start: date, end: date, today: date) -> Progress:
    total_days = max((end - start).days, 1)
    elapsed = (today - start).days
    months = max(1, round(total_days / AVERAGE_MONTH_DAYS))
    if elapsed < 0:
        return Progress(0, 0, months)
    percent = min(100, elapsed * 100 // total_days)
    month = min(months, elapsed * months // total_days + 1)
    return Progress(percent, month, months)


def read_only(final_signed: bool) -> bool:
    """Once the final review is signed the portfolio goes to moderation as it stands."""
    return final_signed


# ---------------------------------------------------------------------------------------------
# Enrolment checks, absences
# ---------------------------------------------------------------------------------------------

def working_pattern_refusal(pattern: str, fte: Decimal | None) -> str | None:
    if pattern not in WORKING_PATTERNS:
        return "Select the working pattern"
    if pattern == FULL_TIME:
        return None
    if fte is None:
        return "Enter the full-time equivalent (FTE), for example 0.8"
    if not MIN_FTE <= fte < MAX_FTE:
        return "The full-time equivalent of part-time work must be between 0.1 and 0.99"
    return None


def fte_for(pattern: str, fte: Decimal | None) -> Decimal:
    return MAX_FTE if pattern == FULL_TIME else Decimal(fte).quantize(Decimal("0.01"))


def framework_refusal(valid_from: date | None, valid_until: date | None, start: date, title: str) -> str | None:
    """A framework version applies to programmes starting while it is in force."""
    if valid_from is not None and start < valid_from:
        return f"{title} apply to programmes starting on or after {long_date(valid_from)}: choose another version"
    if valid_until is not None and start > valid_until:
        return f"{title} apply until {long_date(valid_until)}: choose the version in force on the start date"
    return None


def absence_refusal(starts_on: date, ends_on: date, enrolment_start: date) -> str | None:
    if ends_on < starts_on:
        return "The last day of the absence must be the same as or after the first day"
    if ends_on < enrolment_start:
        return "The absence ended before the ASYE started, so it does not extend the programme"
    if (ends_on - max(starts_on, enrolment_start)).days + 1 < LONG_ABSENCE_MIN_DAYS:
        return (f"Only absences of {LONG_ABSENCE_MIN_DAYS // 7} weeks or more extend the ASYE; "
                "record shorter absences in supervision instead")
    return None


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"
