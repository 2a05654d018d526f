"""Portfolio entries and their files: the NQSW's reflective logs, feedback, critical reflections and
self-assessments, and the assessor's direct observations, each tagged to at least one standard of
the enrolment's framework.

As in services: the acting person is passed in, every change is audited, the caller commits, and
nothing changes once the final review is signed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from lnd.asye import queries
from lnd.asye.entry_kinds import ASSESSOR, KINDS, NQSW, EntryKind, default_title, lower_first
from lnd.asye.models import AsyeAttachment, AsyeEnrolment, AsyeEntry
from lnd.asye.services import TEXT_MAX, AsyeError, require_open
from lnd.core import audit, uploads
from lnd.courses.models import FrameworkStandard
from lnd.extensions import db
from lnd.people.models import Person

TITLE_MAX = 200
MAX_ATTACHMENTS = 10  # per entry


@dataclass
class EntryDetails:
    title: str = ""
    occurred_on: date | None = None
    stage: str = ""
    source: str = ""
    context: str = ""
    body: str = ""
    development: str = ""
    standard_ids: list[int] = field(default_factory=list)


MISSING = {
    "title": "Enter a title",
    "source": "Enter who gave the feedback",
    "context": "Enter the context of the observation",
    "body": {"observation": "Enter what went well", "family_feedback": "Enter the feedback",
             "professional_feedback": "Enter the feedback", "critical_reflection": "Enter your critical reflection",
             "self_assessment": "Enter your self-assessment", "reflective_log": "Enter your reflection"},
    "development": {"observation": "Enter the development points",
                    "family_feedback": "Enter your reflection on the feedback",
                    "professional_feedback": "Enter your reflection on the feedback"},
}


def may_record(kind: EntryKind, actor: Person, enrolment: AsyeEnrolment) -> bool:
    """Direct observations are the assessor's; the rest of the portfolio is the NQSW's own."""
    standing = queries.relation(actor, enrolment)
    return (kind.recorded_by == ASSESSOR and queries.AS_ASSESSOR in standing) or (
        kind.recorded_by == NQSW and queries.AS_NQSW in standing)


def may_change(entry: AsyeEntry, actor: Person) -> bool:
    return actor is not None and entry.author_id == actor.id and may_record(KINDS[entry.kind], actor, entry.enrolment)


def _values(kind: EntryKind, enrolment: AsyeEnrolment, details: EntryDetails, today: date,
            entry: AsyeEntry | None = None) -> dict:
    values: dict = {}
    if kind.has_stage:
        if details.stage not in kind.stages:
            raise AsyeError(f"Select when in the year this {lower_first(kind.label)} is", "stage")
        taken = db.session.scalar(select(AsyeEntry.id).where(
            AsyeEntry.enrolment_id == enrolment.id, AsyeEntry.kind == kind.code, AsyeEntry.stage == details.stage,
            AsyeEntry.id != (entry.id if entry else -1)))
        if taken is not None:
            raise AsyeError(f"The portfolio already has a {lower_first(default_title(kind, details.stage))}: "
                            "change that one instead", "stage")
        values["stage"] = details.stage
        values["title"] = default_title(kind, details.stage)
    for question in kind.questions:
        if question.name in ("stage", "occurred_on"):
            continue
        text = (getattr(details, question.name) or "").strip()
        limit = TITLE_MAX if question.name == "title" else TEXT_MAX
        missing = MISSING.get(question.name, "Enter an answer")
        missing = missing.get(kind.code, "Enter an answer") if isinstance(missing, dict) else missing
        if question.required and not text:
            raise AsyeError(missing, question.name)
        if len(text) > limit:
            raise AsyeError(f"{question.label.replace(' (optional)', '')} must be {limit:,} characters or fewer",
                            question.name)
        values[question.name] = text
    if details.occurred_on is None:
        raise AsyeError(f"Enter the {lower_first(kind.question('occurred_on').label)}", "occurred_on")
    if details.occurred_on > today:
        raise AsyeError("The date must be today or in the past", "occurred_on")
    values["occurred_on"] = details.occurred_on
    values["standards"] = _standards(enrolment, details.standard_ids)
    return values


def _standards(enrolment: AsyeEnrolment, standard_ids: list[int]) -> list[FrameworkStandard]:
    wanted = set(standard_ids or [])
    if not wanted:
        raise AsyeError("Select at least one standard this evidence shows", "standard_ids")
    standards = list(db.session.scalars(select(FrameworkStandard).where(
        FrameworkStandard.id.in_(wanted), FrameworkStandard.framework_id == enrolment.framework_id)
        .order_by(FrameworkStandard.number)))
    if len(standards) != len(wanted):
        raise AsyeError("Select standards from the list", "standard_ids")
    return standards


def snapshot(entry: AsyeEntry) -> dict:
    return {"kind": entry.kind, "stage": entry.stage, "title": entry.title, "occurred_on": entry.occurred_on,
            "source": entry.source, "context": entry.context, "body": entry.body, "development": entry.development,
            "standards": [s.short_name for s in entry.standards]}


def details_of(entry: AsyeEntry) -> EntryDetails:
    return EntryDetails(title=entry.title, occurred_on=entry.occurred_on, stage=entry.stage or "",
                        source=entry.source, context=entry.context, body=entry.body, development=entry.development,
                        standard_ids=[s.id for s in entry.standards])


def create_entry(enrolment: AsyeEnrolment, kind: EntryKind, details: EntryDetails, actor: Person,
                 today: date) -> AsyeEntry:
    if not may_record(kind, actor, enrolment):
        raise AsyeError("Only the assessor records direct observations" if kind.recorded_by == ASSESSOR
                        else "Only the NQSW adds this kind of evidence to their portfolio")
    require_open(enrolment)
    entry = AsyeEntry(enrolment=enrolment, kind=kind.code, author_id=actor.id,
                      **_values(kind, enrolment, details, today))
    db.session.add(entry)
    db.session.flush()
    audit.record("asye_entry_added", "asye_entry", entry.id, actor=actor,
                 summary=f"{kind.label} added to the ASYE portfolio of {enrolment.nqsw.name}: {entry.title}",
                 after=snapshot(entry))
    return entry


def update_entry(entry: AsyeEntry, details: EntryDetails, actor: Person, today: date) -> bool:
    if not may_change(entry, actor):
        raise AsyeError("Only the person who recorded this evidence can change it")
    require_open(entry.enrolment)
    before = snapshot(entry)
    for key, value in _values(KINDS[entry.kind], entry.enrolment, details, today, entry).items():
        setattr(entry, key, value)
    db.session.flush()
    changed_before, changed_after = audit.changes(before, snapshot(entry))
    if changed_after:
        audit.record("asye_entry_changed", "asye_entry", entry.id, actor=actor,
                     summary=f"{entry.kind_label} changed: {entry.title}", before=changed_before, after=changed_after)
    return bool(changed_after)


def delete_entry(entry: AsyeEntry, actor: Person) -> list[str]:
    """Delete an entry with its files' rows; returns the stored files to remove after the commit."""
    if not may_change(entry, actor):
        raise AsyeError("Only the person who recorded this evidence can delete it")
    require_open(entry.enrolment)
    stored = [a.stored_name for a in entry.attachments]
    audit.record("asye_entry_deleted", "asye_entry", entry.id, actor=actor,
                 summary=f"{entry.kind_label} deleted from the ASYE portfolio of {entry.enrolment.nqsw.name}: "
                         f"{entry.title}",
                 before=snapshot(entry) | {"attachments": [a.original_name for a in entry.attachments]})
    db.session.delete(entry)
    db.session.flush()
    return stored


def add_attachment(entry: AsyeEntry, file_storage, actor: Person) -> AsyeAttachment:
    """Keep a file with an entry; lnd.core.uploads checks its type by content and its size."""
    if not may_change(entry, actor):
        raise AsyeError("Only the person who recorded this evidence can add files to it")
    require_open(entry.enrolment)
    if len(entry.attachments) >= MAX_ATTACHMENTS:
        raise AsyeError(f"An entry can have up to {MAX_ATTACHMENTS} files; remove one first", "file")
    try:
        columns = uploads.save_columns(file_storage, actor.id)
    except uploads.UploadError as error:
        raise AsyeError(error.message, "file") from None
    attachment = AsyeAttachment(entry=entry, **columns)
    db.session.add(attachment)
    db.session.flush()
    audit.record("asye_attachment_added", "asye_entry", entry.id, actor=actor,
                 summary=f"File added to ‘{entry.title}’: {attachment.original_name}",
                 after=uploads.added_details(attachment))
    return attachment


def remove_attachment(attachment: AsyeAttachment, actor: Person) -> str:
    """Remove a file's row; returns the stored file to remove after the commit."""
    entry = attachment.entry
    if not may_change(entry, actor):
        raise AsyeError("Only the person who recorded this evidence can remove its files")
    require_open(entry.enrolment)
    audit.record("asye_attachment_removed", "asye_entry", entry.id, actor=actor,
                 summary=f"File removed from ‘{entry.title}’: {attachment.original_name}",
                 before={"attachment_id": attachment.id, "name": attachment.original_name})
    entry.attachments.remove(attachment)
    db.session.flush()
    return attachment.stored_name
