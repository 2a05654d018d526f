"""Completions import pages for the OD team: upload a CSV or xAPI file, see every problem or a
preview, then confirm.

The checked file waits under UPLOAD_DIR/completion-imports/<token>.upload between the preview and the
confirmation; the confirmation checks it again (the database may have changed meanwhile) and applies
all or none.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from lnd.core import clock
from lnd.core.auth import access
from lnd.core.imports import PendingUploads, error_list, read_upload
from lnd.people.models import OD_ADMIN
from lnd.reports import import_services as imports
from lnd.reports.blueprint import bp
from lnd.reports.import_csv import COLUMNS, LABELS
from lnd.reports.import_forms import CompletionsUploadForm, ConfirmCompletionsForm

# session "completion_imports": token -> original file name, for this person's previews only
PENDING = PendingUploads("completion-imports", "completion_imports", ".upload")
ACTION_TAGS = {
    imports.ADD: {"text": "Add", "classes": "govuk-tag--green"},
    imports.DUPLICATE: {"text": "Skip", "classes": "govuk-tag--grey"},
}


def _upload_page(form: CompletionsUploadForm, problems=(), status: int = 200, changed_meanwhile: bool = False):
    return render_template("reports/imports/upload.html", upload_form=form, error_list=error_list(form, problems),
                           problem_count=len(problems), changed_meanwhile=changed_meanwhile,
                           columns=COLUMNS, labels=LABELS), status


@bp.route("/imports/completions", methods=["GET", "POST"])
@access(OD_ADMIN)
def import_completions():
    form = CompletionsUploadForm()
    if not form.validate_on_submit():
        return _upload_page(form)
    data, filename = read_upload(form.file, "completions")
    preview = imports.check(data, clock.today())
    if preview.problems:
        return _upload_page(form, preview.problems)
    token = PENDING.store(data, filename) if preview.has_changes else None
    return render_template("reports/imports/preview.html", preview=preview, filename=filename, tags=ACTION_TAGS,
                           confirm_form=ConfirmCompletionsForm(token=token) if token else None,
                           added_rows=[row for row in preview.rows if row.action == imports.ADD],
                           skipped_rows=[row for row in preview.rows if row.action == imports.DUPLICATE])


@bp.route("/imports/completions/confirm", methods=["POST"])
@access(OD_ADMIN)
def confirm_completions_import():
    outcome = PENDING.confirm(
        ConfirmCompletionsForm(),
        lambda data, source: imports.apply_import(data, actor=current_user._get_current_object(),
                                                  today=clock.today(), source=source),
        imports.CompletionImportRejected,
        "Completions were recorded by someone else while the import was being applied")
    if outcome.problems:
        return _upload_page(CompletionsUploadForm(formdata=None), outcome.problems, status=outcome.status,
                            changed_meanwhile=outcome.changed_meanwhile)
    result = outcome.result
    added = f"{result.to_add} completion{'' if result.to_add == 1 else 's'} added"
    flash(f"Import applied: {added}, {result.duplicates} skipped as duplicates, "
          f"{result.ignored_count} ignored (other verbs)", "success")
    return redirect(url_for("reports.import_completions"))
