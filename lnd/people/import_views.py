"""HR import pages for the OD team: upload a CSV, see every problem or a preview, then confirm.

The checked file waits under UPLOAD_DIR/imports/<token>.csv between the preview and the confirmation;
the confirmation checks it again (the database may have changed meanwhile) and applies all or none.
"""
from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from lnd.core import clock
from lnd.core.auth import access
from lnd.extensions import db
from lnd.people import importer
from lnd.people.import_forms import TOKEN_PATTERN, ConfirmImportForm, ImportUploadForm
from lnd.people.models import OD_ADMIN
from lnd.people.views import bp

PENDING_KEY = "staff_imports"   # session: token -> original file name, for this person's previews only
PENDING_KEEP = 5
STALE_AFTER_SECONDS = 24 * 60 * 60
ACTION_TAGS = {
    importer.CREATE: {"text": "New", "classes": "govuk-tag--green"},
    importer.UPDATE: {"text": "Update", "classes": "govuk-tag--blue"},
    importer.UNCHANGED: {"text": "No change", "classes": "govuk-tag--grey"},
}
_TOKEN = re.compile(TOKEN_PATTERN)


def _imports_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store(data: bytes, filename: str) -> str:
    folder = _imports_dir()
    cutoff = time.time() - STALE_AFTER_SECONDS
    for old in folder.glob("*.csv"):  # previews nobody confirmed
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(32)
    (folder / f"{token}.csv").write_bytes(data)
    pending = dict(list((session.get(PENDING_KEY) or {}).items())[-(PENDING_KEEP - 1):])
    pending[token] = filename
    session[PENDING_KEY] = pending
    return token


def _forget(token: str) -> None:
    pending = dict(session.get(PENDING_KEY) or {})
    pending.pop(token, None)
    session[PENDING_KEY] = pending
    (_imports_dir() / f"{token}.csv").unlink(missing_ok=True)


def _upload_page(form: ImportUploadForm, problems=(), status: int = 200, changed_meanwhile: bool = False):
    if problems:
        form.file.errors = ["The file has problems. Fix the rows listed and upload it again"]
        error_list = [{"text": str(problem), "href": "#file"} for problem in problems]
    else:
        error_list = [{"text": message, "href": f"#{form[name].id}"} for name, messages in form.errors.items()
                      for message in messages[:1]]
    return render_template("people/import_upload.html", upload_form=form, error_list=error_list,
                           problem_count=len(problems), changed_meanwhile=changed_meanwhile,
                           columns=importer.COLUMNS, required=importer.REQUIRED, labels=importer.LABELS), status


@bp.route("/people/import", methods=["GET", "POST"])
@access(OD_ADMIN)
def import_upload():
    form = ImportUploadForm()
    if not form.validate_on_submit():
        return _upload_page(form)
    data = form.file.data.read()
    filename = Path(form.file.data.filename or "upload.csv").name[:100]
    preview = importer.check(data)
    if preview.problems:
        return _upload_page(form, preview.problems)
    token = _store(data, filename) if preview.has_changes else None
    return render_template("people/import_preview.html", preview=preview, filename=filename, tags=ACTION_TAGS,
                           confirm_form=ConfirmImportForm(token=token) if token else None,
                           changed_rows=[row for row in preview.rows if row.action != importer.UNCHANGED],
                           unchanged_rows=[row for row in preview.rows if row.action == importer.UNCHANGED])


@bp.route("/people/import/confirm", methods=["POST"])
@access(OD_ADMIN)
def import_confirm():
    form = ConfirmImportForm()
    token = form.token.data or ""
    pending = session.get(PENDING_KEY) or {}
    path = _imports_dir() / f"{token}.csv"
    if not form.validate_on_submit() or not _TOKEN.fullmatch(token) or token not in pending or not path.is_file():
        return _upload_page(ImportUploadForm(formdata=None), [importer.Problem(
            None, "The checked file could not be found: it may already have been imported. "
                  "Upload the file again to check it.")], status=400)
    try:
        result = importer.apply_import(path.read_bytes(), actor=current_user._get_current_object(),
                                       today=clock.today(), source=pending[token])
    except importer.StaffImportRejected as rejected:
        db.session.rollback()
        _forget(token)
        return _upload_page(ImportUploadForm(formdata=None), rejected.preview.problems, changed_meanwhile=True)
    except IntegrityError:  # someone else changed the same people at the same moment
        db.session.rollback()
        _forget(token)
        return _upload_page(ImportUploadForm(formdata=None), [importer.Problem(
            None, "Staff records were changed by someone else while the import was being applied. "
                  "Upload the file again to check it.")], changed_meanwhile=True)
    db.session.commit()
    _forget(token)
    created = f"{result.to_create} {'person' if result.to_create == 1 else 'people'} created"
    flash(f"Import applied: {created}, {result.to_update} updated", "success")
    return redirect(url_for("people.directory"))
