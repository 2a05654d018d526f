"""What the file imports share (the HR staff list and the e-learning completions): problems with a
line, reading uploaded bytes as text, CSV records with their line numbers, dates, the checked file
that waits between the preview and the confirmation, and the confirm step of the page and the CLI.

Each import keeps its own columns, rows, words and services; the messages it shows are passed in.
"""
from __future__ import annotations

import csv
import io
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import click
from flask import current_app, session
from sqlalchemy.exc import IntegrityError

from lnd.core.db import writing
from lnd.extensions import db

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{32,64}$"
_TOKEN = re.compile(TOKEN_PATTERN)
_SIGNATURES = {
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"%PDF": "a PDF",
    b"PK\x03\x04": "an Excel workbook or zip file", b"\xd0\xcf\x11\xe0": "an Excel 97-2003 workbook",
}
# A date, optionally followed by a time of day (dropped) when the import allows one.
_ISO_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?P<time>[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_UK_DATE = re.compile(r"^(\d{1,2}/\d{1,2}/\d{4})(?P<time> \d{1,2}:\d{2}(?::\d{2})?)?$")


@dataclass(frozen=True)
class Problem:
    """Why a file or one of its rows cannot be imported. `line` is None for the whole file."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return self.message if self.line is None else f"Line {self.line}: {self.message}"


def quote(value: str, limit: int = 40) -> str:
    return f"“{value[:limit]}…”" if len(value) > limit else f"“{value}”"


def column_name(heading: str) -> str:
    """'Start date', 'start-date' -> 'start_date'."""
    return re.sub(r"[\s\-]+", "_", heading.strip().lower())


def parse_date(text: str, *, time_allowed: bool = False) -> date | None:
    """YYYY-MM-DD or DD/MM/YYYY (with `time_allowed`, a time of day after it is dropped); None otherwise."""
    text = text.strip()
    for pattern, fmt in ((_ISO_DATE, "%Y-%m-%d"), (_UK_DATE, "%d/%m/%Y")):
        match = pattern.match(text)
        if match and (time_allowed or not match.group("time")):
            try:
                return datetime.strptime(match.group(1), fmt).date()
            except ValueError:  # 31/02/2026 and the like
                return None
    return None


# ---------------------------------------------------------------------------------------------
# Reading the file
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DecodeMessages:
    """What to say when the bytes are not a text file; `not_text` has {kind}, `not_utf8` {where}."""

    empty: str
    not_text: str
    binary: str
    not_utf8: str


def decode(data: bytes, say: DecodeMessages) -> tuple[str | None, Problem | None]:
    """The file as text, or the reason it cannot be read as text at all."""
    if not data.strip():
        return None, Problem(None, say.empty)
    for signature, kind in _SIGNATURES.items():
        if data.startswith(signature):
            return None, Problem(None, say.not_text.format(kind=kind))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(None, say.not_utf8.format(where=" (it is saved as UTF-16)"))
    if b"\x00" in data:
        return None, Problem(None, say.binary)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return None, Problem(None, say.not_utf8.format(where=f" (line {line} has a character that is not UTF-8)"))
    if not text.strip():
        return None, Problem(None, say.empty)
    return text, None


def csv_records(text: str) -> tuple[list[str], list[tuple[int, list[str]]], Problem | None]:
    """(header, [(line, values)] of the non-blank rows, or the problem that stops the file being read).
    Lines are lines of the file, so a value with a line break in it does not put the count out."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    try:
        header = next(reader, [])
        last_line = reader.line_num
        for values in reader:
            if any(v.strip() for v in values):
                records.append((last_line + 1, values))
            last_line = reader.line_num
    except csv.Error:
        return [], [], Problem(None, f"The file is not a CSV file that can be read: line {reader.line_num} is not "
                                     "valid CSV. Check for a quotation mark that is not closed.")
    return header, records, None


def separator_hint(header: list[str]) -> str:
    """A hint for a header that is one column because the file was saved with semicolons or tabs."""
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        return " The columns seem to be separated by semicolons or tabs; save the file with commas."
    return ""


def width_problem(values: list[str], width: int) -> str | None:
    """A row with fewer values than the header has columns, or more that are not blank."""
    if len(values) < width or any(v.strip() for v in values[width:]):
        return (f"The row has {len(values)} values but the header row has {width} columns. "
                "Check for a missing or extra comma, or a value that needs quotation marks.")
    return None


# ---------------------------------------------------------------------------------------------
# The page: the checked file waits between the preview and the confirmation
# ---------------------------------------------------------------------------------------------

NOT_FOUND = ("The checked file could not be found: it may already have been imported. "
             "Upload the file again to check it.")


def read_upload(file_field, default_name: str) -> tuple[bytes, str]:
    """The uploaded bytes and the file's own name (no folders, at most 100 characters)."""
    return file_field.data.read(), Path(file_field.data.filename or default_name).name[:100]


def error_list(form, problems) -> list[dict]:
    """The GOV.UK error summary of an upload form: the file's problems, or the form's own errors."""
    if problems:
        form.file.errors = ["The file has problems. Fix the rows listed and upload it again"]
        return [{"text": str(problem), "href": "#file"} for problem in problems]
    return [{"text": message, "href": f"#{form[name].id}"} for name, messages in form.errors.items()
            for message in messages[:1]]


@dataclass
class Confirmed:
    """What confirming gave: the applied preview, or the problems to show on the upload page."""

    result: object = None
    problems: list = field(default_factory=list)
    status: int = 200
    changed_meanwhile: bool = False


@dataclass(frozen=True)
class PendingUploads:
    """Checked files under UPLOAD_DIR/<folder>/<token><suffix>, each known to the session of the
    person who uploaded it (token -> original name; the last `keep`). Files nobody confirmed are
    removed after `stale_after` seconds."""

    folder_name: str
    session_key: str
    suffix: str
    keep: int = 5
    stale_after: int = 24 * 60 * 60

    def folder(self) -> Path:
        folder = Path(current_app.config["UPLOAD_DIR"]) / self.folder_name
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def store(self, data: bytes, filename: str) -> str:
        folder = self.folder()
        cutoff = time.time() - self.stale_after
        for old in folder.glob(f"*{self.suffix}"):  # previews nobody confirmed
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        token = secrets.token_urlsafe(32)
        (folder / f"{token}{self.suffix}").write_bytes(data)
        pending = dict(list((session.get(self.session_key) or {}).items())[-(self.keep - 1):])
        pending[token] = filename
        session[self.session_key] = pending
        return token

    def forget(self, token: str) -> None:
        pending = dict(session.get(self.session_key) or {})
        pending.pop(token, None)
        session[self.session_key] = pending
        (self.folder() / f"{token}{self.suffix}").unlink(missing_ok=True)

    def find(self, token: str) -> tuple[bytes, str] | None:
        """(the bytes, the original name) of this person's checked file; None for any other token."""
        pending = session.get(self.session_key) or {}
        if not _TOKEN.fullmatch(token) or token not in pending:
            return None
        path = self.folder() / f"{token}{self.suffix}"
        return (path.read_bytes(), pending[token]) if path.is_file() else None

    def confirm(self, form, apply: Callable[[bytes, str], object], rejected: type[Exception],
                raced: str) -> Confirmed:
        """Apply the checked file named by the form's token (`apply(data, original name)` checks it
        again and raises `rejected`, carrying the new preview, when it has problems now); commit,
        or roll back and say why (`raced`: a clash with someone else's change at the same moment)."""
        token = form.token.data or ""
        found = self.find(token) if form.validate_on_submit() else None
        if found is None:
            return Confirmed(problems=[Problem(None, NOT_FOUND)], status=400)
        try:
            result = apply(*found)
        except rejected as error:
            db.session.rollback()
            self.forget(token)
            return Confirmed(problems=error.preview.problems, changed_meanwhile=True)
        except IntegrityError:
            db.session.rollback()
            self.forget(token)
            return Confirmed(problems=[Problem(None, f"{raced}. Upload the file again to check it.")],
                             changed_meanwhile=True)
        db.session.commit()
        self.forget(token)
        return Confirmed(result=result)


# ---------------------------------------------------------------------------------------------
# The CLI: `... import FILE [--dry-run]`
# ---------------------------------------------------------------------------------------------

def fail(preview) -> None:
    """Say what the rows without problems would do and list the problems on stderr; exit 1."""
    click.echo(f"Rows without problems: {preview.summary()}.")
    count = len(preview.problems)
    click.echo(f"The file has {count} problem{'' if count == 1 else 's'}; nothing was changed.", err=True)
    for problem in preview.problems:
        click.echo(str(problem), err=True)
    raise click.exceptions.Exit(1)


def run_import(data: bytes, *, dry_run: bool, check: Callable[[bytes], object], apply: Callable[[bytes], object],
               rejected: type[Exception], raced: str, echo: Callable[[object], None]):
    """Check (a dry run) or apply a file, all rows or none, echoing the preview; the applied
    preview, or None after a dry run. `raced` says what clashed with someone else's change."""
    if dry_run:
        preview = check(data)
        db.session.rollback()
        if preview.problems:
            fail(preview)
        echo(preview)
        click.echo("Dry run: nothing was changed.")
        return None
    try:
        with writing():
            preview = apply(data)
            db.session.commit()
    except rejected as error:
        db.session.rollback()
        fail(error.preview)
    except IntegrityError:
        db.session.rollback()
        raise click.ClickException(f"{raced}; nothing was changed. Run the import again.") from None
    echo(preview)
    return preview
