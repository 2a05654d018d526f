"""ASYE use cases: enrolment, long absences, reviews with their sign-off, moderation, and booking the
cohort onto module sessions. (Portfolio entries and their files are in entry_services.)

Each function takes the acting person explicitly, checks they may act, writes an audit row for
every change that matters, flushes and leaves the commit to the caller. Refusals raise AsyeError
with a sentence a person can read and, where it belongs to one field, that field's name. Once the
final review is signed, nothing in the portfolio changes except the moderation panel's outcome.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal

from lnd.asye import cohort_queries, queries, rules
from lnd.asye.models import AsyeAbsence, AsyeEnrolment, AsyeReview
from lnd.bookings import rules as booking_rules
from lnd.bookings import services as booking_services
from lnd.bookings.models import Booking, CourseSession
from lnd.core import audit, clock
from lnd.courses.models import Framework
from lnd.extensions import db
from lnd.people.models import OD_ADMIN, Person

TEXT_MAX = 10_000
REASON_MAX = 200


class AsyeError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def _text(value: str | None, limit: int, what: str, field_name: str) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        raise AsyeError(f"{what} must be {limit:,} characters or fewer", field_name)
    return text


def signed_day(signed_at: datetime) -> date:
    """The day (in London) a review was signed; SQLite gives the stored UTC moment back without its zone."""
    if signed_at.tzinfo is None:
        signed_at = signed_at.replace(tzinfo=timezone.utc)
    return signed_at.astimezone(clock.LONDON).date()


def require_open(enrolment: AsyeEnrolment) -> None:
    """Refuse any change to a portfolio whose final review is signed."""
    signed_at = queries.final_signed_at(enrolment.id)
    if rules.read_only(signed_at is not None):
        raise AsyeError(f"The final review was signed on {rules.long_date(signed_day(signed_at))}, so this "
                        "portfolio can no longer be changed.")


def _require_lead(actor: Person, what: str) -> None:
    if actor is None or not actor.has_role(OD_ADMIN):
        raise AsyeError(f"Only the ASYE lead or the OD team can {what}")


# ---------------------------------------------------------------------------------------------
# Enrolment
# ---------------------------------------------------------------------------------------------

@dataclass
class EnrolmentDetails:
    nqsw: Person | None = None
    start_date: date | None = None
    assessor: Person | None = None
    line_manager: Person | None = None
    framework: Framework | None = None
    working_pattern: str = ""
    fte: Decimal | None = None


def snapshot(enrolment: AsyeEnrolment) -> dict:
    return {"nqsw_id": enrolment.nqsw_id, "start_date": enrolment.start_date, "assessor_id": enrolment.assessor_id,
            "line_manager_id": enrolment.line_manager_id, "framework_id": enrolment.framework_id,
            "working_pattern": enrolment.working_pattern, "fte": str(enrolment.fte),
            "extended_to": enrolment.extended_to}


def _checked(details: EnrolmentDetails, today: date, enrolment: AsyeEnrolment | None = None) -> dict:
    nqsw = details.nqsw
    if nqsw is None:
        raise AsyeError("Enter the email address of a member of staff", "nqsw_email")
    if nqsw.is_leaver_on(today):
        raise AsyeError(f"{nqsw.name} has left, so cannot be enrolled", "nqsw_email")
    if not nqsw.swe_registration_number:
        raise AsyeError(f"{nqsw.name} has no Social Work England registration number on their staff record: "
                        "an NQSW must be registered before the ASYE starts", "nqsw_email")
    existing = queries.enrolment_of(nqsw.id)
    if existing is not None and (enrolment is None or existing.id != enrolment.id):
        raise AsyeError(f"{nqsw.name} is already enrolled on the ASYE", "nqsw_email")
    if details.start_date is None:
        raise AsyeError("Enter the date the ASYE starts", "start_date")
    assessor = details.assessor
    if assessor is None:
        raise AsyeError("Select the assessor", "assessor_id")
    if not assessor.swe_registration_number:
        raise AsyeError(f"{assessor.name} is not a registered social worker, so cannot assess the ASYE",
                        "assessor_id")
    if assessor.id == nqsw.id:
        raise AsyeError("The NQSW cannot be their own assessor", "assessor_id")
    manager = details.line_manager
    if manager is not None and manager.id == nqsw.id:
        raise AsyeError("The NQSW cannot be their own line manager", "line_manager_email")
    framework = details.framework
    if framework is None:
        raise AsyeError("Select the version of the standards", "framework_id")
    refusal = rules.framework_refusal(framework.valid_from, framework.valid_until, details.start_date,
                                      framework.title.split(":")[0])
    if refusal:
        raise AsyeError(refusal, "framework_id")
    refusal = rules.working_pattern_refusal(details.working_pattern, details.fte)
    if refusal:
        raise AsyeError(refusal, "fte" if details.working_pattern in rules.WORKING_PATTERNS else "working_pattern")
    return {"nqsw_id": nqsw.id, "start_date": details.start_date, "assessor_id": assessor.id,
            "line_manager_id": manager.id if manager else None, "framework_id": framework.id,
            "working_pattern": details.working_pattern,
            "fte": rules.fte_for(details.working_pattern, details.fte)}


def enrol(details: EnrolmentDetails, actor: Person, today: date) -> AsyeEnrolment:
    _require_lead(actor, "enrol an NQSW")
    if details.nqsw is not None and details.line_manager is None:
        details.line_manager = details.nqsw.manager
    enrolment = AsyeEnrolment(created_by_id=actor.id, **_checked(details, today))
    db.session.add(enrolment)
    db.session.flush()
    audit.record("asye_enrolled", "asye_enrolment", enrolment.id, actor=actor,
                 summary=f"{details.nqsw.name} enrolled on the ASYE from {rules.long_date(enrolment.start_date)}",
                 after=snapshot(enrolment))
    return enrolment


def update_enrolment(enrolment: AsyeEnrolment, details: EnrolmentDetails, actor: Person, today: date) -> bool:
    _require_lead(actor, "change an enrolment")
    require_open(enrolment)
    details.nqsw = enrolment.nqsw
    if details.framework is not None and details.framework.id != enrolment.framework_id and \
            queries.entries_of(enrolment.id):
        raise AsyeError("The portfolio already has entries tagged to these standards, so the version of the "
                        "standards cannot be changed", "framework_id")
    before = snapshot(enrolment)
    for key, value in _checked(details, today, enrolment).items():
        setattr(enrolment, key, value)
    db.session.flush()
    changed_before, changed_after = audit.changes(before, snapshot(enrolment))
    if changed_after:
        audit.record("asye_enrolment_changed", "asye_enrolment", enrolment.id, actor=actor,
                     summary=f"ASYE enrolment of {enrolment.nqsw.name} changed", before=changed_before,
                     after=changed_after)
    return bool(changed_after)


def record_absence(enrolment: AsyeEnrolment, starts_on: date | None, ends_on: date | None, reason: str,
                   actor: Person) -> AsyeAbsence:
    """A long absence (sickness, parental leave …) that extends the programme by its length."""
    _require_lead(actor, "record absences")
    require_open(enrolment)
    if starts_on is None:
        raise AsyeError("Enter the first day of the absence", "starts_on")
    if ends_on is None:
        raise AsyeError("Enter the last day of the absence", "ends_on")
    refusal = rules.absence_refusal(starts_on, ends_on, enrolment.start_date)
    if refusal:
        raise AsyeError(refusal, "ends_on")
    reason = _text(reason, REASON_MAX, "The reason", "reason")
    before_end = rules.expected_end_date(enrolment.start_date, enrolment.fte, enrolment.absence_spans(),
                                         enrolment.extended_to)
    absence = AsyeAbsence(enrolment=enrolment, starts_on=starts_on, ends_on=ends_on, reason=reason,
                          recorded_by_id=actor.id)
    db.session.add(absence)
    db.session.flush()
    after_end = rules.expected_end_date(enrolment.start_date, enrolment.fte, enrolment.absence_spans(),
                                        enrolment.extended_to)
    audit.record("asye_absence_recorded", "asye_enrolment", enrolment.id, actor=actor,
                 summary=f"Absence of {absence.days} days recorded for {enrolment.nqsw.name}",
                 before={"expected_end": before_end},
                 after={"starts_on": starts_on, "ends_on": ends_on, "reason": reason, "expected_end": after_end})
    return absence


# ---------------------------------------------------------------------------------------------
# Reviews
# ---------------------------------------------------------------------------------------------

@dataclass
class ReviewPart:
    """What one party writes in a review: comments, and for the assessor the date and judgement."""

    comments: str = ""
    held_on: date | None = None
    judgement: str = ""


def _review_for_change(enrolment: AsyeEnrolment, kind: str) -> AsyeReview:
    if kind not in rules.REVIEW_KINDS:
        raise AsyeError("There is no such review")
    require_open(enrolment)
    review = queries.review_of(enrolment.id, kind)
    if review is None:
        review = AsyeReview(enrolment_id=enrolment.id, kind=kind)
        db.session.add(review)
    elif review.signed:
        raise AsyeError(f"The {review.label.lower()} has been signed, so it can no longer be changed.")
    return review


def review_snapshot(review: AsyeReview) -> dict:
    return {"held_on": review.held_on, "nqsw_comments": review.nqsw_comments,
            "assessor_comments": review.assessor_comments, "manager_comments": review.manager_comments,
            "progress": review.progress, "recommendation": review.recommendation,
            "signed_at": review.signed_at, "moderation_outcome": review.moderation_outcome,
            "moderated_on": review.moderated_on, "moderation_notes": review.moderation_notes}


def save_review_part(enrolment: AsyeEnrolment, kind: str, part: str, details: ReviewPart, actor: Person,
                     today: date) -> AsyeReview:
    """The NQSW's, the assessor's or the line manager's part of a review, written by that person."""
    standing = queries.relation(actor, enrolment)
    if part == rules.NQSW_PART and queries.AS_NQSW not in standing:
        raise AsyeError("Only the NQSW can write the NQSW’s comments")
    if part == rules.ASSESSOR_PART and queries.AS_ASSESSOR not in standing:
        raise AsyeError("Only the NQSW’s assessor can write the assessor’s comments")
    if part == rules.MANAGER_PART and queries.AS_MANAGER not in standing:
        raise AsyeError("Only the NQSW’s line manager, or a manager above them, can write the manager’s comments")
    if part not in rules.REVIEW_PARTS:
        raise AsyeError("There is no such part of a review")
    review = _review_for_change(enrolment, kind)
    before = review_snapshot(review)
    comments = _text(details.comments, TEXT_MAX, "Your comments", "comments")
    if part == rules.NQSW_PART:
        review.nqsw_comments = comments
    elif part == rules.MANAGER_PART:
        review.manager_comments = comments
        review.manager_commented_by_id = actor.id
    else:
        if details.held_on is not None and details.held_on > today:
            raise AsyeError("The date the review was held must be today or in the past", "held_on")
        choices = rules.RECOMMENDATIONS if kind == rules.FINAL else rules.PROGRESS
        if details.judgement and details.judgement not in choices:
            raise AsyeError("Select one of the options", "judgement")
        review.held_on = details.held_on
        review.assessor_comments = comments
        if kind == rules.FINAL:
            review.recommendation = details.judgement or None
        else:
            review.progress = details.judgement or None
    db.session.flush()
    changed_before, changed_after = audit.changes(before, review_snapshot(review))
    if changed_after:
        action = "asye_judgement_recorded" if part == rules.ASSESSOR_PART else "asye_review_comments"
        audit.record(action, "asye_review", review.id, actor=actor,
                     summary=f"{rules.REVIEW_PARTS[part]} on the {review.label.lower()} of {enrolment.nqsw.name}",
                     before=changed_before, after=changed_after)
    return review


def sign_review(enrolment: AsyeEnrolment, kind: str, actor: Person, now: datetime, today: date) -> AsyeReview:
    """The assessor signs a review; signing the final review closes the portfolio for moderation."""
    if queries.AS_ASSESSOR not in queries.relation(actor, enrolment):
        raise AsyeError("Only the NQSW’s assessor can sign a review")
    review = _review_for_change(enrolment, kind)
    earlier, missing = [], []
    if kind == rules.FINAL:
        signed = {r.kind for r in db.session.scalars(
            db.select(AsyeReview).where(AsyeReview.enrolment_id == enrolment.id, AsyeReview.signed_at.is_not(None)))}
        earlier = [rules.REVIEW_KINDS[k].lower() for k in (rules.THREE_MONTH, rules.SIX_MONTH) if k not in signed]
        if review.recommendation == rules.PASS:
            missing = rules.evidence_missing(queries.checklist_of(queries.entries_of(enrolment.id)))
    refusal = rules.review_refusal_to_sign(kind, held_on=review.held_on, assessor_comments=review.assessor_comments,
                                           judgement=review.judgement, today=today, earlier_unsigned=earlier,
                                           evidence_missing=missing)
    if refusal:
        raise AsyeError(refusal)
    before = review_snapshot(review)
    review.signed_at, review.signed_by_id = now, actor.id
    if kind == rules.FINAL:
        # A re-signed final review (after an agreed extension) goes to the panel afresh.
        review.moderation_outcome, review.moderated_on, review.moderated_by_id = None, None, None
        review.moderation_notes = ""
    db.session.flush()
    audit.record("asye_review_signed", "asye_review", review.id, actor=actor,
                 summary=f"{review.label} of {enrolment.nqsw.name} signed: {review.judgement_label}",
                 before=before, after=review_snapshot(review))
    return review


def record_moderation(enrolment: AsyeEnrolment, outcome: str, moderated_on: date | None, notes: str,
                      extended_to: date | None, actor: Person, today: date) -> AsyeReview:
    """The moderation panel's outcome on a signed final review. An agreed extension sets the new end
    date and reopens the portfolio, so the assessor can review and sign the final review again."""
    _require_lead(actor, "record the moderation panel’s outcome")
    review = queries.review_of(enrolment.id, rules.FINAL)
    if review is None or not review.signed:
        raise AsyeError("The moderation panel’s outcome can be recorded once the final review is signed")
    if review.moderation_outcome in (rules.PASS, rules.FAIL):
        raise AsyeError("The moderation panel’s outcome has already been recorded")
    if outcome not in rules.MODERATION_OUTCOMES:
        raise AsyeError("Select the moderation panel’s outcome", "outcome")
    if moderated_on is None:
        raise AsyeError("Enter the date of the moderation panel", "moderated_on")
    if moderated_on > today:
        raise AsyeError("The date of the moderation panel must be today or in the past", "moderated_on")
    if moderated_on < signed_day(review.signed_at):
        raise AsyeError("The moderation panel must be on or after the day the final review was signed",
                        "moderated_on")
    notes = _text(notes, TEXT_MAX, "The panel’s notes", "notes")
    if outcome == rules.EXTENSION:
        if extended_to is None:
            raise AsyeError("Enter the date the extended ASYE ends", "extended_to")
        if extended_to <= today:
            raise AsyeError("The extended ASYE must end after today", "extended_to")
    before = review_snapshot(review) | {"extended_to": enrolment.extended_to}
    review.moderation_outcome, review.moderated_on = outcome, moderated_on
    review.moderation_notes, review.moderated_by_id = notes, actor.id
    if outcome == rules.EXTENSION:
        enrolment.extended_to = extended_to
        review.signed_at, review.signed_by_id = None, None
    db.session.flush()
    audit.record("asye_moderated", "asye_review", review.id, actor=actor,
                 summary=f"Moderation of {enrolment.nqsw.name}: {rules.MODERATION_OUTCOMES[outcome]}",
                 before=before, after=review_snapshot(review) | {"extended_to": enrolment.extended_to})
    return review


# ---------------------------------------------------------------------------------------------
# The cohort on a module session
# ---------------------------------------------------------------------------------------------

@dataclass
class CohortBooking:
    booked: list[Booking] = field(default_factory=list)
    waitlisted: list[Booking] = field(default_factory=list)
    refused: list[tuple[Person, str]] = field(default_factory=list)


def book_cohort(session: CourseSession, enrolment_ids: set[int], actor: Person, now: datetime) -> CohortBooking:
    """Book each chosen NQSW onto a module session through the booking system (seats, waiting list,
    invites and history as for any booking). Someone the booking system refuses is reported with its
    reason; the others are booked."""
    _require_lead(actor, "book the cohort onto a module")
    if cohort_queries.module_session(session.id) is None:
        raise AsyeError("This session is not part of the ASYE programme")
    places = {p.enrolment.id: p for p in cohort_queries.cohort_for_session(session)}
    unknown = enrolment_ids - set(places)
    if unknown or not enrolment_ids:
        raise AsyeError("Select the NQSWs to book onto the session", "enrolments")
    result = CohortBooking()
    for enrolment_id in sorted(enrolment_ids, key=lambda i: (places[i].enrolment.nqsw.last_name, i)):
        place = places[enrolment_id]
        person = place.enrolment.nqsw
        if not place.bookable:
            result.refused.append((person, "already attended the module or already has a place"))
            continue
        try:
            booking = booking_services.book_place(session, person, actor, now)
        except booking_services.BookingError as error:
            result.refused.append((person, error.message))
            continue
        (result.waitlisted if booking.state == booking_rules.WAITLISTED else result.booked).append(booking)
    audit.record("asye_cohort_booked", "course_session", session.id, actor=actor,
                 summary=f"ASYE cohort booked onto {session.course.title}: {len(result.booked)} booked, "
                         f"{len(result.waitlisted)} waitlisted, {len(result.refused)} not booked",
                 after={"booked": [b.person_id for b in result.booked],
                        "waitlisted": [b.person_id for b in result.waitlisted],
                        "refused": [p.id for p, _ in result.refused]})
    return result
