"""CPD pages: a person's CPD for a registration year (page, printable page, CSV), one record with its
evidence, recording CPD (from a completed course in one click), and readiness for managers and OD.

Who sees what: a person's records are seen by the person, anyone in their management chain and the
OD team (others get 404); only the person changes them (viewers who may see but not change get 403).
"""
from __future__ import annotations

import re
from datetime import date

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lnd.core import clock, uploads
from lnd.core.auth import access
from lnd.cpd import export, queries, rules, services
from lnd.cpd.forms import AttachmentForm, ConfirmForm, CpdRecordForm
from lnd.extensions import db
from lnd.people.models import MANAGER, OD_ADMIN, Person

bp = Blueprint("cpd", __name__)

SEE = "staff-self, manager-of-owner, od_admin"
CHANGE = "staff-self only (manager-of-owner and od_admin may see: 403)"
EARLIEST_YEAR = 2020   # Social Work England's first registration year ended on 30 November 2020


def _actor() -> Person:
    return current_user._get_current_object()


def _person_or_404(person_id: int) -> Person:
    person = db.session.get(Person, person_id)
    if person is None or not queries.can_view_cpd_of(current_user, person_id):
        abort(404)
    return person


def _record_to_see(record_id: int):
    record = queries.record_by_id(record_id)
    if record is None or not queries.can_view_cpd_of(current_user, record.person_id):
        abort(404)
    return record


def _record_to_change(record_id: int):
    record = _record_to_see(record_id)
    if record.person_id != current_user.id:
        abort(403)
    return record


def _chosen_year(today: date) -> rules.RegistrationYear:
    current = rules.registration_year(today)
    year = request.args.get("year", type=int)
    if year is None or not EARLIEST_YEAR <= year <= current.ending_year + 1:
        return current
    return rules.registration_year_ending(year)


def _field_error(form, error: services.CpdError) -> None:
    if error.field and error.field in form:
        target = form[error.field]
    else:
        target = next(field for field in form if field.name != "csrf_token")
    target.errors = list(target.errors) + [error.message]


def _discard(stored_names: list[str]) -> None:
    """Remove stored files once the rows that named them are gone (after the commit)."""
    for name in stored_names:
        uploads.delete(name)


# ---------------------------------------------------------------------------------------------
# A person's CPD for a registration year
# ---------------------------------------------------------------------------------------------

def _year_context(person: Person) -> dict:
    today = clock.today()
    year = _chosen_year(today)
    current = rules.registration_year(today)
    return {
        "subject": person, "own": person.id == current_user.id, "year": year, "current_year": current,
        "records": queries.records_in_year(person.id, year),
        "years": queries.years_with_records(person.id, today),
        "readiness": queries.person_readiness(person, today) if year == current else None,
        "unrecorded": queries.completions_without_cpd(person.id, year) if person.id == current_user.id else [],
        "fields_of": export.fields_of, "today": today,
    }


@bp.route("/cpd")
@access()
def mine():
    return render_template("cpd/year.html", **_year_context(_actor()))


@bp.route("/cpd/people/<int:person_id>")
@access(record=SEE)
def person_year(person_id: int):
    return render_template("cpd/year.html", **_year_context(_person_or_404(person_id)))


@bp.route("/cpd/people/<int:person_id>/print")
@access(record=SEE)
def print_year(person_id: int):
    return render_template("cpd/print.html", **_year_context(_person_or_404(person_id)))


@bp.route("/cpd/people/<int:person_id>/cpd.csv")
@access(record=SEE)
def export_year(person_id: int):
    person = _person_or_404(person_id)
    year = _chosen_year(clock.today())
    text = export.to_csv(export.csv_header(), export.csv_rows(person, queries.records_in_year(person.id, year)))
    who = re.sub(r"[^a-z0-9]+", "-", (person.employee_number or str(person.id)).lower()).strip("-") or str(person.id)
    filename = f"cpd-{who}-{year.starts_on.year}-{year.ending_year}.csv"
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})


# ---------------------------------------------------------------------------------------------
# Recording CPD
# ---------------------------------------------------------------------------------------------

def _completion_from_request():
    """The person's own completion named by ?completion=ID, or by ?course=ID&completed_on=YYYY-MM-DD
    (as the home page lists them). None when neither is given; 404 when it is not theirs."""
    completion_id = request.args.get("completion", type=int)
    course_id = request.args.get("course", type=int)
    completed_on = request.args.get("completed_on", "")
    if completion_id is None and course_id is None:
        return None
    try:
        day = date.fromisoformat(completed_on) if course_id is not None else None
    except ValueError:
        abort(404)
    completion = queries.own_completion(current_user.id, completion_id=completion_id, course_id=course_id,
                                        completed_on=day)
    return completion or abort(404)


@bp.route("/cpd/records/new", methods=["GET", "POST"])
@access(record="staff-self (a completion must be the person's own, else 404)")
def new_record():
    completion = _completion_from_request()
    if completion is not None:
        existing = queries.record_for_completion(completion.id)
        if existing is not None:
            flash(f"You have already recorded ‘{existing.title}’ as CPD.", "info")
            return redirect(url_for("cpd.record", record_id=existing.id))
    form = CpdRecordForm()
    if request.method == "GET" and completion is not None:
        form.fill(services.details_from_completion(completion))
    if form.validate_on_submit():
        try:
            created = services.create_record(_actor(), form.details(), _actor(), clock.today(), completion)
        except services.CpdError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            flash(f"Your CPD record ‘{created.title}’ has been saved.", "success")
            return redirect(url_for("cpd.record", record_id=created.id))
    return render_template("cpd/record_form.html", form=form, record=None, completion=completion)


@bp.route("/cpd/records/<int:record_id>")
@access(record=SEE)
def record(record_id: int):
    record = _record_to_see(record_id)
    return render_template("cpd/record.html", record=record, own=record.person_id == current_user.id,
                           fields=export.fields_of(record), max_attachments=services.MAX_ATTACHMENTS,
                           year=rules.registration_year(record.activity_date))


@bp.route("/cpd/records/<int:record_id>/edit", methods=["GET", "POST"])
@access(record=CHANGE)
def edit_record(record_id: int):
    record = _record_to_change(record_id)
    form = CpdRecordForm()
    if request.method == "GET":
        form.fill(services.details_of(record))
    if form.validate_on_submit():
        try:
            changed = services.update_record(record, form.details(), _actor(), clock.today())
        except services.CpdError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            flash("Your CPD record has been updated." if changed else "Nothing was changed.", "success")
            return redirect(url_for("cpd.record", record_id=record.id))
    return render_template("cpd/record_form.html", form=form, record=record, completion=record.completion)


@bp.route("/cpd/records/<int:record_id>/delete", methods=["GET", "POST"])
@access(record=CHANGE)
def delete_record(record_id: int):
    record = _record_to_change(record_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        title = record.title
        stored = services.delete_record(record, _actor())
        db.session.commit()
        _discard(stored)
        flash(f"Your CPD record ‘{title}’ has been deleted.", "success")
        return redirect(url_for("cpd.mine"))
    return render_template("cpd/delete.html", record=record, confirm_form=form)


# ---------------------------------------------------------------------------------------------
# Evidence
# ---------------------------------------------------------------------------------------------

@bp.route("/cpd/records/<int:record_id>/attachments/new", methods=["GET", "POST"])
@access(record=CHANGE)
def upload_attachment(record_id: int):
    record = _record_to_change(record_id)
    form = AttachmentForm()
    if form.validate_on_submit():
        try:
            item = services.add_attachment(record, form.file.data, _actor())
        except services.CpdError as error:
            db.session.rollback()
            _field_error(form, error)
        else:
            db.session.commit()
            flash(f"‘{item.original_name}’ has been added to your CPD record.", "success")
            return redirect(url_for("cpd.record", record_id=record.id))
    return render_template("cpd/attachment_form.html", form=form, record=record, allowed=uploads.ALLOWED_TEXT,
                           max_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
                           full=len(record.attachments) >= services.MAX_ATTACHMENTS)


def _attachment_or_404(attachment_id: int):
    item = queries.attachment_by_id(attachment_id)
    if item is None or not queries.can_view_cpd_of(current_user, item.record.person_id):
        abort(404)
    return item


@bp.route("/cpd/attachments/<int:attachment_id>")
@access(record=SEE)
def attachment(attachment_id: int):
    item = _attachment_or_404(attachment_id)
    return uploads.serve(item.stored_name, item.original_name, item.content_type)


@bp.route("/cpd/attachments/<int:attachment_id>/remove", methods=["GET", "POST"])
@access(record=CHANGE)
def remove_attachment(attachment_id: int):
    item = _attachment_or_404(attachment_id)
    if item.record.person_id != current_user.id:
        abort(403)
    form = ConfirmForm()
    if form.validate_on_submit():
        record_id, name = item.record_id, item.original_name
        stored = services.remove_attachment(item, _actor())
        db.session.commit()
        _discard([stored])
        flash(f"‘{name}’ has been removed from your CPD record.", "success")
        return redirect(url_for("cpd.record", record_id=record_id))
    return render_template("cpd/remove_attachment.html", item=item, record=item.record, confirm_form=form)


# ---------------------------------------------------------------------------------------------
# Managers and the OD team
# ---------------------------------------------------------------------------------------------

@bp.route("/renewal-readiness")
@access(MANAGER, OD_ADMIN, record="od_admin sees everyone; a manager sees their reports")
def readiness():
    today = clock.today()
    include_ready = request.args.get("show") == "all"
    teams = queries.readiness_by_team(_actor(), today, include_ready=include_ready)
    return render_template("cpd/readiness.html", teams=teams, include_ready=include_ready,
                           year=rules.registration_year(today), today=today,
                           not_ready=sum(t.not_ready for t in teams), total=sum(t.total for t in teams))


@bp.route("/renewal-readiness.csv")
@access(MANAGER, OD_ADMIN, record="od_admin sees everyone; a manager sees their reports")
def readiness_csv():
    today = clock.today()
    include_ready = request.args.get("show") == "all"
    teams = queries.readiness_by_team(_actor(), today, include_ready=include_ready)
    text = export.to_csv(queries.READINESS_CSV_HEADER, queries.readiness_csv_rows(teams))
    which = "all" if include_ready else "not-ready"
    return Response(text, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="cpd-readiness-{which}-{today.isoformat()}.csv"',
        "Cache-Control": "no-store"})
