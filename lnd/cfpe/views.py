"""Centre for Practice Excellence commitments: new-starter contacts and career consultations.

The OD team sees the new starters to contact and the consultation queue. Anyone signed in may ask
for a career consultation and follow their requests; a request is seen by the person who made it
and the OD team only (others get 404).
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from lnd.cfpe import queries, rules, services
from lnd.cfpe.forms import ConsultationForm, ConsultationUpdateForm, ContactForm
from lnd.core import clock
from lnd.core.auth import access
from lnd.extensions import db
from lnd.people.models import OD_ADMIN, Person

bp = Blueprint("cfpe", __name__, url_prefix="/centre-for-practice-excellence")

CONSULTATION_SEE = "the person who asked, od_admin; others 404"


def _actor() -> Person:
    return current_user._get_current_object()


def _field_error(form, error: services.CfpeError) -> None:
    target = form[error.field] if error.field and error.field in form else form.submit
    target.errors = list(target.errors) + [error.message]


def _save(form, change, done, to: str, *, already: str = ""):
    """Run `change` (a service call) and commit, then flash `done` (a sentence, or a function giving
    one once the change is made) and redirect to `to`. A refusal is shown on the form (None is
    returned: show the page again). When someone else has just done the same (the service says so, or
    the database refuses a second row as two were saved at once) that is said and the page reloaded,
    showing what they recorded."""
    try:
        change()
        db.session.flush()
    except services.AlreadyRecorded as error:
        db.session.rollback()
        flash(error.message)
        return redirect(request.path)
    except IntegrityError:
        db.session.rollback()
        if not already:
            raise
        flash(already)
        return redirect(request.path)
    except services.CfpeError as error:
        db.session.rollback()
        _field_error(form, error)
        return None
    message = done() if callable(done) else done
    db.session.commit()
    flash(message, "success")
    return redirect(to)


def _render(template: str, **context):
    return render_template(template, status_tags=rules.STATUS_TAGS, **context)


@bp.route("/")
@access(OD_ADMIN)
def index():
    today = clock.today()
    earliest, latest = rules.new_starter_window(today)
    return _render("cfpe/index.html", to_contact=queries.new_starters_to_contact(today),
                   contacted=queries.contacted_new_starters(today), earliest=earliest, latest=latest,
                   open_count=len(queries.open_consultations()), today=today)


@bp.route("/new-starters/<int:person_id>/contact", methods=["GET", "POST"])
@access(OD_ADMIN, record="od_admin; the person must exist (404)")
def contact_new_starter(person_id: int):
    person = db.session.get(Person, person_id)
    if person is None:
        abort(404)
    existing = queries.contact_of(person.id)
    form = ContactForm()
    if request.method == "GET":
        form.contacted_on.data = clock.today()
    if existing is None and form.validate_on_submit():
        saved = _save(form, lambda: services.record_contact(person, _actor(), form.contacted_on.data, form.note.data,
                                                            clock.today()),
                      f"Contact with {person.name} has been recorded.", url_for("cfpe.index"),
                      already=services.already_contacted(person))
        if saved:
            return saved
    return _render("cfpe/contact.html", form=form, subject=person, existing=existing,
                   new_starter=rules.is_new_starter(person.start_date, clock.today()))


@bp.route("/career-consultations")
@access(OD_ADMIN)
def consultations():
    return _render("cfpe/consultations.html", open=queries.open_consultations(),
                   completed=queries.completed_consultations(), shown=queries.COMPLETED_SHOWN)


@bp.route("/career-consultations/mine")
@access()
def my_consultations():
    return _render("cfpe/my_consultations.html", consultations=queries.consultations_of(current_user.id))


@bp.route("/career-consultations/new", methods=["GET", "POST"])
@access()
def new_consultation():
    form = ConsultationForm()
    if form.validate_on_submit():
        saved = _save(form, lambda: services.request_consultation(
            _actor(), form.topic.data, form.contact_preference.data, form.contact_detail.data, clock.now()),
            "Your request has been sent to the Centre for Practice Excellence. They will contact you to arrange "
            "a time.", url_for("cfpe.my_consultations"))
        if saved:
            return saved
    return _render("cfpe/consultation_form.html", form=form)


def _consultation_to_see(consultation_id: int):
    consultation = queries.consultation_by_id(consultation_id)
    if consultation is None or not queries.can_view_consultation(current_user, consultation):
        abort(404)
    return consultation


@bp.route("/career-consultations/<int:consultation_id>")
@access(record=CONSULTATION_SEE)
def consultation(consultation_id: int):
    item = _consultation_to_see(consultation_id)
    return _render("cfpe/consultation.html", consultation=item, own=item.person_id == current_user.id,
                   is_od=current_user.has_role(OD_ADMIN))


@bp.route("/career-consultations/<int:consultation_id>/update", methods=["GET", "POST"])
@access(OD_ADMIN, record="od_admin; the consultation must exist (404)")
def update_consultation(consultation_id: int):
    item = queries.consultation_by_id(consultation_id)
    if item is None:
        abort(404)
    form = ConsultationUpdateForm().for_status(item.status)
    if item.status != rules.COMPLETED and form.validate_on_submit():
        saved = _save(form, lambda: services.update_consultation(item, _actor(), form.status.data, form.note.data,
                                                                 clock.now()),
                      lambda: f"The consultation for {item.person.name} is marked as {item.status_label.lower()}.",
                      url_for("cfpe.consultations"))
        if saved:
            return saved
    return _render("cfpe/update_consultation.html", form=form, consultation=item)
