"""Learning without sessions (e-learning, video, information pages): the person records it as done,
optionally with a certificate, and the OD team can verify the record. The caller commits."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from lnd.bookings.models import CompletionCertificate
from lnd.bookings.services import BookingError
from lnd.core import audit, uploads
from lnd.courses.models import Completion, Course
from lnd.courses.queries import is_live
from lnd.extensions import db
from lnd.people.models import Person

SELF_RECORDED = "self_recorded"


def can_self_record(course: Course) -> bool:
    """Courses without dated sessions, available in the offer."""
    return (course.is_bookable and is_live(course) and bool(course.delivery_methods)
            and not any(method.has_sessions for method in course.delivery_methods))


def record_done(course: Course, person: Person, completed_on: date | None, today: date, *,
                certificate=None, note: str = "") -> Completion:
    if not can_self_record(course):
        raise BookingError("This course cannot be recorded as done here. Book a place on a session instead."
                           if any(m.has_sessions for m in course.delivery_methods)
                           else "This course is not available to record.")
    if completed_on is None:
        raise BookingError("Enter the date you completed it", "completed_on")
    if completed_on > today:
        raise BookingError("The date you completed it must be today or in the past", "completed_on")
    duplicate = db.session.scalar(select(Completion.id).where(
        Completion.person_id == person.id, Completion.course_id == course.id, Completion.completed_on == completed_on))
    if duplicate is not None:
        raise BookingError("You have already recorded this course as done on that date", "completed_on")
    stored = None
    if certificate is not None and getattr(certificate, "filename", ""):
        try:
            stored = uploads.save(certificate)
        except uploads.UploadError as error:
            raise BookingError(error.message, "certificate") from None
    completion = Completion(person_id=person.id, course_id=course.id, completed_on=completed_on,
                            source=SELF_RECORDED, recorded_by_id=person.id, note=note.strip())
    db.session.add(completion)
    db.session.flush()
    if stored is not None:
        db.session.add(CompletionCertificate(
            completion_id=completion.id, stored_name=stored.stored_name, original_name=stored.original_name,
            content_type=stored.content_type, size=stored.size, uploaded_by_id=person.id))
        db.session.flush()
    audit.record("completion_recorded", "completion", completion.id, actor=person,
                 summary=f"{person.name} recorded {course.title} as done",
                 after={"completed_on": completed_on, "source": SELF_RECORDED, "certificate": stored is not None})
    return completion


def verify(completion: Completion, actor: Person, now: datetime) -> None:
    if completion.source != SELF_RECORDED:
        raise BookingError("Only records made by the learner need verifying.")
    if completion.verified_at is not None:
        raise BookingError("This record has already been verified.")
    completion.verified_at, completion.verified_by_id = now, actor.id
    db.session.flush()
    audit.record("completion_verified", "completion", completion.id, actor=actor,
                 summary=f"Record of {completion.course.title} verified",
                 before={"verified": False}, after={"verified": True})
