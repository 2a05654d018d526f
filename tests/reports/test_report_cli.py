"""`flask --app lnd report matrix`: writes the file with the same rows as the OD team's page, and
explains unknown filters."""
from __future__ import annotations

import csv
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.reports import _matrix_support
from tests.reports._matrix_support import complete, names_on

org = _matrix_support.org   # the fixture


def _run(runner, *args):
    from lnd.reports.report_cli import report_group

    return runner.invoke(report_group, ["matrix", *args])


def test_writes_a_csv_with_the_rows_od_sees(runner, client, login, org, tmp_path):
    complete(org.unrelated, "gdpr-training", date(2026, 1, 12))
    target = tmp_path / "matrix.csv"
    result = _run(runner, "--format", "csv", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert "Wrote the training matrix for 7 people to" in result.output
    with open(target, encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    login(org.od)
    assert [row[1] for row in table[1:]] == names_on(client.get("/reports/matrix").get_data(as_text=True))
    assert "Completed 12 Jan 2026" in next(row for row in table if row[1] == "Uma Unrelated")


def test_writes_an_xlsx_with_every_filter(runner, org, tmp_path):
    target = tmp_path / "matrix.xlsx"
    result = _run(runner, "--format", "xlsx", "--team", "assessment", "--job-role", "Social Worker",
                  "--manager", org.manager.email, "--section", "induction", "--started-from", "2019-01-01",
                  "--started-to", "2026-12-31", "--include-leavers", "--output", str(target))
    assert result.exit_code == 0, result.output
    assert "for 2 people" in result.output
    rows = list(load_workbook(target, read_only=True)["Training matrix"].iter_rows(values_only=True))
    assert [row[1] for row in rows[1:]] == ["Lena Leaver", "Olive Owner"]
    assert "GDPR Training" in rows[0] and "Neglect" not in rows[0]


@pytest.mark.parametrize("args, message", [
    (["--team", "Nowhere"], "there is no team called 'Nowhere'"),
    (["--job-role", "Astronaut"], "there is no job role called 'Astronaut'"),
    (["--manager", "nobody@example.org"], "nobody has the email address 'nobody@example.org'"),
    (["--section", "no-such-section"], "there is no section of the offer 'no-such-section'"),
    (["--started-from", "2026-06-01", "--started-to", "2026-01-01"], "must be the same as or after --started-from"),
    (["--started-from", "1/6/2026"], "'1/6/2026' does not match the format '%Y-%m-%d'"),
])
def test_unknown_filters_are_explained_and_nothing_is_written(runner, org, tmp_path, args, message):
    target = tmp_path / "matrix.csv"
    result = _run(runner, "--format", "csv", *args, "--output", str(target))
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not target.exists()
