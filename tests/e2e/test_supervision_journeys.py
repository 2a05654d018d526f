"""Supervision journeys, with axe-core on every page visited. The server's date is fixed at Sunday
22 November 2026 (LND_TODAY), so "the next day" for a session held on Friday 20 November is the
next working day: Monday would still be on time, and so is today.

Demo supervision: Sofia Marsh (supervisor@) gives David Reid (dsl@, Designated Safeguarding Lead at
Riverside Primary School) DSL supervision; Morgan Ellis (manager@) supervises Sam Okafor, whose last
supervision was on 29 September, so it is 3 weeks overdue.
"""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import check_accessibility, sign_in, sign_out

pytestmark = pytest.mark.e2e

SUPERVISOR = "supervisor@example.org"
DSL = "dsl@example.org"


def _click(page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    check_accessibility(page)


def _go(page, url: str) -> None:
    page.goto(url)
    check_accessibility(page)


def _date(page, legend: str, day: int, month: int, year: int) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))


def _menu(page) -> None:
    _click(page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Supervision"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision")


def test_a_supervisor_and_a_school_dsl_agree_supervision_record_it_and_acknowledge_it(page):
    # Sofia drafts an attendance-lead agreement with David (he is also the school's attendance lead).
    sign_in(page, SUPERVISOR)
    _menu(page)
    _click(page, page.get_by_role("button", name="Draft a supervision agreement"))
    _click(page, page.get_by_role("button", name="Save the agreement"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter the supervisee's email address")).to_be_visible()
    expect(summary.get_by_role("link", name="Select the kind of supervision")).to_be_visible()

    page.get_by_label("Supervisee's email address").fill(DSL)
    page.get_by_label("Attendance lead supervision").check()
    page.get_by_label("Monthly").check()
    page.get_by_label("Where is supervision usually held?").fill("Riverside Primary School, the attendance office")
    _date(page, "When does the agreement start?", 2, 11, 2026)
    _click(page, page.get_by_role("button", name="Save the agreement"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision agreement: Sofia Marsh and David Reid")
    expect(page.locator("#agreement-state")).to_have_text("Not signed yet")
    main = page.locator("main")
    expect(main).to_contain_text("support David Reid to fulfil their role with confidence")
    expect(main).to_contain_text("2 November 2027")            # reviewed within a year
    agreement_url = page.url

    _click(page, page.get_by_role("button", name="Sign the agreement"))
    expect(page.get_by_role("alert")).to_contain_text("Confirm that you have read the agreement and agree to it")
    page.get_by_label("I have read this supervision agreement and I agree to it").check()
    _click(page, page.get_by_role("button", name="Sign the agreement"))
    expect(page.locator("#agreement-state")).to_have_text("Awaiting the supervisee's signature")
    sign_out(page)

    # David signs: the agreement is in force.
    sign_in(page, DSL)
    _menu(page)
    _click(page, page.get_by_role("link", name="Read and sign the agreement with Sofia Marsh"))
    expect(page.locator("main")).to_contain_text("Children Missing Education")
    page.get_by_label("I have read this supervision agreement and I agree to it").check()
    _click(page, page.get_by_role("button", name="Sign the agreement"))
    expect(page.get_by_text("You have signed the agreement. It is now in force.")).to_be_visible()
    expect(page.locator("#agreement-state")).to_have_text("In force")
    sign_out(page)

    # Sofia plans the session for Friday afternoon and records it the next working day.
    sign_in(page, SUPERVISOR)
    _go(page, agreement_url)
    _click(page, page.get_by_role("button", name="Plan a supervision session"))
    _date(page, "Date", 20, 11, 2026)
    page.get_by_label("Start time").fill("15:30")
    page.get_by_label("How long, in minutes").fill("60")
    expect(page.get_by_label("Where")).to_have_value("Riverside Primary School, the attendance office")
    _click(page, page.get_by_role("button", name="Plan the supervision"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision planned for 20 November 2026 at 15:30")

    _click(page, page.get_by_role("button", name="Record this supervision"))
    expect(page.get_by_role("group", name="Date held").get_by_label("Day")).to_have_value("20")
    page.get_by_label("Wellbeing").check()
    page.get_by_label("Casework").check()
    page.get_by_label("What was discussed").fill(
        "Year 6 persistent absence: three pupils below 80%. Two families engaged with Early Help.")
    page.get_by_label("Decisions (optional)").fill("Refer the third family to the Education Welfare Officer.")
    _click(page, page.get_by_role("button", name="Save the record"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision on 20 November 2026")
    expect(page.get_by_text("Recorded on time")).to_be_visible()
    expect(page.locator("#acknowledgement")).to_have_text("Not acknowledged yet")

    _click(page, page.get_by_role("link", name="Add an action"))
    page.get_by_label("Action").fill("Share the Year 6 attendance data with the Education Welfare Officer")
    page.get_by_label("David Reid (supervisee)").check()
    _date(page, "Due by", 4, 12, 2026)
    _click(page, page.get_by_role("button", name="Add the action"))
    expect(page.locator("#actions")).to_contain_text("Share the Year 6 attendance data")
    sign_out(page)

    # David reads the record, adds a comment and acknowledges it.
    sign_in(page, DSL)
    _menu(page)
    _click(page, page.get_by_role("link", name="Supervision with Sofia Marsh on 20 November 2026"))
    expect(page.locator("#record")).to_contain_text("Year 6 persistent absence")
    _click(page, page.get_by_role("button", name="Add comments and acknowledge"))
    page.get_by_label("Your comments (optional)").fill("The third family has since agreed to an Early Help "
                                                       "assessment.")
    _click(page, page.get_by_role("button", name="Acknowledge the record"))
    expect(page.get_by_text("You have acknowledged the record.")).to_be_visible()
    expect(page.locator("#acknowledgement")).to_have_text("Acknowledged 22 November 2026 at 09:00")
    expect(page.locator("#comments")).to_contain_text("agreed to an Early Help assessment")
    sign_out(page)


def test_an_overdue_supervision_shows_on_the_supervisors_list(page):
    sign_in(page, "manager@example.org")
    _menu(page)
    caseload = page.locator("#caseload")
    sam = caseload.get_by_role("row").filter(has_text="Sam Okafor")
    expect(sam).to_contain_text("Overdue by 3 weeks")
    expect(sam).to_contain_text("29 October 2026")
    expect(sam).to_contain_text("Review overdue")
    expect(page.locator("main")).to_contain_text("1 person overdue for supervision")
    nadia = caseload.get_by_role("row").filter(has_text="Nadia Hussain")
    expect(nadia).to_contain_text("Awaiting the supervisee's signature")

    _click(page, sam.get_by_role("link", name="Sam Okafor"))
    expect(page.locator("#cadence")).to_contain_text("Overdue by 3 weeks")
    expect(page.locator("#cadence")).to_contain_text("Supervision is at least monthly.")

    _click(page, page.get_by_role("link", name="Back to supervision"))
    _click(page, page.get_by_role("link", name="Supervision compliance and late recording by team"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision compliance")
    expect(page.locator("#overdue")).to_contain_text("Sam Okafor")
    expect(page.locator("#by-team")).to_contain_text("Assessment")
    sign_out(page)
