"""HR import pages for the OD team: upload a CSV, see every problem or a preview, then confirm.

The checked file waits under UPLOAD_DIR/imports/<token>.csv between the preview and the confirmation;
the confirmation checks it again (the database may have changed meanwhile) and applies all or none.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from lnd.core import clock
from lnd.core.auth import access
from lnd.core.imports import PendingUploads, error_list, read_upload
from lnd.people import importer
from lnd.people.import_forms import ConfirmImportForm, ImportUploadForm
from lnd.people.models import OD_ADMIN
from lnd.people.views import bp

# session "staff_imports": token -> original file name, for this person's previews only
PENDING = PendingUploads("imports", "staff_imports", ".csv")
ACTION_TAGS = {
    importer.CREATE: {"text": "New", "classes": "govuk-tag--green"},
    importer.UPDATE: {"text": "Update", "classes": "govuk-tag--blue"},
    importer.UNCHANGED: {"text": "No change", "classes": "govuk-tag--grey"},
}


def _upload_page(form: ImportUploadForm, problems=(), status: int = 200, changed_meanwhile: bool = False):
    return render_template("people/import_upload.html", upload_form=form, error_list=error_list(form, problems),
                           problem_count=len(problems), changed_meanwhile=changed_meanwhile,
                           columns=importer.COLUMNS, required=importer.REQUIRED, labels=importer.LABELS), status


@bp.route("/people/import", methods=["GET", "POST"])
@access(OD_ADMIN)
def import_upload():
    form = ImportUploadForm()
    if not form.validate_on_submit():
        return _upload_page(form)
    data, filename = read_upload(form.file, "upload.csv")
    preview = importer.check(data)
    if preview.problems:
        return _upload_page(form, preview.problems)
    token = PENDING.store(data, filename) if preview.has_changes else None
    return render_template("people/import_preview.html", preview=preview, filename=filename, tags=ACTION_TAGS,
                           confirm_form=ConfirmImportForm(token=token) if token else None,
                           changed_rows=[row for row in preview.rows if row.action != importer.UNCHANGED],
                           unchanged_rows=[row for row in preview.rows if row.action == importer.UNCHANGED])


@bp.route("/people/import/confirm", methods=["POST"])
@access(OD_ADMIN)
def import_confirm():
    outcome = PENDING.confirm(
        ConfirmImportForm(),
        lambda data, source: importer.apply_import(data, actor=current_user._get_current_object(),
                                                   today=clock.today(), source=source),
        importer.StaffImportRejected,
        "Staff records were changed by someone else while the import was being applied")
    if outcome.problems:
        return _upload_page(ImportUploadForm(formdata=None), outcome.problems, status=outcome.status,
                            changed_meanwhile=outcome.changed_meanwhile)
    result = outcome.result
    created = f"{result.to_create} {'person' if result.to_create == 1 else 'people'} created"
    flash(f"Import applied: {created}, {result.to_update} updated", "success")
    return redirect(url_for("people.directory"))
