"""Recording learning without sessions (with an optional certificate) and the OD team's verification."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_login import current_user

from lnd.bookings import queries, record_services, services
from lnd.bookings.forms import ConfirmForm, RecordDoneForm
from lnd.bookings.views import actor, bp, commit_and_notify, render, rollback, show_error
from lnd.core import clock, uploads
from lnd.core.auth import access
from lnd.core.pagination import Page
from lnd.courses.models import Completion
from lnd.courses.queries import course_by_slug, is_live
from lnd.extensions import db
from lnd.people.models import OD_ADMIN
from lnd.people.queries import can_view_person


@bp.route("/learning/<slug>/record", methods=["GET", "POST"])
@access(record="any signed-in person, for themselves; live courses without sessions")
def record_done(slug: str):
    course = course_by_slug(slug)
    if course is None or not is_live(course):
        abort(404)
    if not record_services.can_self_record(course):
        flash("This course is booked on a session rather than recorded as done." if course.is_bookable
              else "This course is not available to record yet.", "info")
        return redirect(url_for("courses.course", slug=course.slug))
    form = RecordDoneForm()
    if request.method == "GET":
        form.completed_on.data = clock.today()
    if form.validate_on_submit():
        try:
            record_services.record_done(course, actor(), form.completed_on.data, clock.today(),
                                        certificate=form.certificate.data, note=form.note.data or "")
        except services.BookingError as error:
            rollback()
            show_error(form, error)
        else:
            commit_and_notify()
            flash(f"‘{course.title}’ is recorded as done.", "success")
            return redirect(url_for("courses.course", slug=course.slug))
    return render("bookings/record_done.html", form=form, course=course,
                  completions=queries.own_completions(current_user.id, course.id))


@bp.route("/learning/records")
@access(OD_ADMIN)
def records():
    everything = request.args.get("show") == "all"
    number = max(request.args.get("page", 1, type=int), 1)
    rows, total = queries.self_records(unverified_only=not everything, page=number)
    return render("bookings/records.html", page=Page(rows, total, number, queries.PAGE_SIZE),
                  everything=everything, form=ConfirmForm())


@bp.route("/learning/records/<int:completion_id>/verify", methods=["POST"])
@access(OD_ADMIN)
def verify_record(completion_id: int):
    completion = db.session.get(Completion, completion_id) or abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        try:
            record_services.verify(completion, actor(), clock.now())
        except services.BookingError as error:
            rollback()
            flash(error.message, "info")
        else:
            commit_and_notify()
            flash(f"The record of ‘{completion.course.title}’ is verified.", "success")
    return redirect(url_for("bookings.records"))


@bp.route("/learning/records/<int:completion_id>/certificate")
@access(record="staff-self, manager-of-owner, od_admin")
def certificate(completion_id: int):
    certificate = queries.certificate_for(completion_id)
    if certificate is None or not can_view_person(current_user, certificate.completion.person_id):
        abort(404)
    return uploads.serve(certificate.stored_name, certificate.original_name, certificate.content_type)
