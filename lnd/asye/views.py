"""ASYE pages: the portfolio, its KSS coverage and printable export, enrolment and long absences.
Entries and files are in entry_views, reviews and moderation in review_views, the cohort in
cohort_views (the same blueprint).

Who sees what: a portfolio is seen by the NQSW, their assessor, their line manager and the managers
above, and the OD team / ASYE lead; anyone else gets 404. People who may see a page but not change
what it changes get 403.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from lnd.asye import queries, rules, services
from lnd.asye.entry_kinds import KINDS
from lnd.asye.entry_services import may_record
from lnd.asye.forms import AbsenceForm, EnrolmentForm
from lnd.asye.models import AsyeEnrolment
from lnd.core import clock
from lnd.core.auth import access
from lnd.courses.models import Framework
from lnd.extensions import db
from lnd.people.models import OD_ADMIN, Person

bp = Blueprint("asye", __name__)

SEE = "nqsw-self, assessor-of-nqsw, manager-of-nqsw (line manager and above), od_admin; others 404"
LEAD_ONLY = "od_admin (the ASYE lead); the enrolment must exist (404)"
# Addresses of the reviews: /asye/<id>/reviews/3-month …
REVIEW_SLUGS = {"3-month": rules.THREE_MONTH, "6-month": rules.SIX_MONTH, "9-month": rules.NINE_MONTH,
                "final": rules.FINAL}
SLUG_OF = {kind: slug for slug, kind in REVIEW_SLUGS.items()}


def actor() -> Person:
    return current_user._get_current_object()


def enrolment_or_404(enrolment_id: int) -> tuple[AsyeEnrolment, frozenset[str]]:
    enrolment = queries.enrolment_by_id(enrolment_id)
    if enrolment is None:
        abort(404)
    standing = queries.relation(current_user, enrolment)
    if not standing:
        abort(404)
    return enrolment, standing


def field_error(form, error: services.AsyeError) -> None:
    """A service's refusal beside its field (and so in the error summary), else beside the first field."""
    if error.field and error.field in form:
        target = form[error.field]
    else:
        target = next(field for field in form if field.name != "csrf_token")
    target.errors = list(target.errors) + [error.message]


def locked_text(portfolio: queries.Portfolio) -> str | None:
    if not portfolio.read_only:
        return None
    return (f"The final review was signed on {rules.long_date(services.signed_day(portfolio.final.signed_at))}. "
            "The portfolio can no longer be changed.")


# ---------------------------------------------------------------------------------------------
# The portfolio
# ---------------------------------------------------------------------------------------------

@bp.route("/asye/<int:enrolment_id>")
@access(record=SEE)
def portfolio(enrolment_id: int):
    enrolment, standing = enrolment_or_404(enrolment_id)
    today = clock.today()
    view = queries.portfolio(enrolment, today)
    can_add = [] if view.read_only else [kind for kind in KINDS.values() if may_record(kind, actor(), enrolment)]
    return render_template("asye/portfolio.html", p=view, enrolment=enrolment, standing=standing, today=today,
                           can_add=can_add, kinds=KINDS, locked=locked_text(view), own=queries.AS_NQSW in standing,
                           rules=rules, slug_of=SLUG_OF)


@bp.route("/asye/<int:enrolment_id>/coverage")
@access(record=SEE)
def coverage(enrolment_id: int):
    enrolment, standing = enrolment_or_404(enrolment_id)
    view = queries.portfolio(enrolment, clock.today())
    return render_template("asye/coverage.html", p=view, enrolment=enrolment, own=queries.AS_NQSW in standing,
                           can_add=not view.read_only and may_record(KINDS[rules.REFLECTIVE_LOG], actor(), enrolment))


@bp.route("/asye/<int:enrolment_id>/export")
@access(record=SEE)
def export(enrolment_id: int):
    enrolment, _ = enrolment_or_404(enrolment_id)
    today = clock.today()
    view = queries.portfolio(enrolment, today)
    return render_template("asye/export.html", p=view, enrolment=enrolment, kinds=KINDS, today=today, rules=rules,
                           slug_of=SLUG_OF)


# ---------------------------------------------------------------------------------------------
# Enrolment and absences (the ASYE lead)
# ---------------------------------------------------------------------------------------------

def _enrolment_form(form: EnrolmentForm) -> EnrolmentForm:
    form.assessor_id.choices = [SelectChoice("", "Select the assessor")] + [
        SelectChoice(p.id, f"{p.name} ({p.job_role.name if p.job_role else 'assessor'})") for p in queries.assessors()]
    form.framework_id.choices = [SelectChoice(f.id, f.title) for f in queries.frameworks()]
    return form


def _details(form: EnrolmentForm) -> services.EnrolmentDetails:
    manager = None
    if (form.line_manager_email.data or "").strip():
        manager = queries.person_by_email(form.line_manager_email.data)
        if manager is None:
            raise services.AsyeError("There is nobody with that email address", "line_manager_email")
    return services.EnrolmentDetails(
        nqsw=queries.person_by_email(form.nqsw_email.data) if form.nqsw_email.data else None,
        start_date=form.start_date.data,
        assessor=db.session.get(Person, form.assessor_id.data) if form.assessor_id.data else None,
        line_manager=manager,
        framework=db.session.get(Framework, form.framework_id.data) if form.framework_id.data else None,
        working_pattern=form.working_pattern.data or "", fte=form.fte.data)


@bp.route("/asye/enrol", methods=["GET", "POST"])
@access(OD_ADMIN)
def enrol():
    form = _enrolment_form(EnrolmentForm())
    if request.method == "GET":
        form.nqsw_email.data = request.args.get("email", "")
        frameworks = queries.frameworks()
        if len(frameworks) == 1:
            form.framework_id.data = frameworks[0].id
        form.working_pattern.data = rules.FULL_TIME
    if form.validate_on_submit():
        try:
            enrolment = services.enrol(_details(form), actor(), clock.today())
        except services.AsyeError as error:
            db.session.rollback()
            field_error(form, error)
        else:
            db.session.commit()
            flash(f"{enrolment.nqsw.name} has been enrolled on the ASYE.", "success")
            return redirect(url_for("asye.portfolio", enrolment_id=enrolment.id))
    return render_template("asye/enrolment_form.html", form=form, enrolment=None)


@bp.route("/asye/<int:enrolment_id>/edit", methods=["GET", "POST"])
@access(OD_ADMIN, record=LEAD_ONLY)
def edit_enrolment(enrolment_id: int):
    enrolment, _ = enrolment_or_404(enrolment_id)
    form = _enrolment_form(EnrolmentForm())
    if request.method == "GET":
        form.nqsw_email.data = enrolment.nqsw.email
        form.start_date.data = enrolment.start_date
        form.assessor_id.data = enrolment.assessor_id
        form.line_manager_email.data = enrolment.line_manager.email if enrolment.line_manager else ""
        form.framework_id.data = enrolment.framework_id
        form.working_pattern.data = enrolment.working_pattern
        form.fte.data = enrolment.fte
    if form.validate_on_submit():
        try:
            changed = services.update_enrolment(enrolment, _details(form), actor(), clock.today())
        except services.AsyeError as error:
            db.session.rollback()
            field_error(form, error)
        else:
            db.session.commit()
            flash("The enrolment has been updated." if changed else "Nothing was changed.", "success")
            return redirect(url_for("asye.portfolio", enrolment_id=enrolment.id))
    return render_template("asye/enrolment_form.html", form=form, enrolment=enrolment)


@bp.route("/asye/<int:enrolment_id>/absences", methods=["GET", "POST"])
@access(OD_ADMIN, record=LEAD_ONLY)
def absences(enrolment_id: int):
    enrolment, _ = enrolment_or_404(enrolment_id)
    form = AbsenceForm()
    if form.validate_on_submit():
        try:
            absence = services.record_absence(enrolment, form.starts_on.data, form.ends_on.data,
                                              form.reason.data or "", actor())
        except services.AsyeError as error:
            db.session.rollback()
            field_error(form, error)
        else:
            db.session.commit()
            end = rules.expected_end_date(enrolment.start_date, enrolment.fte, enrolment.absence_spans(),
                                          enrolment.extended_to)
            flash(f"An absence of {absence.days} days has been recorded. The ASYE is now expected to end on "
                  f"{rules.long_date(end)}.", "success")
            return redirect(url_for("asye.portfolio", enrolment_id=enrolment.id))
    end = rules.expected_end_date(enrolment.start_date, enrolment.fte, enrolment.absence_spans(), enrolment.extended_to)
    return render_template("asye/absences.html", form=form, enrolment=enrolment, expected_end=end,
                           minimum_weeks=rules.LONG_ABSENCE_MIN_DAYS // 7)


from lnd.asye import cohort_views, entry_views, review_views  # noqa: E402,F401  (routes on this blueprint)
