"""CPD journeys, with axe-core on every page visited. The server's date is 22 November 2026: the
registration year 1 December 2025 to 30 November 2026 is in its renewal window, 8 days left.

The demo social worker, Sam Okafor, completed the Core Offer's Neglect (12 February 2026) and
Graded Care Profile (15 October 2026) courses this registration year and has recorded no CPD yet.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import check_accessibility, sign_in

pytestmark = pytest.mark.e2e


def _save(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Save CPD record").click()
    check_accessibility(page)


def test_a_social_worker_turns_completed_core_courses_into_cpd_and_is_ready_for_renewal(page):
    sign_in(page, "social.worker@example.org")
    cpd = page.locator("main")
    expect(cpd.get_by_role("heading", name="Your CPD for Social Work England renewal")).to_be_visible()
    expect(cpd).to_contain_text("Not ready for renewal")
    expect(cpd).to_contain_text("0 pieces of CPD recorded, none with a peer reflection")
    expect(cpd).to_contain_text("8 days until 30 November 2026")

    # One click from the completed course: the course, date and description are filled in.
    with page.expect_navigation():
        page.get_by_role("link", name="Record Neglect as CPD").click()
    expect(page).to_have_url(re.compile(r"/cpd/records/new\?"))
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Record CPD")
    expect(page.get_by_label("Title", exact=True)).to_have_value("Neglect")
    expect(page.get_by_label("Day", exact=True).first).to_have_value("12")
    expect(page.get_by_label("E-learning", exact=True)).to_be_checked()

    # Saving without the reflection: the error summary says what is missing.
    page.get_by_label("Name of the peer").fill("Morgan Ellis")
    _save(page)
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter what you learnt from the activity")).to_be_visible()
    expect(summary.get_by_role("link", name="Select who the peer is")).to_be_visible()

    page.get_by_label("What you learnt from the activity").fill(
        "How neglect builds up over time, and how a chronology makes the pattern visible.")
    page.get_by_label("The impact on your practice and on the people you work with").fill(
        "I start a chronology at the first visit, so children's day-to-day experience is in every plan.")
    page.get_by_label("My line manager or supervisor").check()
    page.get_by_label("What you learnt from discussing the CPD with your peer").fill(
        "In supervision we agreed thresholds for escalating cumulative neglect.")
    _save(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Neglect")
    expect(page.get_by_text("Includes a peer reflection")).to_be_visible()
    expect(page.get_by_text("Neglect, completed on 12 February 2026")).to_be_visible()

    # My CPD: one piece so far, and the other completed course waiting to be recorded.
    with page.expect_navigation():
        page.get_by_role("link", name="My CPD").click()
    check_accessibility(page)
    expect(page.locator("main")).to_contain_text("1 more piece of CPD")
    with page.expect_navigation():
        page.get_by_role("link", name="Record Graded Care Profile as CPD").click()
    check_accessibility(page)
    page.get_by_label("What you learnt from the activity").fill("What makes a chronology useful to a family.")
    page.get_by_label("The impact on your practice and on the people you work with").fill(
        "Families read their chronology with me and correct it.")
    _save(page)

    # Home: ready for renewal.
    with page.expect_navigation():
        page.get_by_role("link", name="Home").click()
    check_accessibility(page)
    main = page.locator("main")
    expect(main).to_contain_text("Ready for renewal")
    expect(main).to_contain_text("2 pieces of CPD recorded, 1 with a peer reflection")

    # The printable version, field by field for the Social Work England online account.
    with page.expect_navigation():
        page.get_by_role("link", name="Go to My CPD").click()
    check_accessibility(page)
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("^Printable version")).click()
    check_accessibility(page)
    expect(page.get_by_role("heading", name="CPD 1 of 2: Neglect")).to_be_visible()
    expect(page.get_by_role("heading", name="CPD 2 of 2: Graded Care Profile")).to_be_visible()


def test_a_manager_sees_who_in_the_team_is_not_ready(page):
    sign_in(page, "manager@example.org")
    with page.expect_navigation():
        page.get_by_role("link", name="CPD readiness").click()
    expect(page).to_have_url(re.compile(r"/renewal-readiness$"))
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("CPD readiness for renewal")
    team = page.get_by_role("table", name=re.compile(r"^Assessment: \d+ of \d+ not ready"))
    for name in ("Nadia Hussain", "Aisha Begum", "Leah Morris"):
        expect(team.get_by_role("link", name=name)).to_be_visible()
    expect(team).not_to_contain_text("Noah Clarke")          # not a registered social worker
    expect(page.locator("main")).not_to_contain_text("Tom Fletcher")   # another manager's team

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this list as a spreadsheet (CSV)").click()
    assert download.value.suggested_filename == "cpd-readiness-not-ready-2026-11-22.csv"

    with page.expect_navigation():
        team.get_by_role("link", name="Leah Morris").click()
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("CPD: Leah Morris")
    expect(page.locator("main")).to_contain_text("Not ready for renewal")
    expect(page.get_by_role("button", name="Record CPD")).to_have_count(0)
