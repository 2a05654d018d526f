"""Learning journeys, with axe-core on every page visited. The server's date is fixed at 22 November
2026 (LND_TODAY) and `seed --demo` adds upcoming sessions dated from it (lnd/bookings/demo.py): the
next Tri.x seminar is on Monday 30 November 2026.

Demo people: Noah Clarke (new.starter@, started 9 November 2026, so his 4-week induction is due by
7 December 2026) and Sam Okafor (social.worker@, in post since 2021 with his induction overdue), both
managed by Morgan Ellis (manager@) in the Assessment team.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import check_accessibility, sign_in

pytestmark = pytest.mark.e2e

TRIX = "Tri.x – Children’s Services Procedure Manual"
INDUCTION = "Children’s Services – Induction"


def _click(page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    check_accessibility(page)


def test_a_new_starter_sees_their_induction_and_books_the_next_trix_seminar(page):
    sign_in(page, "new.starter@example.org")
    _click(page, page.get_by_role("link", name="My learning", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")

    induction = page.locator("section", has=page.get_by_role("heading", name=INDUCTION, exact=True))
    expect(induction).to_contain_text("Complete within 4 weeks of starting: due by 7 December 2026.")
    expect(induction).to_contain_text("2 of 6 completed")
    expect(induction.locator("progress.app-progress")).to_have_attribute("value", "2")
    trix = induction.get_by_role("row", name=re.compile(f"^{re.escape(TRIX)}"))
    expect(trix).to_contain_text("7 December 2026")
    expect(trix).to_contain_text("Due by 7 December 2026")
    expect(trix).to_contain_text("Next session: Monday 30 November 2026, 09:30 to 12:00")
    expect(trix).to_contain_text("16 places left")

    _click(page, trix.get_by_role("button", name=re.compile(r"^Book a place")))
    expect(page.get_by_text("Your place is booked. We have emailed you a calendar invitation.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Tri.x")

    _click(page, page.get_by_role("link", name="Bookings", exact=True))
    upcoming = page.get_by_role("main")
    expect(upcoming).to_contain_text(TRIX)
    expect(upcoming).to_contain_text("30 November 2026")

    _click(page, page.get_by_role("link", name="My learning", exact=True))
    trix = page.get_by_role("row", name=re.compile(f"^{re.escape(TRIX)}"))
    expect(trix).to_contain_text("Booked on a session on 30 November 2026; due by 7 December 2026")
    expect(trix.get_by_role("button")).to_have_count(0)
    expect(page.get_by_role("table", name=re.compile("^Record of learning"))).to_contain_text("GDPR Training")


def test_a_manager_drills_into_an_overdue_person_and_records_their_appraisal(page):
    sign_in(page, "manager@example.org")
    _click(page, page.get_by_role("link", name="My team", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("My team")
    grid = page.get_by_role("table", name=re.compile(r"^Required learning by person"))
    expect(grid.get_by_role("columnheader", name=INDUCTION, exact=True)).to_be_visible()
    first = grid.get_by_role("row").nth(1)
    expect(first).to_contain_text("overdue")

    sam = grid.get_by_role("row", name=re.compile(r"^Sam Okafor"))
    expect(sam).to_contain_text("You (direct report)")
    expect(sam).to_contain_text("overdue")
    _click(page, sam.get_by_role("link", name="Sam Okafor"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sam Okafor: required learning")
    trix = page.get_by_role("row", name=re.compile(f"^{re.escape(TRIX)}"))
    expect(trix).to_contain_text("Overdue")
    expect(trix).to_contain_text("Was due by")
    expect(trix.get_by_role("button")).to_have_count(0)   # a manager sees sessions but books for nobody

    _click(page, page.get_by_role("button", name="Record an appraisal"))
    page.get_by_label("Achievements in the past 12 months").fill(
        "Completed six single assessments on time; presented at two child protection conferences.")
    page.get_by_label("Development needs").fill("Complete the overdue induction courses; supervise a student.")
    page.get_by_label("Goals for the coming year").fill("Practice educator stage 1; keep induction up to date.")
    agreed = page.get_by_role("group", name="Developmental Offer courses agreed (optional)")
    agreed.get_by_label("Practice Educator Stage 1", exact=True).check()
    _click(page, page.get_by_role("button", name="Save appraisal"))
    expect(page.get_by_text("The appraisal of Sam Okafor has been saved.")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Practice Educator Stage 1")
