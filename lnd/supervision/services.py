"""Supervision use cases for the written agreement: draft, change, sign, review and end it. Sessions,
records, actions and training needs are in session_services.

Each takes the acting person explicitly (and `today`/`now`), writes an audit row, flushes and leaves
the commit to the caller. Refusals raise SupervisionError with a sentence a person can read and,
where it belongs to one field of a form, that field's name.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from lnd.core import audit
from lnd.extensions import db
from lnd.people.models import Person
from lnd.supervision import notifications as notify
from lnd.supervision import queries, rules, wording
from lnd.supervision.models import CANCELLED, PLACE_MAX, PLANNED, SupervisionAgreement, SupervisionSession

TEXT_MAX = 20_000       # the agreement's wording, a record's discussion and decisions
COMMENT_MAX = 5_000
ACTION_MAX = 2_000
REASON_MAX = 1_000


class SupervisionError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def clean_text(value: str | None, field: str, limit: int, what: str, missing: str | None = None) -> str:
    text = (value or "").strip()
    if missing and not text:
        raise SupervisionError(missing, field)
    if len(text) > limit:
        raise SupervisionError(f"{what} must be {limit:,} characters or fewer", field)
    return text


def must_supervise(agreement: SupervisionAgreement, actor: Person) -> None:
    if actor.id != agreement.supervisor_id:
        raise SupervisionError("Only the supervisor can do this.")


def must_be_current(agreement: SupervisionAgreement) -> None:
    if agreement.ended_on is not None:
        raise SupervisionError("This agreement has ended.")


# ---------------------------------------------------------------------------------------------
# Agreements
# ---------------------------------------------------------------------------------------------

@dataclass
class AgreementDetails:
    """What the supervisor writes; purpose and terms left empty take the kind's standard wording."""

    frequency: str = ""
    usual_place: str = ""
    starts_on: date | None = None
    review_due_on: date | None = None
    purpose: str = ""
    terms: str = ""


def _snapshot(agreement: SupervisionAgreement) -> dict:
    return {"frequency": agreement.frequency, "usual_place": agreement.usual_place,
            "starts_on": agreement.starts_on, "review_due_on": agreement.review_due_on,
            "purpose": agreement.purpose, "terms": agreement.terms, "version": agreement.version}


def _checked(details: AgreementDetails, *, counting_from: date | None = None) -> dict:
    if details.frequency not in rules.FREQUENCIES:
        raise SupervisionError("Select how often supervision is held", "frequency")
    place = clean_text(details.usual_place, "usual_place", PLACE_MAX, "The usual place",
                  "Enter where supervision is usually held")
    problem = rules.agreement_problem(starts_on=counting_from or details.starts_on, review_due_on=details.review_due_on)
    if problem:
        field_name, message = problem
        raise SupervisionError(message, "review_due_on" if counting_from and field_name == "starts_on" else field_name)
    return {"frequency": details.frequency, "usual_place": place,
            "purpose": clean_text(details.purpose, "purpose", TEXT_MAX, "The purpose"),
            "terms": clean_text(details.terms, "terms", TEXT_MAX, "The terms")}


def standard_wording(kind: str, supervisor: Person, supervisee: Person) -> tuple[str, str]:
    words = wording.current().of(kind)
    values = {"supervisor": supervisor.name, "supervisee": supervisee.name,
              "organisation": supervisee.organisation.name if supervisee.organisation else "their organisation"}
    return wording.fill(words.purpose, **values), wording.fill(words.terms, **values)


def draft_agreement(supervisor: Person, supervisee: Person | None, kind: str, details: AgreementDetails,
                    today: date) -> SupervisionAgreement:
    """A new written agreement, not in force until both have signed it."""
    if supervisee is None:
        raise SupervisionError("Enter the email address of someone who uses this service", "supervisee_email")
    if supervisee.id == supervisor.id:
        raise SupervisionError("You cannot be your own supervisor", "supervisee_email")
    if supervisee.is_leaver_on(today):
        raise SupervisionError(f"{supervisee.name} has left, so they cannot be supervised", "supervisee_email")
    if kind not in rules.KINDS:
        raise SupervisionError("Select the kind of supervision", "kind")
    if queries.current_agreement_between(supervisor.id, supervisee.id, kind) is not None:
        raise SupervisionError(f"You already have a current {rules.KINDS[kind].lower()} agreement with "
                               f"{supervisee.name}", "kind")
    values = _checked(details)
    purpose, terms = standard_wording(kind, supervisor, supervisee)
    agreement = SupervisionAgreement(
        supervisor_id=supervisor.id, supervisee_id=supervisee.id, kind=kind, starts_on=details.starts_on,
        review_due_on=details.review_due_on or rules.default_review_date(details.starts_on),
        created_by_id=supervisor.id, version=1,
        **dict(values, purpose=values["purpose"] or purpose, terms=values["terms"] or terms))
    db.session.add(agreement)
    db.session.flush()
    db.session.refresh(agreement)
    audit.record("supervision_agreement_drafted", "supervision_agreement", agreement.id, actor=supervisor,
                 summary=f"{rules.KINDS[kind]}: {supervisor.name} supervising {supervisee.name}",
                 after=_snapshot(agreement))
    notify.queue(notify.TO_SIGN, agreement.id, supervisee.id)
    return agreement


def _clear_signatures(agreement: SupervisionAgreement) -> bool:
    signed = agreement.supervisor_signed_at is not None or agreement.supervisee_signed_at is not None
    agreement.supervisor_signed_at = agreement.supervisee_signed_at = None
    agreement.version += 1
    return signed


def change_agreement(agreement: SupervisionAgreement, actor: Person, details: AgreementDetails,
                     today: date) -> SupervisionAgreement:
    """Change an agreement that is not yet in force. A signature already given is withdrawn: the
    changed text has to be signed again."""
    must_supervise(agreement, actor)
    must_be_current(agreement)
    if agreement.in_force:
        raise SupervisionError("This agreement is in force. Review it to change it.")
    values = _checked(details)
    values.update(starts_on=details.starts_on,
                  review_due_on=details.review_due_on or rules.default_review_date(details.starts_on))
    if not values["purpose"] or not values["terms"]:
        purpose, terms = standard_wording(agreement.kind, agreement.supervisor, agreement.supervisee)
        values["purpose"], values["terms"] = values["purpose"] or purpose, values["terms"] or terms
    before = _snapshot(agreement)
    changed = any(getattr(agreement, key) != value for key, value in values.items())
    if not changed:
        return agreement
    for key, value in values.items():
        setattr(agreement, key, value)
    had_signature = _clear_signatures(agreement)
    db.session.flush()
    old, new = audit.changes(before, _snapshot(agreement))
    audit.record("supervision_agreement_changed", "supervision_agreement", agreement.id, actor=actor,
                 summary="Agreement changed" + ("; signatures withdrawn" if had_signature else ""),
                 before=old, after=new)
    notify.queue(notify.TO_SIGN, agreement.id, agreement.supervisee_id)
    return agreement


def review_agreement(agreement: SupervisionAgreement, actor: Person, details: AgreementDetails,
                     today: date) -> SupervisionAgreement:
    """The annual review renews the agreement: the wording as reviewed, a new review date (12 months
    on unless given), and both sign again."""
    must_supervise(agreement, actor)
    must_be_current(agreement)
    if not agreement.in_force:
        raise SupervisionError("Only an agreement in force can be reviewed. Change it and sign it instead.")
    details.review_due_on = details.review_due_on or rules.default_review_date(today)
    values = _checked(details, counting_from=today)
    before = _snapshot(agreement)
    for key, value in values.items():
        setattr(agreement, key, value or getattr(agreement, key))
    agreement.review_due_on = details.review_due_on
    agreement.last_reviewed_on = today
    _clear_signatures(agreement)
    db.session.flush()
    old, new = audit.changes(before, _snapshot(agreement))
    audit.record("supervision_agreement_reviewed", "supervision_agreement", agreement.id, actor=actor,
                 summary=f"Agreement reviewed on {today.isoformat()}; to be signed again", before=old, after=new)
    notify.queue(notify.TO_SIGN, agreement.id, agreement.supervisee_id)
    return agreement


def sign_agreement(agreement: SupervisionAgreement, person: Person, now: datetime) -> SupervisionAgreement:
    """One party's electronic signature on the current version, timestamped."""
    must_be_current(agreement)
    if not queries.is_party(person, agreement):
        raise SupervisionError("Only the supervisor and the supervisee sign the agreement.")
    if agreement.signed_at(person.id) is not None:
        raise SupervisionError("You have already signed this agreement.")
    role = "supervisor" if person.id == agreement.supervisor_id else "supervisee"
    setattr(agreement, f"{role}_signed_at", now)
    db.session.flush()
    audit.record("supervision_agreement_signed", "supervision_agreement", agreement.id, actor=person,
                 summary=f"Signed by the {role}, {person.name} (version {agreement.version})",
                 after={"signed_by": role, "version": agreement.version, "at": now})
    if agreement.in_force:
        audit.record("supervision_agreement_in_force", "supervision_agreement", agreement.id, actor=person,
                     summary=f"Signed by both; version {agreement.version} in force",
                     after={"version": agreement.version})
    else:
        other = agreement.supervisee_id if role == "supervisor" else agreement.supervisor_id
        notify.queue(notify.TO_SIGN, agreement.id, other)
    return agreement


def end_agreement(agreement: SupervisionAgreement, actor: Person, today: date, reason: str) -> SupervisionAgreement:
    """End the agreement (the supervisee left, or someone else now supervises them); sessions still
    planned are cancelled."""
    must_supervise(agreement, actor)
    must_be_current(agreement)
    reason = clean_text(reason, "reason", REASON_MAX, "The reason", "Enter why the agreement is ending")
    agreement.ended_on = today
    agreement.end_reason = reason
    for session in db.session.scalars(db.select(SupervisionSession).where(
            SupervisionSession.agreement_id == agreement.id, SupervisionSession.state == PLANNED)):
        session.state = CANCELLED
        session.cancelled_reason = "The agreement ended."
        session.sequence += 1
    db.session.flush()
    audit.record("supervision_agreement_ended", "supervision_agreement", agreement.id, actor=actor,
                 summary=f"Agreement ended: {reason}", after={"ended_on": today, "reason": reason})
    return agreement
