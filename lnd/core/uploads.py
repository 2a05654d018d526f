"""Uploaded evidence: allow-listed types recognised by their content (not their name or the
browser's word), a size limit (UPLOAD_MAX_BYTES), stored under a generated name in UPLOAD_DIR
(outside the static folder) and served only as a download, after the caller's access check."""
from __future__ import annotations

import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from flask import abort, current_app, send_file

_STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(pdf|png|jpg|docx)$")


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    label: str


PDF = FileType("pdf", "application/pdf", "PDF")
PNG = FileType("png", "image/png", "PNG image")
JPEG = FileType("jpg", "image/jpeg", "JPEG image")
DOCX = FileType("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document")
ALLOWED = (PDF, PNG, JPEG, DOCX)
ALLOWED_TEXT = "a PDF, PNG, JPEG or Word (.docx) file"


class UploadError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    original_name: str
    content_type: str
    size: int


def _is_docx(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and "word/document.xml" in names


def detect_type(content: bytes) -> FileType | None:
    """The allow-listed type the bytes really are, from their magic numbers; None otherwise."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"PK\x03\x04") and _is_docx(content):
        return DOCX
    return None


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MB"
    return f"{size // 1024} KB"


def read_checked(file_storage) -> tuple[bytes, FileType]:
    """The upload's bytes and type, or an UploadError saying what is wrong."""
    if file_storage is None or not getattr(file_storage, "filename", ""):
        raise UploadError("Select a file")
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    content = file_storage.stream.read(limit + 1)
    if not content:
        raise UploadError("The selected file is empty")
    if len(content) > limit:
        raise UploadError(f"The selected file must be smaller than {_human_size(limit)}")
    kind = detect_type(content)
    if kind is None:
        raise UploadError(f"The selected file must be {ALLOWED_TEXT}")
    return content, kind


# What a file's name says it is -> the type its content must be.
TYPES_BY_EXTENSION = {"pdf": PDF, "png": PNG, "jpg": JPEG, "jpeg": JPEG, "docx": DOCX}


def _a(label: str) -> str:
    return f"an {label}" if label[0] in "AEIOU" else f"a {label}"


def check_name_matches_content(file_storage) -> None:
    """Refuse a file whose content is not what its name says (a .pdf that is really an image or a
    program), with an UploadError; an unnamed upload is left to save() to refuse."""
    name = (getattr(file_storage, "filename", "") or "").strip()
    if not name:
        return  # save() says a file must be chosen
    claimed = TYPES_BY_EXTENSION.get(PurePath(name).suffix.lower().lstrip("."))
    if claimed is None:
        raise UploadError(f"The selected file must be {ALLOWED_TEXT}")
    head = file_storage.stream.read(current_app.config["UPLOAD_MAX_BYTES"] + 1)
    file_storage.stream.seek(0)
    actual = detect_type(head) if head else claimed
    if actual is None:
        raise UploadError(f"The selected file is not really {_a(claimed.label)}: it must be {ALLOWED_TEXT}")
    if actual is not claimed:
        raise UploadError(f"The selected file is named as {_a(claimed.label)} but is {_a(actual.label)}: "
                          "check you chose the right file")


def _folder() -> Path:
    folder = Path(current_app.config["UPLOAD_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _safe_original(name: str, kind: FileType) -> str:
    stem = re.sub(r"[^A-Za-z0-9 ._()-]+", "_", Path(name or "file").name).strip(" .") or "file"
    stem = stem[:200]
    if not stem.lower().endswith("." + kind.extension) and not (kind is JPEG and stem.lower().endswith(".jpeg")):
        stem = f"{stem}.{kind.extension}"
    return stem


def save(file_storage) -> StoredFile:
    """Check and store an upload; the caller records the returned name with its own row."""
    content, kind = read_checked(file_storage)
    stored_name = f"{secrets.token_hex(16)}.{kind.extension}"
    (_folder() / stored_name).write_bytes(content)
    return StoredFile(stored_name=stored_name, original_name=_safe_original(file_storage.filename, kind),
                      content_type=kind.content_type, size=len(content))


def save_columns(file_storage, uploaded_by_id: int | None) -> dict:
    """Check and store an upload; the StoredFileColumns values for the caller's attachment row."""
    stored = save(file_storage)
    return {"stored_name": stored.stored_name, "original_name": stored.original_name[:255],
            "content_type": stored.content_type, "size": stored.size, "uploaded_by_id": uploaded_by_id}


def added_details(attachment) -> dict:
    """What the audit log keeps about a newly added attachment."""
    return {"attachment_id": attachment.id, "name": attachment.original_name, "size": attachment.size,
            "content_type": attachment.content_type}


def path_of(stored_name: str) -> Path:
    if not _STORED_NAME.match(stored_name or ""):
        raise ValueError("Not a stored file name.")
    return _folder() / stored_name


def delete(stored_name: str) -> None:
    try:
        path_of(stored_name).unlink(missing_ok=True)
    except ValueError:
        pass


def serve(stored_name: str, download_name: str, content_type: str):
    """Send a stored file as an attachment (never rendered inline). Check access before calling."""
    try:
        path = path_of(stored_name)
    except ValueError:
        abort(404)
    if not path.is_file():
        abort(404)
    response = send_file(path, mimetype=content_type, as_attachment=True, download_name=download_name,
                         max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response
