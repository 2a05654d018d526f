"""Supervision pages: the supervisor's list and the supervisee's own, the compliance report, and the
written agreement (drafting, changing, reviewing, signing, ending). Sessions, records, actions and
training needs are in session_views (same blueprint).

Who sees what: an agreement and everything under it is seen by the supervisor, the supervisee, the
supervisor's line management and the OD team; everyone else gets 404. Of those, only the supervisor
changes it and only the two parties sign it (the others get 403).
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lnd.bookings import notifications as booking_notifications
from lnd.core import clock
from lnd.core.auth import access
from lnd.extensions import db
from lnd.people.models import MANAGER, OD_ADMIN, SUPERVISOR, Person
from lnd.people.queries import find_by_email
from lnd.supervision import notifications, queries, report_queries, rules, services, wording
from lnd.supervision.forms import ChangeAgreementForm, EndAgreementForm, NewAgreementForm, SignForm
from lnd.supervision.models import CANCELLED, HELD, PLANNED, SupervisionAgreement

bp = Blueprint("supervision", __name__)

SEE = "supervisor, supervisee, the supervisor's managers, od_admin"
SUPERVISOR_ONLY = "the agreement's supervisor (others who may see it: 403)"
SUPERVISEE_ONLY = "the agreement's supervisee (others who may see it: 403)"
PARTIES = "the agreement's supervisor or supervisee (others who may see it: 403)"

STATE_TAGS = {
    rules.AWAITING_BOTH: "govuk-tag--grey", rules.AWAITING_SUPERVISEE: "govuk-tag--yellow",
    rules.AWAITING_SUPERVISOR: "govuk-tag--yellow", rules.IN_FORCE: "govuk-tag--green", rules.ENDED: "govuk-tag--grey",
}
DUE_TAGS = {"overdue": "govuk-tag--red", "due_soon": "govuk-tag--yellow", "on_track": "govuk-tag--green"}
REVIEW_TAGS = {rules.REVIEW_DUE: "govuk-tag--yellow", rules.REVIEW_OVERDUE: "govuk-tag--red"}
SESSION_TAGS = {PLANNED: "govuk-tag--blue", HELD: "govuk-tag--green", CANCELLED: "govuk-tag--grey"}


def actor() -> Person:
    return current_user._get_current_object()


def commit_and_notify() -> None:
    """Commit, then send the mail the change queued (never before: a rollback mails nobody)."""
    db.session.commit()
    if notifications.send_queued() + booking_notifications.send_queued():
        flash("The change is saved, but an email about it could not be sent.", "info")


def rollback() -> None:
    db.session.rollback()
    notifications.discard()
    booking_notifications.discard()


def show_error(form, error: services.SupervisionError) -> None:
    """A service's refusal beside its field, else beside the button."""
    target = form[error.field] if error.field and error.field in form else form.submit
    target.errors = list(target.errors) + [error.message]


def render(template: str, **context):
    return render_template(template, state_tags=STATE_TAGS, state_labels=rules.AGREEMENT_STATES, due_tags=DUE_TAGS,
                           review_tags=REVIEW_TAGS, session_tags=SESSION_TAGS, kinds=rules.KINDS, **context)


def agreement_to_see(agreement_id: int) -> SupervisionAgreement:
    agreement = queries.agreement_by_id(agreement_id)
    if agreement is None or not queries.can_see(current_user, agreement):
        abort(404)
    return agreement


def as_supervisor(agreement: SupervisionAgreement) -> SupervisionAgreement:
    if current_user.id != agreement.supervisor_id:
        abort(403)
    return agreement


@bp.app_template_filter("text_blocks")
def text_blocks(text: str | None) -> list[tuple[str, object]]:
    """Paragraphs ("p", line) and bulleted lists ("list", [items]) of text as typed: lines starting
    with "- " are list items, every other line a paragraph."""
    blocks: list[tuple[str, object]] = []
    for line in (text or "").replace("\r\n", "\n").split("\n"):
        line = line.strip()
        if not line:
            continue
        if line.startswith("- "):
            if not blocks or blocks[-1][0] != "list":
                blocks.append(("list", []))
            blocks[-1][1].append(line[2:].strip())
        else:
            blocks.append(("p", line))
    return blocks


# ---------------------------------------------------------------------------------------------
# Lists
# ---------------------------------------------------------------------------------------------

@bp.route("/supervision")
@access()
def index():
    today, now = clock.today(), clock.now()
    person = actor()
    caseload = queries.caseload(person.id, today, now)
    return render("supervision/index.html", caseload=caseload,
                  supervises=bool(caseload.rows) or queries.may_supervise(person),
                  own=queries.own_supervision(person.id, today, now),
                  to_read=queries.records_to_acknowledge(person.id),
                  my_actions=queries.open_actions_as_supervisee(person.id),
                  can_report=person.has_role(MANAGER, OD_ADMIN), today=today)


@bp.route("/supervision/report")
@access(MANAGER, OD_ADMIN, record="od_admin sees every team; a manager the agreements held by them and "
                                  "the people they manage")
def report():
    today = clock.today()
    return render("supervision/report.html", report=report_queries.compliance_report(actor(), today, clock.now()),
                  today=today)


# ---------------------------------------------------------------------------------------------
# The agreement
# ---------------------------------------------------------------------------------------------

def _details(form) -> services.AgreementDetails:
    return services.AgreementDetails(
        frequency=form.frequency.data or "", usual_place=form.usual_place.data or "",
        starts_on=form.starts_on.data if "starts_on" in form else None,
        review_due_on=form.review_due_on.data,
        purpose=getattr(form, "purpose", None) and form.purpose.data or "",
        terms=getattr(form, "terms", None) and form.terms.data or "")


@bp.route("/supervision/agreements/new", methods=["GET", "POST"])
@access(SUPERVISOR, MANAGER, record="a supervisor or manager drafts agreements they supervise under")
def new_agreement():
    form = NewAgreementForm()
    if request.method == "GET":
        form.frequency.data = form.frequency.data or rules.MONTHLY
    if form.validate_on_submit():
        supervisee = find_by_email(form.supervisee_email.data or "")
        try:
            agreement = services.draft_agreement(actor(), supervisee, form.kind.data, _details(form), clock.today())
        except services.SupervisionError as error:
            rollback()
            show_error(form, error)
        else:
            name = agreement.supervisee.name
            commit_and_notify()
            flash(f"The agreement with {name} is saved. Read it through, then sign it: it is in force once you "
                  "have both signed.", "success")
            return redirect(url_for("supervision.agreement", agreement_id=agreement.id))
    return render("supervision/agreement_form.html", form=form, agreement=None, reviewing=False,
                  wordings=_examples(actor()))


def _examples(supervisor: Person) -> dict[str, tuple[str, str]]:
    """Each kind's standard wording as it reads before a supervisee is chosen."""
    values = {"supervisor": supervisor.name, "supervisee": "the supervisee",
              "organisation": "the supervisee's school or setting"}
    return {kind: (wording.fill(words.purpose, **values), wording.fill(words.terms, **values))
            for kind, words in wording.current().kinds.items()}


@bp.route("/supervision/agreements/<int:agreement_id>")
@access(record=SEE)
def agreement(agreement_id: int):
    agreement = agreement_to_see(agreement_id)
    return _agreement_page(agreement, SignForm())


def _agreement_page(agreement: SupervisionAgreement, sign_form: SignForm, status: int = 200):
    today, now = clock.today(), clock.now()
    sessions = queries.sessions_of(agreement.id)
    page = render("supervision/agreement.html", agreement=agreement, row=queries.row_for(agreement, today, now),
                  sessions=sessions, actions=queries.actions_of_agreement(agreement.id),
                  form=sign_form, may_sign=queries.is_party(current_user, agreement) and agreement.is_current
                  and agreement.signed_at(current_user.id) is None,
                  is_supervisor=current_user.id == agreement.supervisor_id,
                  is_supervisee=current_user.id == agreement.supervisee_id,
                  observe=wording.current().of(agreement.kind).observation_of_practice, today=today)
    return page, status


@bp.route("/supervision/agreements/<int:agreement_id>/sign", methods=["POST"])
@access(record=PARTIES)
def sign_agreement(agreement_id: int):
    agreement = agreement_to_see(agreement_id)
    if not queries.is_party(current_user, agreement):
        abort(403)
    form = SignForm()
    if form.validate_on_submit():
        try:
            services.sign_agreement(agreement, actor(), clock.now())
        except services.SupervisionError as error:
            rollback()
            show_error(form, error)
        else:
            in_force = agreement.in_force
            commit_and_notify()
            flash("You have signed the agreement. It is now in force." if in_force else
                  "You have signed the agreement. It is in force once the other person has signed it too.",
                  "success")
            return redirect(url_for("supervision.agreement", agreement_id=agreement.id))
    return _agreement_page(agreement, form)


@bp.route("/supervision/agreements/<int:agreement_id>/change", methods=["GET", "POST"])
@access(record=SUPERVISOR_ONLY)
def change_agreement(agreement_id: int):
    """Before it is in force: change it (a signature given is withdrawn). In force: review and renew it."""
    agreement = as_supervisor(agreement_to_see(agreement_id))
    if not agreement.is_current:
        flash("This agreement has ended, so it cannot be changed.", "info")
        return redirect(url_for("supervision.agreement", agreement_id=agreement.id))
    reviewing = agreement.in_force
    form = ChangeAgreementForm(obj=agreement if request.method == "GET" else None)
    if reviewing:
        del form.starts_on   # a review renews the agreement from today; its start stays as it was
        form.review_due_on.description = "Leave empty to review it again 12 months from today"
        if request.method == "GET":
            form.review_due_on.data = rules.default_review_date(clock.today())
    if form.validate_on_submit():
        change = services.review_agreement if reviewing else services.change_agreement
        try:
            change(agreement, actor(), _details(form), clock.today())
        except services.SupervisionError as error:
            rollback()
            show_error(form, error)
        else:
            commit_and_notify()
            flash("The agreement is reviewed and renewed. You both need to sign it again." if reviewing else
                  "The agreement is saved. Any signature already given has been withdrawn, so sign it again.",
                  "success")
            return redirect(url_for("supervision.agreement", agreement_id=agreement.id))
    return render("supervision/agreement_form.html", form=form, agreement=agreement, reviewing=reviewing,
                  wordings=None)


@bp.route("/supervision/agreements/<int:agreement_id>/end", methods=["GET", "POST"])
@access(record=SUPERVISOR_ONLY)
def end_agreement(agreement_id: int):
    agreement = as_supervisor(agreement_to_see(agreement_id))
    if not agreement.is_current:
        flash("This agreement has already ended.", "info")
        return redirect(url_for("supervision.agreement", agreement_id=agreement.id))
    form = EndAgreementForm()
    if form.validate_on_submit():
        try:
            services.end_agreement(agreement, actor(), clock.today(), form.reason.data or "")
        except services.SupervisionError as error:
            rollback()
            show_error(form, error)
        else:
            commit_and_notify()
            flash("The agreement has ended. Any supervision still planned under it is cancelled.", "success")
            return redirect(url_for("supervision.agreement", agreement_id=agreement.id))
    return render("supervision/end_agreement.html", form=form, agreement=agreement)


from lnd.supervision import session_views  # noqa: E402,F401  (routes on this blueprint)
