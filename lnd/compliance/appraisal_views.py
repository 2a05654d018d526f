"""The annual appraisal: the manager's list of appraisals due, a person's history, recording one,
and the appraisal record (on screen and printable).

Who sees what: a person's appraisals are seen by the person, anyone above them in the management
chain and the OD team (others get 404). Only the person's line manager or a manager above them
records one (the person and the OD team, who may see, get 403): see appraisal_queries.can_record_for.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lnd.bookings import notifications
from lnd.compliance import appraisal_queries as queries
from lnd.compliance import appraisal_rules as rules
from lnd.compliance import appraisal_services as services
from lnd.compliance import rules as training_rules
from lnd.compliance.appraisal_forms import AppraisalForm
from lnd.core import clock
from lnd.core.auth import access
from lnd.extensions import db
from lnd.people.models import MANAGER, OD_ADMIN, Person
from lnd.people.queries import report_ids

bp = Blueprint("appraisal", __name__, url_prefix="/appraisals")

SEE = "staff-self, manager-of-owner, od_admin"
RECORD = "manager-of-owner (line manager or above); the person and od_admin who may see: 403"
FILTERS = {"overdue": rules.OVERDUE, "due-soon": rules.DUE_SOON}


def _actor() -> Person:
    return current_user._get_current_object()


def _person_to_see(person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    if person is None or not queries.can_view_appraisals_of(current_user, person_id):
        abort(404)
    return person


def _appraisal_to_see(appraisal_id: int):
    appraisal = queries.appraisal_by_id(appraisal_id)
    if appraisal is None or not queries.can_view_appraisals_of(current_user, appraisal.person_id):
        abort(404)
    return appraisal


def _render(template: str, **context):
    return render_template(template, snapshot_tags=training_rules.TAG_CLASSES, **context)


@bp.route("/")
@access(MANAGER, OD_ADMIN, record="od_admin sees everyone; a manager sees their reports")
def index():
    today = clock.today()
    chosen = request.args.get("status", "")
    listing = queries.appraisals_due(_actor(), today, page=request.args.get("page", 1, type=int),
                                     only=FILTERS.get(chosen))
    can_record = report_ids(current_user.id)   # one statement: whose appraisal this viewer may record
    return _render("appraisal/index.html", listing=listing, chosen=chosen if chosen in FILTERS else "",
                   can_record=can_record, is_od=current_user.has_role(OD_ADMIN), today=today,
                   due_soon_days=rules.DUE_SOON_DAYS)


@bp.route("/people/<int:person_id>")
@access(record=SEE)
def person_appraisals(person_id: int):
    person = _person_to_see(person_id)
    last, status = queries.status_of(person, clock.today())
    return _render("appraisal/person.html", subject=person, own=person.id == current_user.id,
                   appraisals=queries.history(person.id), last=last, status=status,
                   can_record=queries.can_record_for(current_user, person))


@bp.route("/people/<int:person_id>/new", methods=["GET", "POST"])
@access(record=RECORD)
def new_appraisal(person_id: int):
    person = _person_to_see(person_id)
    if not queries.can_record_for(current_user, person):
        abort(403)
    today = clock.today()
    form = AppraisalForm().offer(queries.developmental_courses())
    if request.method == "GET":
        form.held_on.data = today
    if form.validate_on_submit():
        try:
            appraisal = services.record_appraisal(person, form.details(), _actor(), today, clock.now())
        except services.AppraisalError as error:
            db.session.rollback()
            notifications.discard()
            target = form[error.field] if error.field and error.field in form else form.submit
            target.errors = list(target.errors) + [error.message]
        else:
            db.session.commit()
            flash(f"The appraisal of {person.name} has been saved.", "success")
            if notifications.send_queued():
                flash("The appraisal is saved, but we could not send the email about a booking it confirmed.",
                      "info")
            return redirect(url_for("appraisal.appraisal", appraisal_id=appraisal.id))
    preview = queries.snapshot_windows(services.training_snapshot(person, today))
    return _render("appraisal/form.html", form=form, subject=person, windows=preview, today=today)


@bp.route("/<int:appraisal_id>")
@access(record=SEE)
def appraisal(appraisal_id: int):
    record = _appraisal_to_see(appraisal_id)
    return _render("appraisal/appraisal.html", appraisal=record, own=record.person_id == current_user.id,
                   windows=queries.snapshot_windows(record.training_snapshot),
                   agreed=queries.agreed_courses(record, clock.today()))


@bp.route("/<int:appraisal_id>/print")
@access(record=SEE)
def print_appraisal(appraisal_id: int):
    record = _appraisal_to_see(appraisal_id)
    return _render("appraisal/print.html", appraisal=record,
                   windows=queries.snapshot_windows(record.training_snapshot),
                   agreed=queries.agreed_courses(record, clock.today()))
