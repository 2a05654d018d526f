"""The OD team imports e-learning completions: gives a Course Library course its e-learning platform
id on the course edit page, uploads the platform's xAPI statements, checks the preview and confirms;
uploading the same file again adds nothing. axe-core checks every page visited.

The people (Ben Turner, D1024, and Jade Robinson, D1021) and the course (Bullying and Cyberbullying in
the Course Library) are ones no other journey relies on.
"""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import check_accessibility, sign_in

pytestmark = pytest.mark.e2e

COURSE = "teeswide-bullying-and-cyberbullying"
ACTIVITY = "https://learn.example.org/activity/bullying-and-cyberbullying"
VERBS = "http://adlnet.gov/expapi/verbs/"
STATEMENTS = json.dumps([
    {"id": "0c9f6a52-2d6e-4c1b-9b7e-0a1f3e5d7c01", "actor": {"mbox": "mailto:ben.turner@example.org"},
     "verb": {"id": VERBS + "completed", "display": {"en-GB": "completed"}},
     "object": {"id": ACTIVITY}, "timestamp": "2026-11-16T14:05:00Z"},
    {"id": "0c9f6a52-2d6e-4c1b-9b7e-0a1f3e5d7c02",
     "actor": {"account": {"homePage": "https://learn.example.org", "name": "D1021"}},
     "verb": {"id": VERBS + "passed", "display": {"en-GB": "passed"}},
     "object": {"id": ACTIVITY}, "timestamp": "2026-11-18T09:30:00Z"},
    {"id": "0c9f6a52-2d6e-4c1b-9b7e-0a1f3e5d7c03", "actor": {"mbox": "mailto:ben.turner@example.org"},
     "verb": {"id": VERBS + "attempted", "display": {"en-GB": "attempted"}},
     "object": {"id": ACTIVITY}, "timestamp": "2026-11-15T10:00:00Z"},
], indent=2)


def _go(page, action) -> None:
    with page.expect_navigation():
        action()
    check_accessibility(page)


def _upload(page) -> None:
    page.get_by_label("Upload the completions file").set_input_files(
        files=[{"name": "bullying-statements.json", "mimeType": "application/json", "buffer": STATEMENTS.encode()}])
    _go(page, lambda: page.get_by_role("button", name="Check the file").click())


def test_od_imports_xapi_statements_twice_and_the_second_import_adds_nothing(page):
    sign_in(page, "od.admin@example.org")

    # The course gets the id the e-learning platform gives it.
    page.goto(f"/courses/{COURSE}")
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Bullying and Cyberbullying")
    _go(page, lambda: page.get_by_role("button", name="Edit this course").click())
    page.get_by_label("E-learning platform id (optional)").fill(ACTIVITY)
    _go(page, lambda: page.get_by_role("button", name="Save course").click())
    expect(page).to_have_url(re.compile(f"/courses/{COURSE}$"))
    expect(page.locator("main")).to_contain_text(ACTIVITY)

    # Reports → Import completions.
    _go(page, lambda: page.get_by_role("link", name="Reports", exact=True).click())
    _go(page, lambda: page.get_by_role("link", name="Import completions").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Import e-learning completions")

    _upload(page)
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the completions import")
    summary = main.locator(".govuk-summary-list")
    expect(summary).to_contain_text(re.compile(r"Completions to add\s*2"))
    expect(summary).to_contain_text(re.compile(r"Skipped as duplicates\s*0"))
    expect(summary).to_contain_text(re.compile(r"Ignored \(other verbs\)\s*1 \(1 attempted\)"))
    rows = main.get_by_role("table", name="Completions that will be added")
    expect(rows.get_by_role("row", name=re.compile("Ben Turner.*Bullying and Cyberbullying.*16 November 2026"))
           ).to_be_visible()
    expect(rows.get_by_role("row", name=re.compile("Jade Robinson.*18 November 2026"))).to_be_visible()
    _go(page, lambda: page.get_by_role("button", name="Confirm and add completions").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Import e-learning completions")
    expect(main).to_contain_text(
        "Import applied: 2 completions added, 0 skipped as duplicates, 1 ignored (other verbs)")

    # The same file again: every statement was imported before, so there is nothing to add.
    _upload(page)
    expect(summary).to_contain_text(re.compile(r"Completions to add\s*0"))
    expect(summary).to_contain_text(re.compile(r"Skipped as duplicates\s*2"))
    expect(main).to_contain_text("There is nothing to import")
    expect(page.get_by_role("button", name="Confirm and add completions")).to_have_count(0)
    main.get_by_text("Skipped as duplicates (2)").click()
    expect(main.get_by_text("This statement was imported before.").first).to_be_visible()
    check_accessibility(page)
