"""`flask --app lnd completions import FILE [--dry-run]`: the same service as the page."""
from __future__ import annotations

from lnd.core import clock
from tests.reports._import_support import (  # noqa: F401  (world is a fixture)
    ATTEMPTED, DOLS_ID, TODAY, as_array, completion_count, csv_bytes, import_audits, statement, statement_count,
    world,
)


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_dry_run_prints_the_preview_and_adds_nothing(db, runner, world, tmp_path):
    clock.freeze(TODAY)
    path = write(tmp_path, "statements.json", as_array(statement(1), statement(2, course=DOLS_ID),
                                                       statement(3, verb=ATTEMPTED)))
    result = runner.invoke(args=["completions", "import", path, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "xAPI file: 2 to add, 0 skipped as duplicates, 1 ignored (other verbs)." in result.output
    assert ("Line 2: add Sam Okafor (sam.okafor@example.org), Safeguarding Against Radicalisation - "
            "The Prevent Duty, 1 November 2026") in result.output
    assert "Ignored: 1 “attempted” statement" in result.output
    assert "Dry run: nothing was changed." in result.output
    assert completion_count() == 0 and statement_count() == 0 and import_audits() == []


def test_a_real_run_prints_the_counts_and_a_second_run_adds_nothing(db, runner, world, tmp_path):
    clock.freeze(TODAY)
    path = write(tmp_path, "statements.json", as_array(statement(1), statement(2, course=DOLS_ID),
                                                       statement(3, verb=ATTEMPTED)))
    first = runner.invoke(args=["completions", "import", path])
    assert first.exit_code == 0, first.output
    assert "Import applied: 2 added, 0 skipped as duplicates, 1 ignored (other verbs)." in first.output
    assert completion_count() == 2
    second = runner.invoke(args=["completions", "import", path])
    assert second.exit_code == 0, second.output
    assert "Import applied: 0 added, 2 skipped as duplicates, 1 ignored (other verbs)." in second.output
    assert "skip (This statement was imported before.)" in second.output
    assert completion_count() == 2 and statement_count() == 2
    audits = import_audits()
    assert len(audits) == 2 and audits[0].actor_id is None and audits[0].after["source"] == "statements.json"


def test_a_file_with_bad_rows_lists_every_one_and_changes_nothing(db, runner, world, tmp_path):
    clock.freeze(TODAY)
    path = write(tmp_path, "export.csv", csv_bytes("D1004,Neglect,2026-11-01",
                                                   "D9999,Neglect,2026-11-01",
                                                   "D1004,Neglect,2026-12-01"))
    for args in (["completions", "import", path], ["completions", "import", path, "--dry-run"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 1
        assert "Line 3: No one in the system has the employee number “D9999”." in result.output
        assert "Line 4: The completion date 1 December 2026 is in the future." in result.output
        assert "The file has 2 problems; nothing was changed." in result.output
    assert completion_count() == 0 and import_audits() == []
