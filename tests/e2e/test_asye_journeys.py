"""ASYE journeys, with axe-core on every page visited. The server's date is 22 November 2026.

The demo NQSW Nadia Hussain (nqsw@example.org) started on 7 September 2026, assessed by Alex Turner
(assessor@example.org); nothing in her portfolio is tagged to KSS 3 yet and her 3-month review is due
on 7 December 2026. Ryan Patel (nqsw.two@example.org) started on 2 March 2026, assessed by the ASYE
lead Fiona McKay (asye.lead@example.org): his 6-month review is held but not signed, so overdue.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import check_accessibility, sign_in

pytestmark = pytest.mark.e2e


def _go(page, action) -> None:
    with page.expect_navigation():
        action()
    check_accessibility(page)


def _kss3_entries(page) -> int:
    return int(page.locator("#kss-3 td").first.inner_text().strip())


def test_the_nqsw_adds_a_reflective_log_tagged_to_kss_3_and_sees_coverage_change(page):
    sign_in(page, "nqsw@example.org")
    _go(page, lambda: page.get_by_role("link", name="My ASYE portfolio").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Your ASYE portfolio")
    expect(page.get_by_role("table", name="Minimum evidence")).to_contain_text("Direct observations of practice")

    _go(page, lambda: page.get_by_role("link", name="KSS coverage").click())
    before = _kss3_entries(page)
    row = page.locator("#kss-3")
    if before == 0:
        expect(row).to_contain_text("Gap: no evidence yet")

    # From the gap, a reflective log with KSS 3 already selected; first without a title.
    _go(page, lambda: page.get_by_role("link", name="Back to the portfolio").click())
    _go(page, lambda: page.get_by_role("link", name="Add a reflective log").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a reflective log")
    page.get_by_label("Your reflection").fill("Using an ecomap with a 6-year-old helped me see who matters to her.")
    page.get_by_label("KSS 3: Child Development").check()
    _go(page, lambda: page.get_by_role("button", name="Save reflective log").click())
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter a title")).to_be_visible()

    page.get_by_label("Title", exact=True).fill("Understanding a child's world through direct work")
    _go(page, lambda: page.get_by_role("button", name="Save reflective log").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Understanding a child's world through direct work")
    expect(page.locator("main")).to_contain_text("KSS 3: Child Development")

    _go(page, lambda: page.get_by_role("link", name="Back to the portfolio").click())
    _go(page, lambda: page.get_by_role("link", name="KSS coverage").click())
    assert _kss3_entries(page) == before + 1
    row = page.locator("#kss-3")
    expect(row).not_to_contain_text("Gap: no evidence yet")
    expect(row.get_by_role("link", name="Understanding a child's world through direct work")).to_be_visible()


def test_the_assessor_records_an_observation_and_the_three_month_review(page):
    sign_in(page, "assessor@example.org")
    _go(page, lambda: page.get_by_role("link", name="ASYE portfolio of Nadia Hussain").click())
    _go(page, lambda: page.get_by_role("link", name="Record a direct observation").click())
    page.get_by_label("Title", exact=True).fill("Child protection visit")
    page.get_by_label("Context", exact=True).fill("An unannounced visit with a parent and a baby, under a child protection plan.")
    page.get_by_label("What went well").fill("Calm, clear explanation of the worries; the baby was seen and held.")
    page.get_by_label("Development points").fill("Record the analysis on the day.")
    page.get_by_label("KSS 5: Abuse & neglect of children").check()
    page.get_by_label("KSS 6: Child & family assessment").check()
    _go(page, lambda: page.get_by_role("button", name="Save direct observation of practice").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Child protection visit")
    expect(page.locator("main")).to_contain_text("Recorded by")
    expect(page.locator("main")).to_contain_text("Alex Turner")

    _go(page, lambda: page.get_by_role("link", name="Back to the portfolio").click())
    _go(page, lambda: page.get_by_role("link", name="3-month review").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("3-month review")
    _go(page, lambda: page.get_by_role("link", name=re.compile("assessor’s comments and judgement")).click())
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("On track to complete").check()
    page.get_by_label("The assessor’s comments and judgement").fill(
        "Nadia builds relationships quickly. Next: analysis in assessments (KSS 6, 7).")
    _go(page, lambda: page.get_by_role("button", name="Save comments").click())
    expect(page.locator("main")).to_contain_text("Nadia builds relationships quickly.")

    _go(page, lambda: page.get_by_role("button", name="Sign the 3-month review").click())   # a link styled as a button
    _go(page, lambda: page.get_by_role("button", name="Sign the 3-month review").click())
    expect(page.get_by_text("The 3-month review has been signed.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("by Alex Turner")

    _go(page, lambda: page.get_by_role("link", name="Back to the portfolio").click())
    reviews = page.get_by_role("table", name="Reviews")
    expect(reviews.get_by_role("row", name=re.compile("3-month review"))).to_contain_text("Signed")


def test_the_asye_lead_sees_the_cohort(page):
    sign_in(page, "asye.lead@example.org")
    _go(page, lambda: page.get_by_role("link", name="ASYE", exact=True).click())
    expect(page.get_by_role("heading", level=1)).to_have_text("ASYE cohort")
    cohort = page.locator("#cohort")
    expect(cohort.get_by_role("link", name="Nadia Hussain")).to_be_visible()
    ryan = cohort.get_by_role("row", name=re.compile("Ryan Patel"))
    expect(ryan).to_contain_text("Overdue")
    expect(ryan).to_contain_text("6-month review")
    expect(ryan).to_contain_text("Month 9 of 12")
    expect(page.locator("#cohort-summary")).to_contain_text("2 NQSWs")

    _go(page, lambda: ryan.get_by_role("link", name="Ryan Patel").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("ASYE portfolio: Ryan Patel")
    _go(page, lambda: page.get_by_role("link", name="Printable portfolio for the moderation panel").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Ryan Patel")
    expect(page.locator("main")).to_contain_text("Critical reflection at 6 months")

    _go(page, lambda: page.get_by_role("link", name="Back to the portfolio").click())
    _go(page, lambda: page.get_by_role("link", name="Back").first.click())
    _go(page, lambda: page.get_by_role("link", name="Book the cohort onto module sessions").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Book the cohort onto module sessions")
    _go(page, lambda: page.get_by_role("link", name="Back to the cohort").click())
    _go(page, lambda: page.get_by_role("button", name="Enrol an NQSW").click())
    expect(page.get_by_role("heading", level=1)).to_have_text("Enrol an NQSW on the ASYE")
