"""The OD team's upload page: the preview with its counts and rows, every problem with its line,
confirming, importing the same file twice, and nobody else may use it."""
from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest

from lnd.core import clock
from tests.reports._import_support import (  # noqa: F401  (world is a fixture)
    ATTEMPTED, DOLS_ID, PREVENT_ID, TODAY, as_array, as_lines, completion_count, csv_bytes, import_audits,
    statement, statement_count, world,
)

URL = "/reports/imports/completions"
CONFIRM = "/reports/imports/completions/confirm"


@pytest.fixture(autouse=True)
def _today():
    clock.freeze(TODAY)


def text_of(response) -> str:
    body = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(body))


def upload(client, data: bytes, name: str = "statements.json"):
    return client.post(URL, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def token_in(page: str) -> str:
    return re.search(r'name="token"[^>]*value="([^"]+)"', page).group(1)


def pending_dir(app) -> Path:
    return Path(app.config["UPLOAD_DIR"]) / "completion-imports"


def test_people_other_than_od_cannot_use_the_import(client, make_person, login, world):
    login(make_person(roles=["staff", "manager", "supervisor", "asye_assessor"]))
    assert client.get(URL).status_code == 403
    assert upload(client, as_lines(statement(1))).status_code == 403
    assert client.post(CONFIRM, data={"token": "x" * 43}).status_code == 403
    assert completion_count() == 0


def test_the_upload_page_explains_both_kinds_of_file(client, login, world):
    login(world.od)
    response = client.get(URL)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Import e-learning completions" in page and 'type="file"' in page
    assert 'enctype="multipart/form-data"' in page
    words = text_of(response)
    assert "person Email address or employee number of the person" in words
    assert "completed_on The date it was completed (YYYY-MM-DD or DD/MM/YYYY)" in words
    assert "mailto:" in words and "completed or passed" in words
    assert "style=" not in page and "<script>" not in page


def test_preview_shows_the_counts_and_rows_then_confirming_adds_them(app, db, client, login, world):
    login(world.od)
    data = as_array(statement(1), statement(2, email=None, number="D1024", course=DOLS_ID),
                    statement(3, verb=ATTEMPTED), statement(4, verb=ATTEMPTED))
    response = upload(client, data)
    assert response.status_code == 200
    words = text_of(response)
    assert "Check the completions import" in words and "statements.json" in words
    assert "Completions to add 2" in words
    assert "Skipped as duplicates 0" in words
    assert "Ignored (other verbs) 2 (2 attempted)" in words
    assert ("2 Sam Okafor sam.okafor@example.org Safeguarding Against Radicalisation - The Prevent Duty "
            "1 November 2026 Add") in words
    assert "Ben Turner D1024 Deprivation of Liberty Safeguards (DoLS)" in words
    assert completion_count() == 0
    token = token_in(response.get_data(as_text=True))
    assert (pending_dir(app) / f"{token}.upload").is_file()

    confirmed = client.post(CONFIRM, data={"token": token})
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == URL
    assert ("Import applied: 2 completions added, 0 skipped as duplicates, 2 ignored (other verbs)"
            in text_of(client.get(URL)))
    db.session.expire_all()
    assert completion_count() == 2 and statement_count() == 2
    (audit,) = import_audits()
    assert audit.actor_id == world.od.id and audit.after["source"] == "statements.json"
    assert not (pending_dir(app) / f"{token}.upload").exists()
    again = client.post(CONFIRM, data={"token": token})
    assert again.status_code == 400 and "could not be found" in again.get_data(as_text=True)
    assert completion_count() == 2

    # The same file again: nothing to add, and no button to press.
    second = upload(client, data)
    words = text_of(second)
    assert "Completions to add 0" in words and "Skipped as duplicates (2)" in words
    assert "This statement was imported before." in words
    assert "There is nothing to import" in words and "Confirm and add completions" not in words


def test_every_bad_row_is_listed_with_its_line_and_nothing_is_stored(app, db, client, login, world):
    login(world.od)
    response = upload(client, csv_bytes("sam.okafor@example.org,Neglect,2026-11-01",
                                        "nobody@example.org,Neglect,2026-11-01",
                                        "D1004,Not a course,2026-11-01",
                                        "D1004,Neglect,32/10/2026",
                                        "D1004,Neglect,2026-11-30"), "export.csv")
    page = response.get_data(as_text=True)
    words = text_of(response)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "<title>Error: " in page
    assert "Nothing has been imported. 4 problems found:" in words
    assert "Line 3: No one in the system has the email address “nobody@example.org”." in words
    assert "Line 4: No course has the e-learning platform id or the exact title “Not a course”." in words
    assert "Line 5: The completion date “32/10/2026” is not a real date." in words
    assert "Line 6: The completion date 30 November 2026 is in the future." in words
    assert "Confirm and add completions" not in page
    assert completion_count() == 0
    assert not pending_dir(app).exists() or not list(pending_dir(app).glob("*"))


def test_malformed_json_is_reported_on_the_page(client, login, world):
    login(world.od)
    words = text_of(upload(client, as_lines(statement(1)) + b'{"id": \n', "statements.jsonl"))
    assert "Line 2: The line is not valid JSON" in words


@pytest.mark.parametrize("data, words", [
    (b"[" * 50000, "Line 1: The file cannot be read: its lists or objects are nested too deeply."),
    (b'{"id": ' + b"9" * 5000 + b"}\n", "Line 1: The line cannot be read: it holds a number with too many digits."),
])
def test_json_nested_too_deeply_or_with_huge_numbers_is_reported_on_the_page(app, client, login, world, data, words):
    login(world.od)
    response = upload(client, data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.get_data(as_text=True) and words in text_of(response)
    assert "Confirm and add completions" not in response.get_data(as_text=True)
    assert not pending_dir(app).exists() or not list(pending_dir(app).glob("*"))


@pytest.mark.parametrize("data, name, words", [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "statements.json", "it looks like a PNG image"),
    (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.png", "The selected file must be a CSV or JSON file"),
    (b"", "empty.csv", "The file is empty."),
])
def test_files_that_cannot_be_imported_say_why(client, login, world, data, name, words):
    login(world.od)
    response = upload(client, data, name)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.get_data(as_text=True) and words in text_of(response)


def test_no_file_chosen(client, login, world):
    login(world.od)
    response = client.post(URL, data={}, content_type="multipart/form-data")
    assert "Select a CSV or JSON file of completions to import" in text_of(response)


@pytest.mark.parametrize("token", ["../../etc/passwd", "", "short", "a" * 43])
def test_confirm_refuses_tokens_that_are_not_plain_or_not_ours(db, client, login, world, token):
    login(world.od)
    assert client.post(CONFIRM, data={"token": token}).status_code == 400
    assert completion_count() == 0


def test_confirm_checks_the_file_again(app, db, client, login, world):
    login(world.od)
    token = token_in(upload(client, as_lines(statement(1))).get_data(as_text=True))
    world.prevent.external_id = "https://learn.example.org/activity/prevent-v2"   # changed meanwhile
    db.session.commit()
    response = client.post(CONFIRM, data={"token": token})
    words = text_of(response)
    assert "The records changed after you checked the file" in words
    assert f"Line 1: No course has the e-learning platform id “{PREVENT_ID}”." in words
    assert completion_count() == 0
    assert not (pending_dir(app) / f"{token}.upload").exists()


def test_another_od_member_cannot_confirm_my_preview(app, db, client, login, world, make_person):
    login(world.od)
    token = token_in(upload(client, as_lines(statement(1))).get_data(as_text=True))
    other = app.test_client()
    response = other.post("/login", data={"email": make_person(roles=["od_admin"]).email,
                                          "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert other.post(CONFIRM, data={"token": token}).status_code == 400
    assert completion_count() == 0
