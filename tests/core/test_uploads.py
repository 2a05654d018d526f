"""Uploads are recognised by their content, limited in size, stored under generated names and only
ever served as downloads."""
import io
import zipfile

import pytest
from werkzeug.datastructures import FileStorage

from lnd.core import uploads

PDF = b"%PDF-1.7\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.exe", "MZ")
    return buffer.getvalue()


@pytest.mark.parametrize("content, expected", [
    (PDF, uploads.PDF), (PNG, uploads.PNG), (JPEG, uploads.JPEG), (docx_bytes(), uploads.DOCX),
    (plain_zip(), None), (b"MZ\x90\x00", None), (b"<html><script>", None), (b"GIF89a", None), (b"", None),
])
def test_types_are_recognised_by_their_magic_bytes(content, expected):
    assert uploads.detect_type(content) is expected


def _file(content: bytes, name: str) -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=name)


def test_a_file_named_pdf_that_is_not_is_refused(app):
    with app.app_context(), pytest.raises(uploads.UploadError, match="must be a PDF, PNG, JPEG or Word"):
        uploads.save(_file(b"#!/bin/sh\nrm -rf /", "certificate.pdf"))


def test_size_limit_comes_from_config(app, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    with app.app_context():
        with pytest.raises(uploads.UploadError, match="smaller than 1 KB"):
            uploads.save(_file(PDF + b"0" * 2000, "big.pdf"))
        with pytest.raises(uploads.UploadError, match="empty"):
            uploads.save(_file(b"", "empty.pdf"))
        with pytest.raises(uploads.UploadError, match="Select a file"):
            uploads.save(None)


def test_stored_under_a_generated_name_in_the_upload_folder(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    with app.app_context():
        stored = uploads.save(_file(PNG, "../../etc/passwd"))
        assert stored.stored_name.endswith(".png") and "/" not in stored.stored_name
        assert stored.original_name == "passwd.png"
        assert stored.content_type == "image/png" and stored.size == len(PNG)
        assert (tmp_path / "uploads" / stored.stored_name).read_bytes() == PNG
        with pytest.raises(ValueError):
            uploads.path_of("../secret.png")


def test_served_only_as_an_attachment(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "UPLOAD_DIR", str(tmp_path / "uploads"))
    with app.test_request_context():
        stored = uploads.save(_file(docx_bytes(), "report.docx"))
        response = uploads.serve(stored.stored_name, stored.original_name, stored.content_type)
        response.direct_passthrough = False
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert "report.docx" in response.headers["Content-Disposition"]
        assert response.headers["Cache-Control"] == "private, no-store"
        from werkzeug.exceptions import NotFound

        with pytest.raises(NotFound):
            uploads.serve("../../app.py", "x", "text/plain")
