"""The OD team records that a person need not complete a required course (for example because of
prior learning), and can remove that again. Both are audited; the caller commits."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from lnd.compliance import queries
from lnd.compliance.models import Exemption
from lnd.core import audit
from lnd.courses.models import Course
from lnd.extensions import db
from lnd.people.models import OD_ADMIN, Person

REASON_MAX = 1000


class ExemptionError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def required_courses(person: Person, today: date) -> list[Course]:
    """The courses required of the person, in window order: the ones an exemption can be recorded for."""
    return [item.course for window in queries.required_learning(person, today) for item in window.items]


def _check_actor(actor: Person) -> None:
    if not actor.has_role(OD_ADMIN):
        raise ExemptionError("Only the OD team can record or remove exemptions.")


def record_exemption(person: Person, course: Course | None, reason: str, actor: Person, today: date) -> Exemption:
    _check_actor(actor)
    reason = (reason or "").strip()
    if course is None:
        raise ExemptionError("Choose the course they need not complete", "course")
    if course.id not in {c.id for c in required_courses(person, today)}:
        raise ExemptionError(f"{course.title} is not required of {person.name}", "course")
    if not reason:
        raise ExemptionError("Enter the reason, for example the prior learning it rests on", "reason")
    if len(reason) > REASON_MAX:
        raise ExemptionError(f"The reason must be {REASON_MAX:,} characters or fewer", "reason")
    existing = db.session.scalar(select(Exemption).where(Exemption.person_id == person.id,
                                                         Exemption.course_id == course.id))
    if existing is not None:
        raise ExemptionError(f"{person.name} is already exempt from {course.title}", "course")
    exemption = Exemption(person_id=person.id, course_id=course.id, reason=reason, recorded_by_id=actor.id)
    db.session.add(exemption)
    db.session.flush()
    audit.record("exemption_recorded", "exemption", exemption.id, actor=actor,
                 summary=f"{person.name} exempted from {course.title}: {reason}",
                 after={"person_id": person.id, "course_id": course.id, "reason": reason})
    return exemption


def remove_exemption(exemption: Exemption, actor: Person) -> None:
    _check_actor(actor)
    person = db.session.get(Person, exemption.person_id)
    audit.record("exemption_removed", "exemption", exemption.id, actor=actor,
                 summary=f"Exemption of {person.name if person else 'a person'} from {exemption.course.title} removed",
                 before={"person_id": exemption.person_id, "course_id": exemption.course_id,
                         "reason": exemption.reason})
    db.session.delete(exemption)
    db.session.flush()
