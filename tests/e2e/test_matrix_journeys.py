"""Training matrix journeys, with axe-core on every page visited. The server's date is fixed at
22 November 2026; the demo organisation's Assessment team is led by Morgan Ellis (manager@)."""
from __future__ import annotations

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e.helpers import check_accessibility, sign_in

pytestmark = pytest.mark.e2e

OD = "od.admin@example.org"
MANAGER = "manager@example.org"


def _click(page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    check_accessibility(page)


def _names_on_the_page(page) -> list[str]:
    return [name.strip() for name in page.locator("table.app-matrix__table tbody th[scope=row]").all_inner_texts()]


def test_od_filters_the_matrix_to_one_team_and_the_xlsx_holds_the_same_rows(page, tmp_path):
    sign_in(page, OD)
    _click(page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reports")
    _click(page, page.get_by_role("link", name="Training matrix"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Training matrix")
    everyone = _names_on_the_page(page)

    # A start-date range the wrong way round is explained, and shows no matrix.
    for legend, (day, month, year) in (("Started on or after", (1, 6, 2026)), ("Started on or before", (1, 1, 2026))):
        group = page.get_by_role("group", name=legend)
        group.get_by_label("Day").fill(str(day))
        group.get_by_label("Month").fill(str(month))
        group.get_by_label("Year").fill(str(year))
    _click(page, page.get_by_role("button", name="Apply filters"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="The latest start date must be the same as or after the earliest "
                                            "start date")).to_be_visible()
    expect(page.locator("table.app-matrix__table")).to_have_count(0)

    # One team.
    _click(page, page.get_by_role("link", name="Clear filters"))
    page.get_by_label("Team").select_option(label="Assessment")
    _click(page, page.get_by_role("button", name="Apply filters"))
    table = page.get_by_role("table", name="Training matrix")
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="Children’s Services – Induction")).to_be_visible()
    names = _names_on_the_page(page)
    assert names and len(names) < len(everyone)
    assert "Sam Okafor" in names and "Morgan Ellis" in names
    expect(page.locator("main")).to_contain_text("not only this page")
    team_cells = page.locator("table.app-matrix__table tbody tr td:nth-child(3)").all_inner_texts()
    assert set(team_cells) == {"Assessment"}

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel spreadsheet (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == "training-matrix-2026-11-22.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    rows = list(load_workbook(saved, read_only=True)["Training matrix"].iter_rows(values_only=True))
    assert rows[0][:6] == ("Employee number", "Name", "Team", "Job role", "Manager", "Start date")
    assert [row[1] for row in rows[1:]] == names
    assert {row[2] for row in rows[1:]} == {"Assessment"}


def test_a_manager_sees_only_the_people_they_manage(page):
    sign_in(page, MANAGER)
    _click(page, page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports"))
    expect(page.get_by_role("link", name="Import completions")).to_have_count(0)
    _click(page, page.get_by_role("link", name="Training matrix"))
    names = _names_on_the_page(page)
    assert "Sam Okafor" in names and "Noah Clarke" in names
    assert "Morgan Ellis" not in names and "Olivia Dean" not in names
    # The matrix scrolls by keyboard: the region can take focus.
    page.get_by_role("region", name="Training matrix").focus()
    check_accessibility(page)
