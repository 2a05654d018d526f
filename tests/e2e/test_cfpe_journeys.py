"""Centre for Practice Excellence journeys, with axe-core on every page visited. The server's date is
22 November 2026: the demo new starters Noah Clarke (started 9 November 2026), Tariq Malik
(19 October 2026) and Nadia Hussain (7 September 2026) are within the 3 months the Centre contacts."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import check_accessibility, sign_in, sign_out

pytestmark = pytest.mark.e2e


def _go(page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    check_accessibility(page)


def test_od_marks_a_new_starter_contacted(page):
    sign_in(page, "od.admin@example.org")
    _go(page, page.get_by_role("link", name="Practice Excellence"))
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("New starters and career consultations")
    to_contact = main.get_by_role("table").first
    for name in ("Noah Clarke", "Tariq Malik", "Nadia Hussain"):
        expect(to_contact).to_contain_text(name)
    expect(to_contact).not_to_contain_text("Sam Okafor")

    _go(page, main.get_by_role("link", name="Record contact with Noah Clarke"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Record contact with a new starter")
    page.get_by_label("Day", exact=True).fill("31")
    page.get_by_label("Month", exact=True).fill("2")
    _go(page, page.get_by_role("button", name="Save contact"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="The date of the contact must be a real date")).to_be_visible()

    page.get_by_label("Day", exact=True).fill("20")
    page.get_by_label("Month", exact=True).fill("11")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_label("Note (optional)").fill("Phoned to talk through the offer; interested in ABE.")
    _go(page, page.get_by_role("button", name="Save contact"))
    expect(page.get_by_text("Contact with Noah Clarke has been recorded.")).to_be_visible()
    to_contact, contacted = page.locator("main table").nth(0), page.locator("main table").nth(1)
    expect(to_contact).not_to_contain_text("Noah Clarke")
    row = contacted.get_by_role("row").filter(has_text="Noah Clarke")
    expect(row).to_contain_text("20 November 2026")
    expect(row).to_contain_text("Olivia Dean")
    expect(row).to_contain_text("interested in ABE")


def test_a_person_asks_for_a_career_consultation_and_od_arranges_it(page):
    sign_in(page, "social.worker@example.org")
    _go(page, page.get_by_role("link", name="Career consultation"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Career consultations")
    _go(page, page.get_by_role("button", name="Ask for a career consultation"))
    _go(page, page.get_by_role("button", name="Send request"))
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name="Enter what you would like to talk about")).to_be_visible()
    expect(summary.get_by_role("link", name="Select how you would like us to contact you")).to_be_visible()
    page.get_by_label("What would you like to talk about?").fill("Becoming a practice educator")
    page.get_by_label("Microsoft Teams call").check()
    _go(page, page.get_by_role("button", name="Send request"))
    expect(page.get_by_text("Your request has been sent to the Centre for Practice Excellence")).to_be_visible()
    expect(page.locator("main table")).to_contain_text("Becoming a practice educator")
    expect(page.locator("main table")).to_contain_text("Requested")
    sign_out(page)

    sign_in(page, "od.admin@example.org")
    _go(page, page.get_by_role("link", name="Practice Excellence"))
    _go(page, page.locator("main").get_by_role("link", name="Career consultations"))
    queue = page.locator("main table").first
    expect(queue).to_contain_text("Becoming a practice educator")
    _go(page, queue.get_by_role("link", name="Sam Okafor"))
    expect(page.locator("main")).to_contain_text("Microsoft Teams call")
    _go(page, page.get_by_role("button", name="Update this consultation"))
    page.get_by_label("Arranged").check()
    page.get_by_label("Note for the person").fill("Teams call on 1 December 2026 at 10:00 with Marcus Green.")
    _go(page, page.get_by_role("button", name="Save"))
    expect(page.get_by_text("The consultation for Sam Okafor is marked as arranged.")).to_be_visible()
    sign_out(page)

    sign_in(page, "social.worker@example.org")
    _go(page, page.get_by_role("link", name="Career consultation"))
    expect(page.locator("main table")).to_contain_text("Arranged")
    _go(page, page.locator("main table").get_by_role("link").first)
    expect(page.locator("main")).to_contain_text("Teams call on 1 December 2026 at 10:00 with Marcus Green.")
