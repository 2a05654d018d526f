"""Each role's main journey through the pages that exist, with axe-core on every page visited.

The server's date is 22 November 2026 (LND_TODAY); the demo new starter, Noah Clarke, started on
Monday 9 November 2026, so his Children's Services induction (4 weeks) is due by 7 December 2026.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import check_accessibility, sign_in, sign_out

pytestmark = pytest.mark.e2e

INDUCTION = "Children’s Services – Induction"


def test_new_starter_sees_induction_due_opens_a_course_and_signs_out(page):
    sign_in(page, "new.starter@example.org")

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Noah")
    induction = page.get_by_role("heading", name=re.compile(f"^{INDUCTION}:"))
    expect(induction).to_contain_text("complete within 4 weeks of starting, by 7 December 2026")
    section = page.locator("section", has=induction)
    expect(section.get_by_role("cell", name="Due by 7 December 2026").first).to_be_visible()
    expect(section.get_by_role("link", name="LCS/EHM Training")).to_be_visible()

    section.get_by_role("link", name="LCS/EHM Training").click()
    expect(page).to_have_url(re.compile(r"/courses/lcs-ehm-training$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("LCS/EHM Training")
    check_accessibility(page)

    sign_out(page)
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("You have signed out.")).to_be_visible()

    # Signed out means signed out: the home page asks for a sign-in again.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=%2F$"))
    check_accessibility(page)


STAFF_CSV_WITH_BAD_ROW = (
    "employee_number,first_name,last_name,email,job_role,team,manager_employee_number,start_date,leaving_date\n"
    "E2E001,Imogen,Harper,imogen.harper@example.org,Social Worker,Assessment,D1003,2026-11-30,\n"
    "E2E002,Felix,Ward,felix.ward@example.org,Social Worker,Assessment,D1003,31/02/2026,\n"
)
STAFF_CSV_GOOD = (
    "employee_number,first_name,last_name,email,job_role,team,manager_employee_number,start_date,leaving_date\n"
    "E2E001,Imogen,Harper,imogen.harper@example.org,Social Worker,Assessment,D1003,2026-11-30,\n"
    "E2E002,Felix,Ward,felix.ward@example.org,Social Worker,Assessment,D1003,2026-12-07,\n"
)


def _upload(page, name: str, content: str) -> None:
    page.get_by_label("Upload the staff list").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode("utf-8")}])
    with page.expect_navigation():
        page.get_by_role("button", name="Check the file").click()
    check_accessibility(page)


def test_od_searches_the_catalogue_edits_a_course_and_checks_a_staff_import(page):
    """The server's database lasts the whole session: this renames Life Story Work (no other journey
    uses it) and stops at the import preview, so nobody is added."""
    sign_in(page, "od.admin@example.org")

    # Search the catalogue with words and a filter.
    page.goto("/courses")
    check_accessibility(page)
    page.get_by_label("Search by words in the title or description").fill("life story")
    page.get_by_label("Section of the offer").select_option(label="The Core Offer")
    with page.expect_navigation():
        page.get_by_label("Search by words in the title or description").press("Enter")
    check_accessibility(page)
    expect(page).to_have_url(re.compile(r"/courses\?.*q=life\+story"))
    results = page.get_by_role("main")
    expect(results.get_by_role("link", name="Life Story Work", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name="GDPR Training")).to_have_count(0)

    # Open the course and edit its title.
    with page.expect_navigation():
        results.get_by_role("link", name="Life Story Work", exact=True).click()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Edit this course").click()
    expect(page).to_have_url(re.compile(r"/courses/life-story-work/edit$"))
    check_accessibility(page)
    page.get_by_label("Course title", exact=True).fill("Life Story Work with Children in Care")
    with page.expect_navigation():
        page.get_by_role("button", name="Save course").click()
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Life Story Work with Children in Care")

    # A staff file with a bad row: every problem listed by line, nothing imported.
    page.get_by_role("link", name="Import staff").first.click()
    expect(page).to_have_url(re.compile(r"/people/import$"))
    check_accessibility(page)
    _upload(page, "staff-with-a-bad-row.csv", STAFF_CSV_WITH_BAD_ROW)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem with the file")
    expect(summary).to_contain_text("Nothing has been imported")
    expect(summary.get_by_role("link", name=re.compile(r"^Line 3: .*31.02.2026.*not a real date"))).to_be_visible()
    expect(summary.get_by_role("link", name=re.compile(r"^Line 2:"))).to_have_count(0)

    # The corrected file: a preview of what would change, nothing saved yet.
    _upload(page, "staff.csv", STAFF_CSV_GOOD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the staff import")
    expect(page.get_by_text("Nothing has been saved yet.")).to_be_visible()
    changes = page.get_by_role("table")
    expect(changes).to_contain_text("Imogen Harper")
    expect(changes).to_contain_text("Felix Ward")
    expect(page.get_by_role("button", name="Confirm and apply import")).to_be_visible()
