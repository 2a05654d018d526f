"""Recording an appraisal: the conversation, the developmental courses agreed (which become
pre-approved booking requests) and a snapshot of the mandatory-training position at that moment.
Takes the acting person explicitly, flushes, and leaves the commit to the caller."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from lnd.bookings import preapproval
from lnd.bookings.services import BookingError
from lnd.compliance import appraisal_queries as queries
from lnd.compliance import appraisal_rules as rules
from lnd.compliance import queries as compliance_queries
from lnd.compliance.appraisal_models import Appraisal
from lnd.core import audit
from lnd.courses.models import Course
from lnd.extensions import db
from lnd.people.models import Person

TEXT_MAX = 10_000
SNAPSHOT_VERSION = 1


class AppraisalError(Exception):
    """A refusal a person can read, optionally tied to a form field."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class AppraisalDetails:
    held_on: date | None
    achievements: str
    development_needs: str
    goals: str
    course_ids: list[int] = field(default_factory=list)


REQUIRED_TEXT = {
    "achievements": "Enter their achievements in the past 12 months",
    "development_needs": "Enter their development needs",
    "goals": "Enter their goals for the coming year",
}


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def training_snapshot(person: Person, today: date) -> dict:
    """The person's required learning as it stands today, as plain JSON to keep."""
    windows = []
    for window in compliance_queries.required_learning(person, today):
        group = getattr(window, "group", None)
        items = []
        for item in window.items:
            requirement = getattr(item, "requirement", None)
            status = item.status
            items.append({
                "course": item.course.title, "course_slug": item.course.slug,
                "requirement": getattr(requirement, "title", None),
                "kind": status.kind, "label": status.label, "detail": status.detail,
                "due_on": _iso(status.due_on), "completed_on": _iso(status.completed_on),
            })
        windows.append({
            "key": getattr(window, "key", None) or getattr(group, "slug", ""),
            "title": getattr(window, "title", None) or getattr(group, "title", ""),
            "due_on": _iso(window.due_on), "completed": window.completed, "total": window.total,
            "items": items,
        })
    return {"version": SNAPSHOT_VERSION, "taken_on": today.isoformat(), "windows": windows}


def _courses(course_ids: list[int]) -> list[Course]:
    wanted = list(dict.fromkeys(course_ids))
    if not wanted:
        return []
    allowed = {c.id: c for c in queries.developmental_courses()}
    if any(course_id not in allowed for course_id in wanted):
        raise AppraisalError("Choose courses from the Developmental Offer list", "course_ids")
    return [allowed[course_id] for course_id in wanted]


def record_appraisal(person: Person, details: AppraisalDetails, appraiser: Person, today: date,
                     now: datetime) -> Appraisal:
    if not queries.can_record_for(appraiser, person):
        raise AppraisalError(f"Only {person.name}’s line manager, or a manager above them, can record their appraisal.")
    if details.held_on is None:
        raise AppraisalError("Enter the date of the appraisal", "held_on")
    problem = rules.held_on_problem(details.held_on, today, person.start_date)
    if problem:
        raise AppraisalError(problem, "held_on")
    texts = {}
    for name, message in REQUIRED_TEXT.items():
        value = (getattr(details, name) or "").strip()
        if not value:
            raise AppraisalError(message, name)
        if len(value) > TEXT_MAX:
            raise AppraisalError(f"This must be {TEXT_MAX:,} characters or fewer", name)
        texts[name] = value
    courses = _courses(details.course_ids)
    appraisal = Appraisal(person_id=person.id, appraiser_id=appraiser.id, held_on=details.held_on,
                          training_snapshot=training_snapshot(person, today), snapshot_on=today,
                          courses=courses, created_at=now, **texts)
    db.session.add(appraisal)
    db.session.flush()
    for course in courses:
        try:
            preapproval.grant(person, course, appraiser, details.held_on, now, source="appraisal",
                              appraisal_id=appraisal.id)
        except BookingError as error:
            raise AppraisalError(error.message, "course_ids") from None
    audit.record("appraisal_recorded", "appraisal", appraisal.id, actor=appraiser,
                 summary=f"Appraisal of {person.name} held on {details.held_on.isoformat()}",
                 after={"person_id": person.id, "held_on": details.held_on,
                        "courses": [c.slug for c in courses]})
    return appraisal

