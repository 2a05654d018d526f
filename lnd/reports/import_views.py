"""Completions import pages for the OD team: upload a CSV or xAPI file, see every problem or a
preview, then confirm.

The checked file waits under UPLOAD_DIR/completion-imports/<token>.upload between the preview and the
confirmation; the confirmation checks it again (the database may have changed meanwhile) and applies
all or none.
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
from lnd.people.models import OD_ADMIN
from lnd.reports import import_services as imports
from lnd.reports.blueprint import bp
from lnd.reports.import_csv import COLUMNS, LABELS
from lnd.reports.import_forms import TOKEN_PATTERN, CompletionsUploadForm, ConfirmCompletionsForm
from lnd.reports.imports import Problem

PENDING_KEY = "completion_imports"   # session: token -> original file name, for this person's previews only
PENDING_KEEP = 5
STALE_AFTER_SECONDS = 24 * 60 * 60
SUFFIX = ".upload"
ACTION_TAGS = {
    imports.ADD: {"text": "Add", "classes": "govuk-tag--green"},
    imports.DUPLICATE: {"text": "Skip", "classes": "govuk-tag--grey"},
}
_TOKEN = re.compile(TOKEN_PATTERN)


def _pending_dir() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"]) / "completion-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _store(data: bytes, filename: str) -> str:
    folder = _pending_dir()
    cutoff = time.time() - STALE_AFTER_SECONDS
    for old in folder.glob(f"*{SUFFIX}"):  # previews nobody confirmed
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(32)
    (folder / f"{token}{SUFFIX}").write_bytes(data)
    pending = dict(list((session.get(PENDING_KEY) or {}).items())[-(PENDING_KEEP - 1):])
    pending[token] = filename
    session[PENDING_KEY] = pending
    return token


def _forget(token: str) -> None:
    pending = dict(session.get(PENDING_KEY) or {})
    pending.pop(token, None)
    session[PENDING_KEY] = pending
    (_pending_dir() / f"{token}{SUFFIX}").unlink(missing_ok=True)


def _upload_page(form: CompletionsUploadForm, problems=(), status: int = 200, changed_meanwhile: bool = False):
    if problems:
        form.file.errors = ["The file has problems. Fix the rows listed and upload it again"]
        error_list = [{"text": str(problem), "href": "#file"} for problem in problems]
    else:
        error_list = [{"text": message, "href": f"#{form[name].id}"} for name, messages in form.errors.items()
                      for message in messages[:1]]
    return render_template("reports/imports/upload.html", upload_form=form, error_list=error_list,
                           problem_count=len(problems), changed_meanwhile=changed_meanwhile,
                           columns=COLUMNS, labels=LABELS), status


@bp.route("/imports/completions", methods=["GET", "POST"])
@access(OD_ADMIN)
def import_completions():
    form = CompletionsUploadForm()
    if not form.validate_on_submit():
        return _upload_page(form)
    data = form.file.data.read()
    filename = Path(form.file.data.filename or "completions").name[:100]
    preview = imports.check(data, clock.today())
    if preview.problems:
        return _upload_page(form, preview.problems)
    token = _store(data, filename) if preview.has_changes else None
    return render_template("reports/imports/preview.html", preview=preview, filename=filename, tags=ACTION_TAGS,
                           confirm_form=ConfirmCompletionsForm(token=token) if token else None,
                           added_rows=[row for row in preview.rows if row.action == imports.ADD],
                           skipped_rows=[row for row in preview.rows if row.action == imports.DUPLICATE])


@bp.route("/imports/completions/confirm", methods=["POST"])
@access(OD_ADMIN)
def confirm_completions_import():
    form = ConfirmCompletionsForm()
    token = form.token.data or ""
    pending = session.get(PENDING_KEY) or {}
    valid = form.validate_on_submit() and _TOKEN.fullmatch(token) and token in pending
    path = _pending_dir() / f"{token}{SUFFIX}"
    if not valid or not path.is_file():
        return _upload_page(CompletionsUploadForm(formdata=None), [Problem(
            None, "The checked file could not be found: it may already have been imported. "
                  "Upload the file again to check it.")], status=400)
    try:
        result = imports.apply_import(path.read_bytes(), actor=current_user._get_current_object(),
                                      today=clock.today(), source=pending[token])
    except imports.CompletionImportRejected as rejected:
        db.session.rollback()
        _forget(token)
        return _upload_page(CompletionsUploadForm(formdata=None), rejected.preview.problems, changed_meanwhile=True)
    except IntegrityError:  # the same completions recorded by someone else at the same moment
        db.session.rollback()
        _forget(token)
        return _upload_page(CompletionsUploadForm(formdata=None), [Problem(
            None, "Completions were recorded by someone else while the import was being applied. "
                  "Upload the file again to check it.")], changed_meanwhile=True)
    db.session.commit()
    _forget(token)
    added = f"{result.to_add} completion{'' if result.to_add == 1 else 's'} added"
    flash(f"Import applied: {added}, {result.duplicates} skipped as duplicates, "
          f"{result.ignored_count} ignored (other verbs)", "success")
    return redirect(url_for("reports.import_completions"))
