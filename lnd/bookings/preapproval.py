"""Courses agreed in advance with a person's manager (at appraisal, for example): granting them, and
what the person and their appraisal see. Booking such a course needs no further approval
(services.book_place); a request already waiting for the manager is approved when it is agreed."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from lnd.bookings import rules, services
from lnd.bookings.models import PREAPPROVAL_SOURCES, Booking, CourseSession, PreApproval
from lnd.core import audit
from lnd.courses.models import Course
from lnd.courses.queries import is_live
from lnd.extensions import db
from lnd.people.models import Person


def grant(person: Person, course: Course, agreed_by: Person, agreed_on: date, now: datetime, *,
          source: str = "appraisal", appraisal_id: int | None = None) -> PreApproval:
    """Agree a course for the person. An agreement still unused for the same course is kept rather
    than doubled; a request already awaiting the manager's approval is booked at once."""
    if source not in PREAPPROVAL_SOURCES:
        raise ValueError(f"Unknown pre-approval source {source!r}.")
    if not services.may_decide(agreed_by, person):
        raise services.BookingError(f"You cannot agree courses for {person.name}.")
    if not (course.is_bookable and is_live(course)):
        raise services.BookingError(f"{course.title} is not available to book, so it cannot be agreed.")
    agreed = services.available_preapproval(person.id, course.id, rules.london_date(now))
    if agreed is not None:
        return agreed
    agreed = PreApproval(person_id=person.id, course_id=course.id, agreed_by_id=agreed_by.id, agreed_on=agreed_on,
                         source=source, appraisal_id=appraisal_id, created_at=now)
    db.session.add(agreed)
    db.session.flush()
    audit.record("preapproval_granted", "pre_approval", agreed.id, actor=agreed_by,
                 summary=f"{person.name}: {course.title} agreed {PREAPPROVAL_SOURCES[source]}",
                 after={"person_id": person.id, "course_id": course.id, "agreed_on": agreed_on,
                        "source": source, "appraisal_id": appraisal_id})
    waiting = db.session.scalar(
        select(Booking).join(CourseSession, Booking.session_id == CourseSession.id)
        .where(Booking.person_id == person.id, CourseSession.course_id == course.id,
               Booking.state == rules.AWAITING_APPROVAL, CourseSession.starts_at > now)
        .order_by(CourseSession.starts_at, Booking.id).limit(1))
    if waiting is not None:
        services.book_as_agreed(waiting, agreed, agreed_by, now)
    return agreed


def available_for_person(person_id: int, today: date) -> list[PreApproval]:
    """The person's agreed courses not yet taken up and still good today, oldest agreement first (one
    statement, plus the course's lists)."""
    return list(db.session.scalars(
        select(PreApproval).where(PreApproval.person_id == person_id, services.preapproval_usable(today))
        .order_by(PreApproval.agreed_on, PreApproval.id)))


def for_appraisal(appraisal_id: int) -> list[PreApproval]:
    return list(db.session.scalars(
        select(PreApproval).where(PreApproval.appraisal_id == appraisal_id).order_by(PreApproval.id)))
