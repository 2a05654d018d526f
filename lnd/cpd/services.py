"""Use cases for CPD: keep records and their evidence, and remind people who are not ready for renewal.

Each function takes the acting person (and `today`) explicitly, writes an audit row where something
changes, flushes and leaves the commit to the caller. Refusals raise CpdError with a sentence a
person can read and, where it belongs to one field of the form, that field's name.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask import current_app
from sqlalchemy import and_, exists, or_, select

from lnd.core import audit, mail, uploads
from lnd.courses.models import Completion
from lnd.cpd import queries, rules
from lnd.cpd.models import ACTIVITY_TYPES, PEER_NAME_MAX, PEER_ROLES, TITLE_MAX, CpdAttachment, CpdRecord, CpdReminder
from lnd.extensions import db
from lnd.people.models import Person

TEXT_MAX = 10_000     # per answer; the Social Work England form's answers are shorter than this
MAX_ATTACHMENTS = 10  # per record


class CpdError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class CpdDetails:
    """What a person writes for one piece of CPD."""

    activity_type: str = ""
    title: str = ""
    activity_date: date | None = None
    description: str = ""
    learning: str = ""
    impact: str = ""
    hours: Decimal | None = None
    peer_name: str = ""
    peer_role: str = ""
    peer_discussed_on: date | None = None
    peer_learning: str = ""


def _text(value: str | None, field: str, missing: str, limit: int = TEXT_MAX) -> str:
    text = (value or "").strip()
    if not text:
        raise CpdError(missing, field)
    if len(text) > limit:
        raise CpdError(f"{missing.replace('Enter ', '').capitalize()} must be {limit:,} characters or fewer", field)
    return text


def _values(details: CpdDetails, today: date) -> dict:
    """Check the details and return the column values; the first problem raises CpdError."""
    if details.activity_type not in ACTIVITY_TYPES:
        raise CpdError("Select the type of CPD activity", "activity_type")
    values = {
        "activity_type": details.activity_type,
        "title": _text(details.title, "title", "Enter a title for the CPD", TITLE_MAX),
    }
    if details.activity_date is None:
        raise CpdError("Enter the date of the CPD activity", "activity_date")
    if details.activity_date > today:
        raise CpdError("The date of the CPD activity must be today or in the past", "activity_date")
    values["activity_date"] = details.activity_date
    values["description"] = _text(details.description, "description",
                                  "Enter a description of the activity and why it is relevant to you")
    values["learning"] = _text(details.learning, "learning", "Enter what you learnt from the activity")
    values["impact"] = _text(details.impact, "impact",
                             "Enter the impact on your practice and on the people you work with")
    if details.hours is not None and not (Decimal("0") < details.hours <= Decimal("999")):
        raise CpdError("Hours must be more than 0 and no more than 999", "hours")
    values["hours"] = details.hours
    values.update(_peer_values(details, today))
    return values


def _peer_values(details: CpdDetails, today: date) -> dict:
    """A peer reflection is optional, but once started it needs who, their role and what was learnt."""
    name = (details.peer_name or "").strip()
    role = details.peer_role or ""
    learning = (details.peer_learning or "").strip()
    if not (name or role or learning or details.peer_discussed_on):
        return {"peer_name": None, "peer_role": None, "peer_discussed_on": None, "peer_learning": None}
    if not name:
        raise CpdError("Enter the name of the peer you discussed the CPD with", "peer_name")
    if len(name) > PEER_NAME_MAX:
        raise CpdError(f"The peer’s name must be {PEER_NAME_MAX} characters or fewer", "peer_name")
    if role not in PEER_ROLES:
        raise CpdError("Select who the peer is", "peer_role")
    if details.peer_discussed_on is not None and details.peer_discussed_on > today:
        raise CpdError("The date of the discussion must be today or in the past", "peer_discussed_on")
    learning = _text(learning, "peer_learning", "Enter what you learnt from discussing the CPD with your peer")
    return {"peer_name": name, "peer_role": role, "peer_discussed_on": details.peer_discussed_on,
            "peer_learning": learning}


def snapshot(record: CpdRecord) -> dict:
    return {"activity_type": record.activity_type, "title": record.title, "activity_date": record.activity_date,
            "description": record.description, "learning": record.learning, "impact": record.impact,
            "hours": str(record.hours) if record.hours is not None else None, "peer_name": record.peer_name,
            "peer_role": record.peer_role, "peer_discussed_on": record.peer_discussed_on,
            "peer_learning": record.peer_learning, "completion_id": record.completion_id}


def details_of(record: CpdRecord) -> CpdDetails:
    return CpdDetails(
        activity_type=record.activity_type, title=record.title, activity_date=record.activity_date,
        description=record.description, learning=record.learning, impact=record.impact, hours=record.hours,
        peer_name=record.peer_name or "", peer_role=record.peer_role or "",
        peer_discussed_on=record.peer_discussed_on, peer_learning=record.peer_learning or "")


def _require_owner(record: CpdRecord, actor: Person) -> None:
    if actor is None or record.person_id != actor.id:
        raise CpdError("Only the person a CPD record belongs to can change it")


# ---------------------------------------------------------------------------------------------
# Records
# ---------------------------------------------------------------------------------------------

def details_from_completion(completion: Completion) -> CpdDetails:
    """A new record prefilled from a completed course: its title, date, hours and summary.
    The person writes what they learnt and the impact."""
    course = completion.course
    methods = {m.code for m in course.delivery_methods}
    if "seminar" in methods or not methods:
        activity_type = "course"
    elif "e_learning" in methods:
        activity_type = "e_learning"
    else:
        activity_type = "reading"
    summary = (course.summary or "").strip()
    provider = f" ({course.provider})" if course.provider else ""
    description = f"{course.title}{provider}, from the {course.section.title}." + (f" {summary}" if summary else "")
    return CpdDetails(activity_type=activity_type, title=course.title, activity_date=completion.completed_on,
                      description=description, hours=queries.hours_for_completion(completion))


def create_record(owner: Person, details: CpdDetails, actor: Person, today: date,
                  completion: Completion | None = None) -> CpdRecord:
    if actor is None or actor.id != owner.id:
        raise CpdError("You can only record CPD for yourself")
    if completion is not None:
        if completion.person_id != owner.id:
            raise CpdError("That completion is not yours")
        if queries.record_for_completion(completion.id) is not None:
            raise CpdError("You have already recorded this course as CPD")
    record = CpdRecord(person_id=owner.id, completion_id=completion.id if completion else None,
                       **_values(details, today))
    db.session.add(record)
    db.session.flush()
    audit.record("cpd_recorded", "cpd_record", record.id, actor=actor,
                 summary=f"CPD recorded: {record.title}", after=snapshot(record))
    return record


def update_record(record: CpdRecord, details: CpdDetails, actor: Person, today: date) -> bool:
    _require_owner(record, actor)
    before = snapshot(record)
    for key, value in _values(details, today).items():
        setattr(record, key, value)
    db.session.flush()
    changed_before, changed_after = audit.changes(before, snapshot(record))
    if changed_after:
        audit.record("cpd_updated", "cpd_record", record.id, actor=actor, summary=f"CPD updated: {record.title}",
                     before=changed_before, after=changed_after)
    return bool(changed_after)


def delete_record(record: CpdRecord, actor: Person) -> list[str]:
    """Delete a record and its attachments' rows; returns the stored files to remove after the commit."""
    _require_owner(record, actor)
    stored = [a.stored_name for a in record.attachments]
    audit.record("cpd_deleted", "cpd_record", record.id, actor=actor, summary=f"CPD deleted: {record.title}",
                 before=snapshot(record) | {"attachments": [a.original_name for a in record.attachments]})
    db.session.delete(record)
    db.session.flush()
    return stored


# ---------------------------------------------------------------------------------------------
# Attachments
# ---------------------------------------------------------------------------------------------

def add_attachment(record: CpdRecord, file_storage, actor: Person) -> CpdAttachment:
    """Keep an uploaded file as evidence (checked by content and size in lnd.core.uploads)."""
    _require_owner(record, actor)
    if len(record.attachments) >= MAX_ATTACHMENTS:
        raise CpdError(f"A CPD record can have up to {MAX_ATTACHMENTS} files; remove one first", "file")
    try:
        uploads.check_name_matches_content(file_storage)  # evidence opened by a manager must be what it claims
        columns = uploads.save_columns(file_storage, actor.id)
    except uploads.UploadError as error:
        raise CpdError(error.message, "file") from None
    attachment = CpdAttachment(record=record, **columns)
    db.session.add(attachment)
    db.session.flush()
    audit.record("cpd_attachment_added", "cpd_record", record.id, actor=actor,
                 summary=f"Evidence added to CPD ‘{record.title}’: {attachment.original_name}",
                 after=uploads.added_details(attachment))
    return attachment


def remove_attachment(attachment: CpdAttachment, actor: Person) -> str:
    """Remove an attachment's row; returns the stored file to remove after the commit."""
    record = attachment.record
    _require_owner(record, actor)
    audit.record("cpd_attachment_removed", "cpd_record", record.id, actor=actor,
                 summary=f"Evidence removed from CPD ‘{record.title}’: {attachment.original_name}",
                 before={"attachment_id": attachment.id, "name": attachment.original_name})
    record.attachments.remove(attachment)
    db.session.flush()
    return attachment.stored_name


# ---------------------------------------------------------------------------------------------
# Reminders
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Reminder:
    person: Person
    readiness: rules.Readiness


def readiness_reminders(today: date) -> list[Reminder]:
    """Who to remind today: registered social workers in post who are not ready for renewal, once
    renewal has opened, and not already reminded today. Empty before 1 September."""
    year = rules.registration_year(today)
    if not year.renewal_open_on(today):
        return []
    reminded_today = exists().where(and_(CpdReminder.person_id == Person.id, CpdReminder.sent_on == today))
    people = select(Person).where(
        Person.swe_registration_number.is_not(None), Person.swe_registration_number != "",
        or_(Person.leaving_date.is_(None), Person.leaving_date >= today),
        ~reminded_today,
    ).order_by(Person.last_name, Person.first_name, Person.id)
    counts = queries.year_counts(select(Person.id).where(Person.swe_registration_number.is_not(None)), year)
    due = []
    for person in db.session.scalars(people):
        records, peers = counts.get(person.id, (0, 0))
        state = rules.readiness_from_counts(records, peers, today)
        if rules.should_remind(state):
            due.append(Reminder(person, state))
    return due


def reminder_text(reminder: Reminder) -> tuple[str, str]:
    state = reminder.readiness
    person = reminder.person
    service = current_app.config["SERVICE_NAME"]
    subject = f"Your CPD for Social Work England renewal: {state.deadline_text}"
    body = (
        f"Dear {person.first_name},\n\n"
        f"Social Work England renewal is open until {rules.long_date(state.year.ends_on)}. "
        f"To renew you need at least {rules.MINIMUM_RECORDS} pieces of CPD recorded in the registration year "
        f"{state.year.label}, at least {rules.MINIMUM_PEER_REFLECTIONS} of them with a peer reflection.\n\n"
        f"You have {state.summary}. You still need {state.still_needed}.\n\n"
        f"Courses you have completed can be turned into CPD records: sign in to {service}, "
        "choose My CPD, or choose ‘Record as CPD’ beside a completed course on your home page. "
        "My CPD also lays your records out field by field to copy into your Social Work England online account.\n\n"
        "The Centre for Practice Excellence\n"
    )
    return subject, body


def send_reminder(reminder: Reminder, today: date) -> CpdReminder:
    """Claim today's reminder for the person (the unique row stops a second one), then send it.
    The caller commits after a successful send and rolls back if mail.MailError is raised."""
    state = reminder.readiness
    row = CpdReminder(person_id=reminder.person.id, sent_on=today, year_ending=state.year.ending_year,
                      records=state.records, peer_reflections=state.peer_reflections)
    db.session.add(row)
    db.session.flush()
    subject, body = reminder_text(reminder)
    mail.send(reminder.person.email, subject, body)
    audit.record("cpd_reminder_sent", "person", reminder.person.id, summary=f"CPD readiness reminder to "
                 f"{reminder.person.email}", after={"year_ending": state.year.ending_year,
                                                     "records": state.records,
                                                     "peer_reflections": state.peer_reflections})
    return row

