"""Portfolio entries and their files (routes on the asye blueprint)."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from lnd.asye import entry_services, queries
from lnd.asye.entry_kinds import BY_SLUG, KINDS, lower_first
from lnd.asye.forms import AttachmentForm, ConfirmForm, EntryForm
from lnd.asye.services import AsyeError
from lnd.asye.views import SEE, actor, bp, enrolment_or_404, field_error
from lnd.core import clock, uploads
from lnd.core.auth import access
from lnd.extensions import db

CHANGE = "the person who recorded it (observations: assessor-of-nqsw; the rest: nqsw-self); others who see: 403"
ADD = "nqsw-self adds evidence, assessor-of-nqsw records observations; others who see: 403, the rest 404"


def _entry_or_404(entry_id: int):
    entry = queries.entry_by_id(entry_id)
    if entry is None:
        abort(404)
    standing = queries.relation(current_user, entry.enrolment)
    if not standing:
        abort(404)
    return entry, standing


def _entry_to_change(entry_id: int):
    entry, standing = _entry_or_404(entry_id)
    if not entry_services.may_change(entry, actor()):
        abort(403)
    return entry


def _discard(stored_names: list[str]) -> None:
    for name in stored_names:
        uploads.delete(name)


def _read_only_sentence(enrolment) -> str | None:
    try:
        entry_services.require_open(enrolment)
    except AsyeError as error:
        return error.message
    return None


@bp.route("/asye/<int:enrolment_id>/entries/new/<kind>", methods=["GET", "POST"])
@access(record=ADD)
def new_entry(enrolment_id: int, kind: str):
    enrolment, _ = enrolment_or_404(enrolment_id)
    spec = BY_SLUG.get(kind) or abort(404)
    if not entry_services.may_record(spec, actor(), enrolment):
        abort(403)
    standards = queries.standards_of(enrolment.framework_id)
    form = EntryForm().for_kind(spec, standards)
    if request.method == "GET":
        wanted = request.args.getlist("standard", type=int)
        form.standard_ids.data = wanted or ([s.id for s in standards] if spec.code == "self_assessment" else [])
        form.occurred_on.data = clock.today()
    if form.validate_on_submit():
        try:
            entry = entry_services.create_entry(enrolment, spec, form.details(), actor(), clock.today())
        except AsyeError as error:
            db.session.rollback()
            field_error(form, error)
        else:
            db.session.commit()
            flash(f"‘{entry.title}’ has been added to the portfolio.", "success")
            return redirect(url_for("asye.entry", entry_id=entry.id))
    return render_template("asye/entry_form.html", form=form, kind=spec, enrolment=enrolment, entry=None,
                           locked=_read_only_sentence(enrolment))


@bp.route("/asye/entries/<int:entry_id>")
@access(record=SEE)
def entry(entry_id: int):
    entry, standing = _entry_or_404(entry_id)
    locked = _read_only_sentence(entry.enrolment)
    return render_template("asye/entry.html", entry=entry, kind=KINDS[entry.kind], enrolment=entry.enrolment,
                           can_change=not locked and entry_services.may_change(entry, actor()), locked=locked,
                           max_attachments=entry_services.MAX_ATTACHMENTS)


@bp.route("/asye/entries/<int:entry_id>/edit", methods=["GET", "POST"])
@access(record=CHANGE)
def edit_entry(entry_id: int):
    entry = _entry_to_change(entry_id)
    spec = KINDS[entry.kind]
    form = EntryForm().for_kind(spec, queries.standards_of(entry.enrolment.framework_id))
    if request.method == "GET":
        form.fill(entry_services.details_of(entry))
    if form.validate_on_submit():
        try:
            changed = entry_services.update_entry(entry, form.details(), actor(), clock.today())
        except AsyeError as error:
            db.session.rollback()
            field_error(form, error)
        else:
            db.session.commit()
            flash("The entry has been updated." if changed else "Nothing was changed.", "success")
            return redirect(url_for("asye.entry", entry_id=entry.id))
    return render_template("asye/entry_form.html", form=form, kind=spec, enrolment=entry.enrolment, entry=entry,
                           locked=_read_only_sentence(entry.enrolment))


@bp.route("/asye/entries/<int:entry_id>/delete", methods=["GET", "POST"])
@access(record=CHANGE)
def delete_entry(entry_id: int):
    entry = _entry_to_change(entry_id)
    form = ConfirmForm()
    enrolment_id, title = entry.enrolment_id, entry.title
    if form.validate_on_submit():
        try:
            stored = entry_services.delete_entry(entry, actor())
        except AsyeError as error:
            db.session.rollback()
            field_error(form, error)
        else:
            db.session.commit()
            _discard(stored)
            flash(f"‘{title}’ has been deleted from the portfolio.", "success")
            return redirect(url_for("asye.portfolio", enrolment_id=enrolment_id))
    return render_template("asye/delete_entry.html", entry=entry, enrolment=entry.enrolment, form=form,
                           kind_label=lower_first(KINDS[entry.kind].label))


@bp.route("/asye/entries/<int:entry_id>/attachments/new", methods=["GET", "POST"])
@access(record=CHANGE)
def upload_attachment(entry_id: int):
    entry = _entry_to_change(entry_id)
    form = AttachmentForm()
    if form.validate_on_submit():
        try:
            item = entry_services.add_attachment(entry, form.file.data, actor())
        except AsyeError as error:
            db.session.rollback()
            field_error(form, error)
        else:
            db.session.commit()
            flash(f"‘{item.original_name}’ has been added to ‘{entry.title}’.", "success")
            return redirect(url_for("asye.entry", entry_id=entry.id))
    return render_template("asye/attachment_form.html", form=form, entry=entry, enrolment=entry.enrolment,
                           allowed=uploads.ALLOWED_TEXT, max_mb=current_app.config["UPLOAD_MAX_BYTES"] // (1024 * 1024),
                           full=len(entry.attachments) >= entry_services.MAX_ATTACHMENTS)


def _attachment_or_404(attachment_id: int):
    item = queries.attachment_by_id(attachment_id)
    if item is None or not queries.relation(current_user, item.entry.enrolment):
        abort(404)
    return item


@bp.route("/asye/attachments/<int:attachment_id>")
@access(record=SEE)
def attachment(attachment_id: int):
    item = _attachment_or_404(attachment_id)
    return uploads.serve(item.stored_name, item.original_name, item.content_type)


@bp.route("/asye/attachments/<int:attachment_id>/remove", methods=["GET", "POST"])
@access(record=CHANGE)
def remove_attachment(attachment_id: int):
    item = _attachment_or_404(attachment_id)
    entry = item.entry
    if not entry_services.may_change(entry, actor()):
        abort(403)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = item.original_name
        try:
            stored = entry_services.remove_attachment(item, actor())
        except AsyeError as error:
            db.session.rollback()
            field_error(form, error)
        else:
            db.session.commit()
            _discard([stored])
            flash(f"‘{name}’ has been removed from ‘{entry.title}’.", "success")
            return redirect(url_for("asye.entry", entry_id=entry.id))
    return render_template("asye/remove_attachment.html", item=item, entry=entry, enrolment=entry.enrolment, form=form)
