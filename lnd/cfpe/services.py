"""Use cases of the Centre for Practice Excellence commitments. Each takes the acting person, writes
an audit row, flushes, and leaves the commit to the caller."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from lnd.cfpe import rules
from lnd.cfpe.models import CareerConsultation, NewStarterContact
from lnd.core import audit
from lnd.extensions import db
from lnd.people.models import OD_ADMIN, Person

TOPIC_MAX = 2000
NOTE_MAX = 2000
DETAIL_MAX = 200


class CfpeError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class AlreadyRecorded(CfpeError):
    """Someone else has already done this (e.g. recorded the contact a moment ago)."""


def _od_only(actor: Person) -> None:
    if not actor.has_role(OD_ADMIN):
        raise CfpeError("Only the OD team can do this.")


def contact_recorded(person_id: int) -> bool:
    return db.session.scalar(select(NewStarterContact.id).where(NewStarterContact.person_id == person_id)) is not None


def already_contacted(person: Person) -> str:
    return f"Contact with {person.name} has already been recorded."


def record_contact(person: Person, actor: Person, contacted_on: date | None, note: str,
                   today: date) -> NewStarterContact:
    """The Centre made contact with a new starter (once per person: a second is refused here, or, when
    two are recorded at the same moment, by the unique person_id when the second is flushed)."""
    _od_only(actor)
    if contact_recorded(person.id):
        raise AlreadyRecorded(already_contacted(person))
    if contacted_on is None:
        raise CfpeError("Enter the date of the contact", "contacted_on")
    problem = rules.contact_date_problem(contacted_on, today)
    if problem:
        raise CfpeError(problem, "contacted_on")
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise CfpeError(f"The note must be {NOTE_MAX:,} characters or fewer", "note")
    contact = NewStarterContact(person_id=person.id, contacted_on=contacted_on, contacted_by_id=actor.id, note=note)
    db.session.add(contact)
    db.session.flush()
    audit.record("new_starter_contacted", "person", person.id, actor=actor,
                 summary=f"Centre for Practice Excellence contacted {person.name}",
                 after={"contacted_on": contacted_on, "note": note})
    return contact


def request_consultation(person: Person, topic: str, contact_preference: str, contact_detail: str,
                         now: datetime) -> CareerConsultation:
    topic, contact_detail = (topic or "").strip(), (contact_detail or "").strip()
    if not topic:
        raise CfpeError("Enter what you would like to talk about", "topic")
    if len(topic) > TOPIC_MAX:
        raise CfpeError(f"What you would like to talk about must be {TOPIC_MAX:,} characters or fewer", "topic")
    if contact_preference not in rules.CONTACT_PREFERENCES:
        raise CfpeError("Select how you would like us to contact you", "contact_preference")
    if contact_preference == "phone" and not contact_detail:
        raise CfpeError("Enter the phone number to call you on", "contact_detail")
    if len(contact_detail) > DETAIL_MAX:
        raise CfpeError(f"Contact details must be {DETAIL_MAX} characters or fewer", "contact_detail")
    consultation = CareerConsultation(person_id=person.id, topic=topic, contact_preference=contact_preference,
                                      contact_detail=contact_detail, status=rules.REQUESTED, requested_at=now)
    db.session.add(consultation)
    db.session.flush()
    audit.record("career_consultation_requested", "career_consultation", consultation.id, actor=person,
                 summary=f"{person.name} asked for a career consultation",
                 after={"status": rules.REQUESTED, "contact_preference": contact_preference})
    return consultation


def update_consultation(consultation: CareerConsultation, actor: Person, status: str, note: str,
                        now: datetime) -> CareerConsultation:
    """The OD team marks a consultation arranged or completed, with a note the requester sees."""
    _od_only(actor)
    problem = rules.status_change_problem(consultation.status, status)
    if problem:
        raise CfpeError(problem, "status")
    note = (note or "").strip()
    if not note:
        raise CfpeError("Enter a note, for example when and how the consultation will happen", "note")
    if len(note) > NOTE_MAX:
        raise CfpeError(f"The note must be {NOTE_MAX:,} characters or fewer", "note")
    before = {"status": consultation.status, "od_note": consultation.od_note}
    consultation.status, consultation.od_note = status, note
    consultation.updated_at, consultation.updated_by_id = now, actor.id
    db.session.flush()
    audit.record(f"career_consultation_{status}", "career_consultation", consultation.id, actor=actor,
                 summary=f"Career consultation for {consultation.person.name}: {rules.CONSULTATION_STATUSES[status]}",
                 before=before, after={"status": status, "od_note": note})
    return consultation
