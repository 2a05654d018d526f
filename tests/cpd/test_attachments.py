"""Evidence files: checked by content and size, stored outside static/, served as a download only to
the owner, their managers and OD, and removed with the record."""
import io
import zipfile
from datetime import date
from pathlib import Path

import pytest

from lnd.core import clock
from lnd.core.models import AuditEvent
from lnd.cpd.models import CpdAttachment
from tests.core.visitors import Visitor, is_login_redirect

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64


def _docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return out.getvalue()


@pytest.fixture
def owner_with_record(app, db, org, make_record):
    clock.freeze(date(2026, 11, 22))
    record = make_record(org.owner, date(2026, 5, 1))
    return org, record, Visitor(app, "owner", org.owner).sign_in()


def _upload(visitor, record, content: bytes, name: str):
    return visitor.post(f"/cpd/records/{record.id}/attachments/new", data={"file": (io.BytesIO(content), name)},
                        content_type="multipart/form-data")


@pytest.mark.parametrize("content, name, message", [
    (PNG, "certificate.pdf", "The selected file is named as a PDF but is a PNG image"),
    (EXE, "certificate.pdf", "The selected file is not really a PDF"),
    (EXE, "setup.exe", "The selected file must be a PDF, PNG, JPEG or Word (.docx) file"),
    (PDF, "notes.docx", "The selected file is named as a Word document but is a PDF"),
    (b"", "empty.pdf", "The selected file is empty"),
])
def test_a_file_that_is_not_what_its_name_says_is_refused(owner_with_record, db, content, name, message):
    org, record, owner = owner_with_record
    response = _upload(owner, record, content, name)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page
    assert "<title>Error: Add evidence" in page
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(CpdAttachment.id))) == 0


def test_no_file_chosen(owner_with_record):
    org, record, owner = owner_with_record
    page = owner.post(f"/cpd/records/{record.id}/attachments/new", data={},
                      content_type="multipart/form-data").get_data(as_text=True)
    assert "Select a file to upload" in page


def test_a_file_over_the_size_limit_is_refused(app, owner_with_record, db, monkeypatch):
    org, record, owner = owner_with_record
    monkeypatch.setitem(app.config, "UPLOAD_MAX_BYTES", 1024)
    page = _upload(owner, record, PDF + b"0" * 2048, "big.pdf").get_data(as_text=True)
    assert "The selected file must be smaller than 1 KB" in page
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 4096)   # far too large: refused before it is read
    response = _upload(owner, record, PDF + b"0" * 8192, "huge.pdf")
    assert response.status_code == 413
    assert "The file is too large" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(CpdAttachment.id))) == 0


@pytest.mark.parametrize("content, name, content_type", [
    (PDF, "Certificate (final).pdf", "application/pdf"),
    (PNG, "whiteboard.png", "image/png"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 32, "photo.jpeg", "image/jpeg"),
    (_docx(), "reflection.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_allowed_files_are_stored_under_a_generated_name_outside_static(app, owner_with_record, db, content, name,
                                                                       content_type):
    org, record, owner = owner_with_record
    assert _upload(owner, record, content, name).status_code == 302
    db.session.rollback()
    item = db.session.scalar(db.select(CpdAttachment))
    assert item.original_name == name and item.content_type == content_type and item.size == len(content)
    stored = Path(app.config["UPLOAD_DIR"]) / item.stored_name
    assert stored.read_bytes() == content
    assert name not in item.stored_name
    assert not str(stored.resolve()).startswith(str(Path(app.static_folder).resolve()))
    assert db.session.scalar(db.select(AuditEvent).filter_by(action="cpd_attachment_added")) is not None


def test_served_as_an_attachment_only_to_the_owner_their_managers_and_od(app, owner_with_record, db):
    org, record, owner = owner_with_record
    assert _upload(owner, record, PDF, "certificate.pdf").status_code == 302
    db.session.rollback()
    item = db.session.scalar(db.select(CpdAttachment))
    url = f"/cpd/attachments/{item.id}"
    for name in ("owner", "manager", "senior", "od"):
        visitor = owner if name == "owner" else Visitor(app, name, getattr(org, name)).sign_in()
        response = visitor.get(url)
        assert response.status_code == 200, name
        assert response.headers["Content-Disposition"].startswith("attachment;"), name
        assert 'filename="certificate.pdf"' in response.headers["Content-Disposition"] or \
            "filename=certificate.pdf" in response.headers["Content-Disposition"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.mimetype == "application/pdf"
        assert response.data == PDF
    for name in ("peer", "unrelated", "other_manager"):
        response = Visitor(app, name, getattr(org, name)).sign_in().get(url)
        assert response.status_code == 404, name
        assert response.data != PDF
    assert is_login_redirect(Visitor(app, "anonymous").get(url))


def test_removing_a_file_and_deleting_a_record_remove_the_stored_files(app, owner_with_record, db):
    org, record, owner = owner_with_record
    _upload(owner, record, PDF, "one.pdf")
    _upload(owner, record, PNG, "two.png")
    db.session.rollback()
    one, two = db.session.scalars(db.select(CpdAttachment).order_by(CpdAttachment.id)).all()
    folder = Path(app.config["UPLOAD_DIR"])
    page = owner.get(f"/cpd/attachments/{one.id}/remove").get_data(as_text=True)
    assert "Are you sure you want to remove one.pdf?" in page
    assert owner.post(f"/cpd/attachments/{one.id}/remove").status_code == 302
    assert not (folder / one.stored_name).exists() and (folder / two.stored_name).exists()
    assert owner.post(f"/cpd/records/{record.id}/delete").status_code == 302
    assert not (folder / two.stored_name).exists()
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(CpdAttachment.id))) == 0
