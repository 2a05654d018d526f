"""The OD team's summary reports, with axe-core on every page visited. The server's date is
22 November 2026; `seed --demo` has taken 12 months of compliance snapshots, so the trend is full.

Noah Clarke (Assessment) started on 9 November 2026: he is on the induction tracker, his 4-week
Children's Services induction due by 7 December 2026.
"""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import check_accessibility, sign_in

pytestmark = pytest.mark.e2e


def _go(page, url: str) -> None:
    page.goto(url)
    check_accessibility(page)


def test_od_reads_the_compliance_summary_induction_tracker_courses_and_service_summaries(page):
    sign_in(page, "od.admin@example.org")

    # Compliance: the rule stated, this month by team, the trend as a chart with the table beneath.
    _go(page, "/reports/compliance")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Compliance summary")
    expect(main.locator("#compliance-rule")).to_contain_text(
        "A person is compliant with a window when none of its required courses is overdue or expired")
    expect(main.locator("#by-team")).to_contain_text("Assessment")
    expect(main.locator("#by-team")).to_contain_text("All teams")
    chart = main.get_by_role("img", name=re.compile("Per cent compliant by window, December 2025 to November 2026"))
    expect(chart).to_be_visible()
    trend_rows = main.locator("#trend tbody tr")
    expect(trend_rows).to_have_count(12)
    expect(trend_rows.first).to_contain_text("December 2025")
    expect(trend_rows.last).to_contain_text("November 2026 (so far)")
    expect(main.locator("#trend")).not_to_contain_text("No snapshot was taken")   # the demo backfilled them
    # The end of each line names its window and this month's figure, as the table does.
    first_window = main.locator("#trend thead th[scope=colgroup]").first.inner_text()
    this_month = trend_rows.last.locator("td").first.inner_text()
    expect(chart.locator("text.app-chart__end-label", has_text=first_window).first).to_contain_text(
        this_month.split(" ")[0])

    # The trend for one team.
    page.get_by_label("Show the trend for").select_option(label="Assessment")
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filter").click()
    check_accessibility(page)
    expect(page.locator("#trend caption")).to_contain_text("in Assessment")

    # The induction tracker: the new starter and his 4-week induction.
    with page.expect_navigation():
        page.get_by_role("link", name="Induction tracker").click()
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Induction tracker")
    noah = page.locator("#starters tbody tr", has_text="Noah Clarke")
    expect(noah).to_contain_text("9 November 2026")
    expect(noah).to_contain_text("Due by 7 December 2026")

    # Courses and sessions, then one course's sessions when there are any.
    with page.expect_navigation():
        page.get_by_role("link", name="Courses and sessions").click()
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Courses and sessions")
    expect(page.locator("main")).to_contain_text("Sessions held from 23 November 2025 to 22 November 2026")
    courses = page.locator("#courses tbody th a")
    if courses.count():
        title = courses.first.inner_text()
        with page.expect_navigation():
            courses.first.click()
        check_accessibility(page)
        expect(page.get_by_role("heading", level=1)).to_have_text(title)

    # ASYE, CPD and supervision in figures, each linking to its own page.
    _go(page, "/reports/services")
    expect(page.get_by_role("heading", level=1)).to_have_text("ASYE, CPD and supervision")
    expect(page.locator("main")).to_contain_text("NQSWs on the ASYE")
    expect(page.get_by_role("link", name="See CPD readiness by team")).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("link", name="See supervision compliance by team").click()
    check_accessibility(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Supervision compliance")
