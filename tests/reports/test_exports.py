"""CSV and XLSX exports of the training matrix: the page's rows and columns (every page of them),
streamed, guarded against formula injection, and readable by openpyxl."""
from __future__ import annotations

import csv
import io
from datetime import date

from openpyxl import load_workbook

from lnd.extensions import db
from lnd.reports import exports
from tests.reports import _matrix_support
from tests.reports._matrix_support import (
    complete, counting, exempt, matrix_of, names_on, signed_in,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

org = _matrix_support.org   # the fixture


def _all_page_rows(client, **args) -> tuple[list[str], list[list[str]]]:
    """The matrix as the pages show it: the column headings and every row, page after page."""
    rows, number = [], 1
    while True:
        html = client.get("/reports/matrix", query_string={**args, "page": number}).get_data(as_text=True)
        matrix = matrix_of(html)
        rows += matrix.rows
        if f"page={number + 1}" not in html:
            headings = matrix.headers[matrix.headers.index("Employee number"):]
            return headings, rows
        number += 1


def _csv(client, **args):
    response = client.get("/reports/matrix.csv", query_string=args, buffered=True)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return response, list(csv.reader(io.StringIO(text[1:])))


def _xlsx(client, **args):
    response = client.get("/reports/matrix.xlsx", query_string=args)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    sheet = book["Training matrix"]
    return response, [list(row) for row in sheet.iter_rows(values_only=True)]


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.day} {value:%b %Y}"
    return str(value)


def test_the_csv_has_the_pages_rows_and_columns_for_every_page(client, login, org, make_person):
    from lnd.people.models import Team

    for n in range(55):
        make_person("Bulk", f"Zz{n:02d}", team="Assessment", start_date=date(2025, 5, 1))
    complete(org.peer, "gdpr-training", date(2026, 3, 3))
    exempt(org.peer, "neglect")
    login(org.od)
    team = db.session.scalar(db.select(Team.id).filter_by(name="Assessment"))
    headings, rows = _all_page_rows(client, team=team)
    assert len(rows) == 59   # over two pages
    response, table = _csv(client, team=team)
    assert table[0] == headings
    assert table[0][:6] == ["Employee number", "Name", "Team", "Job role", "Manager", "Start date"]
    assert table[1:] == rows
    peer = next(row for row in table if row[1] == "Peter Peer")
    assert "Completed 3 Mar 2026" in peer and "Exempt" in peer
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="training-matrix-2026-11-22.csv"'


def test_the_xlsx_parses_back_with_the_same_rows_and_columns(client, login, org):
    complete(org.owner, "gdpr-training", date(2026, 10, 5))
    login(org.od)
    headings, rows = _all_page_rows(client, leavers="y", section="induction")
    response, sheet = _xlsx(client, leavers="y", section="induction")
    assert response.mimetype == XLSX
    assert response.headers["Content-Disposition"].startswith("attachment; filename=training-matrix-2026-11-22.xlsx")
    assert sheet[0] == headings
    assert [[_shown(v) for v in row] for row in sheet[1:]] == rows
    owner = next(row for row in sheet if row[1] == "Olive Owner")
    assert owner[5] == date(2026, 10, 1) or owner[5].date() == date(2026, 10, 1)   # a real date in Excel
    assert "Lena Leaver" in [row[1] for row in sheet]


def test_a_managers_export_holds_only_their_reports(app, org):
    client = signed_in(app, org.manager)
    _, table = _csv(client)
    assert [row[1] for row in table[1:]] == ["Olive Owner", "Peter Peer"]
    _, sheet = _xlsx(client)
    assert [row[1] for row in sheet[1:]] == ["Olive Owner", "Peter Peer"]
    from lnd.people.models import Team

    other_team = db.session.scalar(db.select(Team.id).filter_by(name="Children in Need"))
    _, table = _csv(client, team=other_team)
    assert table[1:] == []
    # Asking for a manager above them (not offered on the page) goes back to the page's error.
    response = client.get("/reports/matrix.xlsx", query_string={"manager": org.senior.id})
    assert response.status_code == 302 and response.headers["Location"].startswith("/reports/matrix?")


def test_bad_filters_send_the_export_back_to_the_page_and_its_error(client, login, org):
    login(org.od)
    args = {"started_from": ["1", "6", "2026"], "started_to": ["1", "1", "2026"]}
    for url in ("/reports/matrix.csv", "/reports/matrix.xlsx"):
        response = client.get(url, query_string=args)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/reports/matrix?started_from=1&started_from=6")
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "The latest start date must be the same as or after the earliest start date" in page


def test_cells_that_look_like_formulas_are_kept_as_text(client, login, org, make_person):
    make_person("=HYPERLINK(\"http://x\")", "-Minus", team="Assessment")
    make_person("@SUM(A1)", "+Plus", team="Assessment")
    login(org.od)
    _, table = _csv(client)
    names = [row[1] for row in table[1:]]
    assert "'=HYPERLINK(\"http://x\") -Minus" in names and "'@SUM(A1) +Plus" in names
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in table for cell in row)
    response = client.get("/reports/matrix.xlsx")
    book = load_workbook(io.BytesIO(response.get_data()))
    cells = [cell for row in book["Training matrix"].iter_rows() for cell in row if cell.value is not None]
    assert all(cell.data_type != "f" for cell in cells)
    assert "=HYPERLINK(\"http://x\") -Minus" in [cell.value for cell in cells]


def test_the_safe_cell_rule():
    table = {"=1+1": "'=1+1", "+44 1642": "'+44 1642", "-3": "'-3", "@me": "'@me", "\tx": "'\tx",
             "Olive Owner": "Olive Owner", "": "", None: "", "Overdue (due 1 Oct 2026)": "Overdue (due 1 Oct 2026)"}
    for value, expected in table.items():
        assert exports.safe_cell(value) == expected


def test_the_csv_is_streamed_a_chunk_of_people_at_a_time(app, org, make_person):
    from lnd.reports import matrix_queries as mq

    for n in range(7):
        make_person("Chunk", f"Person{n}", team="Assessment")
    pieces = list(exports.csv_chunks(mq.MatrixFilters(), date(2026, 11, 22), chunk=3))
    assert len(pieces) == 1 + 5   # the header, then 14 people in chunks of 3
    rows = list(csv.reader(io.StringIO("".join(pieces)[1:])))
    assert len(rows) == 15


def test_exports_cost_the_same_statements_for_3_people_as_for_30(client, login, org, make_person):
    login(org.od)
    client.get("/reports/matrix.csv", buffered=True).get_data()
    client.get("/reports/matrix.xlsx").get_data()
    with counting() as few_csv:
        client.get("/reports/matrix.csv", buffered=True).get_data()
    with counting() as few_xlsx:
        client.get("/reports/matrix.xlsx").get_data()
    for n in range(25):
        make_person("Many", f"More{n:02d}", manager=org.manager, team="Assessment", start_date=date(2026, 9, 1))
    with counting() as many_csv:
        _, table = _csv(client)
    with counting() as many_xlsx:
        client.get("/reports/matrix.xlsx").get_data()
    assert len(table) == 33
    assert len(many_csv) == len(few_csv), "\n".join(many_csv)
    assert len(many_xlsx) == len(few_xlsx)
    assert names_on(client.get("/reports/matrix").get_data(as_text=True))[:2] == ["Odette Admin", "Morgan Manager"]
