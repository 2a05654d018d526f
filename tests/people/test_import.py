"""The HR import of staff: the checks, all-or-nothing apply, the command and the OD upload pages."""
from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from lnd.core import clock
from lnd.core.models import AuditEvent
from lnd.people import importer
from lnd.people.models import CHILDRENS_CARE, JobRole, Organisation, Person, Team

HEADER = "employee_number,first_name,last_name,email,job_role,team,manager_employee_number,start_date,leaving_date"


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


# E100 and E101 are managed by E102, who appears later in the file; E101's start date is UK style.
GOOD = csv_file(
    "E100,Amira,Khan,amira.khan@example.org,Social Worker,Assessment,E102,2024-01-08,",
    "E101,Ben,Lee,Ben.Lee@example.org,Senior Practitioner,Assessment,E102,08/01/2023,",
    "E102,Cara,Moss,cara.moss@example.org,Team Manager,Assessment,,2020-04-01,",
)


def people_count(db) -> int:
    return db.session.scalar(select(func.count(Person.id)))


def audit_count(db, action=None) -> int:
    stmt = select(func.count(AuditEvent.id))
    if action:
        stmt = stmt.where(AuditEvent.action == action)
    return db.session.scalar(stmt)


def by_number(db, number: str) -> Person:
    return db.session.scalar(select(Person).where(Person.employee_number == number))


def apply(db, data: bytes, actor=None, today=date(2026, 5, 1)) -> importer.ImportPreview:
    result = importer.apply_import(data, actor=actor, today=today, source="staff.csv")
    db.session.commit()
    return result


def problems_of(data: bytes) -> list[str]:
    return [str(p) for p in importer.check(data).problems]


# Good files ----------------------------------------------------------------------------------

def test_good_file_creates_people_with_their_managers(db):
    result = apply(db, GOOD)
    assert (result.to_create, result.to_update, result.unchanged) == (3, 0, 0)
    amira, ben, cara = (by_number(db, n) for n in ("E100", "E101", "E102"))
    assert amira.manager is cara and ben.manager is cara and cara.manager is None
    assert ben.start_date == date(2023, 1, 8)
    assert ben.email == "ben.lee@example.org"
    assert amira.job_role.name == "Social Worker" and amira.job_role.is_social_work
    assert amira.job_role_since == date(2024, 1, 8)
    assert amira.team.name == "Assessment"
    assert amira.roles == {"staff"}
    assert amira.password_hash is None
    assert amira.organisation.name == "Middlesbrough Council Children's Care"
    assert amira.organisation.kind == CHILDRENS_CARE
    assert db.session.scalar(select(func.count(Team.id))) == 1
    assert db.session.scalar(select(func.count(Organisation.id))) == 1


def test_import_writes_an_audit_row_per_person_and_one_for_the_import(db, make_person):
    od = make_person(roles=["od_admin"])
    apply(db, GOOD, actor=od)
    created = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "person_created")).all()
    assert len(created) == 3
    assert {e.actor_id for e in created} == {od.id}
    amira = by_number(db, "E100")
    event = next(e for e in created if e.entity_id == str(amira.id))
    assert event.after["team"] == "Assessment" and event.after["start_date"] == "2024-01-08"
    assert event.after["manager"] == "Cara Moss (E102)"
    summary = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "staff_import")).one()
    assert summary.after["created"] == 3 and summary.after["source"] == "staff.csv"


def test_import_uses_an_existing_organisation_and_existing_job_roles_and_teams(db, make_person):
    make_person(team="assessment", job_role="Social worker")  # same names, different case
    apply(db, GOOD)
    amira = by_number(db, "E100")
    assert amira.team.name == "assessment" and amira.job_role.name == "Social worker"
    assert db.session.scalar(select(func.count(Organisation.id))) == 1
    assert db.session.scalar(select(func.count(JobRole.id))) == 3


def test_reimporting_the_same_file_changes_nothing(db):
    apply(db, GOOD)
    before = audit_count(db)
    preview = importer.check(GOOD)
    assert (preview.to_create, preview.to_update, preview.unchanged) == (0, 0, 3)
    assert not preview.has_changes
    apply(db, GOOD)
    assert people_count(db) == 3
    assert audit_count(db, "person_updated") == 0
    assert audit_count(db) == before + 1  # only the import's own summary row


def test_update_of_job_role_team_and_leaving_date(db):
    apply(db, GOOD)
    changed = csv_file(
        "E100,Amira,Khan,amira.khan@example.org,Advanced Practitioner,Children in Care,E102,2024-01-08,31/03/2026",
        "E101,Ben,Lee,ben.lee@example.org,Senior Practitioner,Assessment,E102,2023-01-08,",
        "E102,Cara,Moss,cara.moss@example.org,Team Manager,Assessment,,2020-04-01,",
    )
    preview = importer.check(changed)
    assert (preview.to_create, preview.to_update, preview.unchanged) == (0, 1, 2)
    row = next(r for r in preview.rows if r.action == "update")
    assert row.line == 2
    assert {(c.field, c.before, c.after) for c in row.changes} == {
        ("Job role", "Social Worker", "Advanced Practitioner"),
        ("Team", "Assessment", "Children in Care"),
        ("Leaving date", "(none)", "31 March 2026"),
    }
    assert preview.new_job_roles == ["Advanced Practitioner"] and preview.new_teams == ["Children in Care"]
    apply(db, changed, today=date(2026, 5, 1))
    amira = by_number(db, "E100")
    assert amira.job_role.name == "Advanced Practitioner" and amira.team.name == "Children in Care"
    assert amira.leaving_date == date(2026, 3, 31)
    assert amira.job_role_since == date(2026, 5, 1)
    assert people_count(db) == 3  # the leaver is kept
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "person_updated")).one()
    assert event.entity_id == str(amira.id)
    assert event.before == {"job_role": "Social Worker", "team": "Assessment", "leaving_date": None}
    assert event.after == {"job_role": "Advanced Practitioner", "team": "Children in Care",
                           "leaving_date": "2026-03-31"}


def test_people_not_in_the_file_are_untouched(db, make_person):
    other = make_person("Olu", "Ade", team="Fostering", employee_number="E500")
    apply(db, GOOD)
    db.session.refresh(other)
    assert other.team.name == "Fostering" and other.leaving_date is None and other.roles == {"staff"}


def test_managers_already_in_the_system_and_changes_of_manager_and_email(db, make_person):
    boss = make_person("Dee", "Head", employee_number="E900")
    apply(db, GOOD)
    moved = csv_file("E102,Cara,Moss,cara.m@example.org,Team Manager,Assessment,E900,2020-04-01,")
    preview = importer.check(moved)
    assert {(c.field, c.before, c.after) for c in preview.rows[0].changes} == {
        ("Email address", "cara.moss@example.org", "cara.m@example.org"),
        ("Manager", "(none)", "Dee Head (E900)"),
    }
    apply(db, moved)
    cara = by_number(db, "E102")
    assert cara.manager_id == boss.id and cara.email == "cara.m@example.org"
    assert by_number(db, "E100").manager_id == cara.id  # people not in the second file keep their manager


def test_blank_lines_are_skipped_and_other_columns_ignored(db):
    data = (HEADER + ",payroll\n\nE100,Amira,Khan,a@example.org,Social Worker,Assessment,,2024-01-08,,X1\n"
            ",,,,,,,,,\n").encode()
    result = apply(db, data)
    assert result.to_create == 1 and result.rows[0].line == 3


# Bad files -----------------------------------------------------------------------------------

def test_every_bad_row_is_reported_with_its_line_and_nothing_changes(db, make_person):
    make_person("Zed", "Taken", email="taken@example.org", employee_number="E800")
    data = csv_file(
        "E100,Amira,Khan,amira.khan@example.org,Social Worker,Assessment,,2024-01-08,",          # 2 good
        "E101,,Lee,ben.lee@example.org,Social Worker,Assessment,,2024-01-08,",                    # 3 no first name
        "E102,Cara,Moss,cara@example.org,Social Worker,Assessment,,31/02/2024,",                  # 4 no such date
        "E103,Dan,Hill,dan@example.org,Social Worker,Assessment,,2024-01-08,2023-12-31",          # 5 leaves before start
        "E104,Eve,Ng,eve@example.org,Social Worker,Assessment,E999,2024-01-08,",                  # 6 unknown manager
        "E105,Fay,Orr,dup@example.org,Social Worker,Assessment,,2024-01-08,",                     # 7 email also on 8
        "E106,Gus,Poe,DUP@example.org,Social Worker,Assessment,,2024-01-08,",                     # 8 email also on 7
        "E107,Hal,Quo,hal@example.org,Social Worker,Assessment,,2024-01-08,",                     # 9 number also on 10
        "E107,Ian,Ray,ian@example.org,Social Worker,Assessment,,2024-01-08,",                     # 10 number also on 9
        "E108,Jo,Sen,taken@example.org,Social Worker,Assessment,,2024-01-08,",                    # 11 email in database
        "E109,Kim,Tan,kim@example.org,Social Worker,Assessment,,2024-01-08",                      # 12 a value short
        "E110,Lou,Udo,not-an-email,Social Worker,Assessment,,2024-01-08,",                        # 13 bad email
        "E111,Max,Vik,max@example.org,Social Worker,Assessment,,8 Jan 2024,",                     # 14 date format
        "E112,Ned,Wu,ned@example.org,Social Worker,Assessment,E112,2024-01-08,",                  # 15 own manager
    )
    people_before, audit_before = people_count(db), audit_count(db)
    problems = problems_of(data)
    expected = {
        3: "First name is missing", 4: "is not a real date", 5: "is before the start date",
        6: "is not in the file or in the system", 7: "is also on line 8", 8: "is also on line 7",
        9: "is also on line 10", 10: "is also on line 9", 11: "already belongs to Zed Taken",
        12: "header row has 9 columns", 13: "is not a valid email address", 14: "is not a real date",
        15: "cannot be their own manager",
    }
    for line, words in expected.items():
        assert any(p.startswith(f"Line {line}: ") and words in p for p in problems), (line, problems)
    assert not any(p.startswith("Line 2:") for p in problems)
    lines = [int(re.match(r"Line (\d+):", p).group(1)) for p in problems]
    assert lines == sorted(lines)
    with pytest.raises(importer.StaffImportRejected) as rejected:
        importer.apply_import(data, actor=None, today=date(2026, 5, 1))
    assert len(rejected.value.preview.problems) == len(problems)
    db.session.rollback()
    assert people_count(db) == people_before and audit_count(db) == audit_before


def test_manager_cycle_within_the_file(db):
    data = csv_file(
        "E100,Amira,Khan,amira@example.org,Social Worker,Assessment,E101,2024-01-08,",
        "E101,Ben,Lee,ben@example.org,Team Manager,Assessment,E100,2024-01-08,",
        "E102,Cara,Moss,cara@example.org,Social Worker,Assessment,E100,2024-01-08,",  # hangs off the loop
    )
    problems = problems_of(data)
    assert len(problems) == 2
    assert problems[0].startswith("Line 2: ") and problems[1].startswith("Line 3: ")
    assert all("loop in the management line" in p and "E100" in p and "E101" in p for p in problems)


def test_manager_cycle_through_people_already_in_the_system(db, make_person):
    top = make_person("Top", "Boss", employee_number="E1")
    make_person("Mid", "Boss", employee_number="E2", manager=top)
    # E1 is to be managed by E3 (new), whom E2 manages, and E2 is managed by E1 in the database: a loop.
    data = csv_file(
        "E1,Top,Boss,top@example.org,Director,Leadership,E3,2020-01-01,",
        "E3,New,Person,new@example.org,Team Manager,Assessment,E2,2024-01-08,",
    )
    problems = problems_of(data)
    assert [p[:7] for p in problems] == ["Line 2:", "Line 3:"]
    assert all("loop" in p and "E2" in p for p in problems)


def test_a_long_chain_without_a_loop_is_accepted(db, make_person):
    boss = make_person(employee_number="E1")
    rows = [f"E{n},P,{n},p{n}@example.org,Social Worker,Assessment,E{n - 1},2024-01-08," for n in range(2, 60)]
    result = apply(db, csv_file(*rows))
    assert result.to_create == 58
    assert by_number(db, "E2").manager_id == boss.id


@pytest.mark.parametrize("data, words", [
    ("employee_number,first_name\nE1,Amé\n".encode("latin-1"), "not saved as UTF-8"),
    (HEADER.encode() + "\nE1,Amélie,Khan,a@example.org,SW,Team,,2024-01-08,\n".encode("latin-1"),
     "line 2 has a character that is not UTF-8"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01", "not a CSV file"),
    (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
    (b"employee_number,first\x00_name\n", "not a CSV file"),
    (b"", "The file is empty"),
    (b"\xef\xbb\xbf  \n", "The file is empty"),
    (HEADER.encode() + b"\n", "no people in it"),
    (csv_file("E1,A,B,a@example.org,SW,T,,2024-01-08", header="employee_number,first_name,last_name,email,"
              "job_role,manager_employee_number,start_date"), "missing the columns team, leaving_date"),
    (b"employee_number;first_name;last_name\n", "semicolons"),
])
def test_whole_file_problems(db, data, words):
    problems = importer.check(data).problems
    assert len(problems) == 1 and problems[0].line is None
    assert words in str(problems[0])


def test_a_bom_and_windows_line_endings_are_fine(db):
    data = b"\xef\xbb\xbf" + GOOD.replace(b"\n", b"\r\n")
    assert importer.check(data).problems == []
    assert importer.check(data).to_create == 3


# The command ---------------------------------------------------------------------------------

def test_cli_dry_run_changes_nothing(db, runner, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(GOOD)
    result = runner.invoke(args=["people", "import", str(path), "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "3 to create, 0 to update, 0 unchanged" in result.output
    assert "Dry run: nothing was changed." in result.output
    assert people_count(db) == 0 and audit_count(db) == 0


def test_cli_applies_the_import(db, runner, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(GOOD)
    result = runner.invoke(args=["people", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "Import applied: 3 created, 0 updated, 0 unchanged." in result.output
    db.session.expire_all()
    assert people_count(db) == 3
    assert audit_count(db, "staff_import") == 1
    again = runner.invoke(args=["people", "import", str(path)])
    assert "0 to create, 0 to update, 3 unchanged" in again.output


def test_cli_reports_every_bad_row_and_exits_non_zero(db, runner, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(csv_file(
        "E100,Amira,Khan,amira@example.org,Social Worker,Assessment,,2024-01-08,",
        "E101,Ben,Lee,ben@example.org,Social Worker,Assessment,E999,2024-01-08,",
        "E102,Cara,Moss,cara@example.org,Social Worker,Assessment,,2024-02-30,",
    ))
    for args in (["people", "import", str(path)], ["people", "import", str(path), "--dry-run"]):
        result = runner.invoke(args=args)
        assert result.exit_code != 0
        assert "Line 3: Manager's employee number “E999” is not in the file or in the system." in result.output
        assert "Line 4: Start date “2024-02-30” is not a real date." in result.output
        assert "nothing was changed" in result.output
    assert people_count(db) == 0 and audit_count(db) == 0


def test_cli_reports_a_file_that_is_not_csv(db, runner, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = runner.invoke(args=["people", "import", str(path)])
    assert result.exit_code != 0 and "not a CSV file" in result.output


# The OD upload pages -------------------------------------------------------------------------

def upload(client, data: bytes, name: str = "staff.csv"):
    return client.post("/people/import", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def token_in(page: str) -> str:
    return re.search(r'name="token"[^>]*value="([^"]+)"', page).group(1)


def imports_dir(app) -> Path:
    return Path(app.config["UPLOAD_DIR"]) / "imports"


def test_staff_and_managers_cannot_use_the_import(client, make_person, login):
    login(make_person(roles=["staff", "manager"]))
    assert client.get("/people/import").status_code == 403
    assert upload(client, GOOD).status_code == 403
    assert client.post("/people/import/confirm", data={"token": "x" * 43}).status_code == 403


def test_upload_page_shows_the_file_input(client, make_person, login):
    login(make_person(roles=["od_admin"]))
    page = client.get("/people/import").get_data(as_text=True)
    assert "Import staff" in page and 'type="file"' in page and 'enctype="multipart/form-data"' in page
    assert "manager_employee_number" in page
    assert "style=" not in page and "<script>" not in page


def test_od_sees_every_bad_row_on_the_page_and_nothing_changes(db, client, make_person, login):
    login(make_person(roles=["od_admin"]))
    before = people_count(db)
    response = upload(client, csv_file(
        "E100,Amira,Khan,amira@example.org,Social Worker,Assessment,,2024-01-08,",
        "E101,Ben,Lee,ben@example.org,Social Worker,Assessment,E999,2024-01-08,",
        "E102,,Moss,cara@example.org,Social Worker,Assessment,,2024-01-08,2023-01-01",
    ))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "<title>Error: " in page
    assert "Line 3: Manager&#39;s employee number" in page
    assert "Line 4: First name is missing." in page
    assert "Line 4: Leaving date 1 January 2023 is before the start date 8 January 2024." in page
    assert "Confirm and apply import" not in page
    assert people_count(db) == before
    assert not list(imports_dir(client.application).glob("*.csv"))


def test_od_sees_why_a_file_is_not_accepted(client, make_person, login):
    login(make_person(roles=["od_admin"]))
    for data, name, words in [
        ("employee_number\nAmé\n".encode("latin-1"), "staff.csv", "not saved as UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "staff.csv", "not a CSV file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "photo.png", "The selected file must be a CSV file"),
    ]:
        page = upload(client, data, name).get_data(as_text=True)
        assert "govuk-error-summary" in page and words in page, words
    page = client.post("/people/import", data={}, content_type="multipart/form-data").get_data(as_text=True)
    assert "Select a CSV file of staff to import" in page


def test_od_previews_confirms_and_the_people_exist(app, db, client, make_person, login):
    od = make_person(roles=["od_admin"])
    login(od)
    response = upload(client, GOOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Check the staff import" in page and "Confirm and apply import" in page
    assert "Amira Khan" in page and "Team: Assessment" in page
    assert people_count(db) == 1
    token = token_in(page)
    assert (imports_dir(app) / f"{token}.csv").is_file()

    confirmed = client.post("/people/import/confirm", data={"token": token})
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == "/people"
    assert "Import applied: 3 people created, 0 updated" in client.get("/people").get_data(as_text=True)
    db.session.expire_all()
    assert people_count(db) == 4
    assert by_number(db, "E100").manager.employee_number == "E102"
    assert audit_count(db, "person_created") == 3
    summary = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "staff_import")).one()
    assert summary.actor_id == od.id
    assert not (imports_dir(app) / f"{token}.csv").exists()

    # The same confirmation again is refused: the file has gone.
    again = client.post("/people/import/confirm", data={"token": token})
    assert again.status_code == 400 and "could not be found" in again.get_data(as_text=True)
    assert audit_count(db, "staff_import") == 1


def test_preview_of_an_update_then_nothing_to_import(db, client, make_person, login):
    login(make_person(roles=["od_admin"]))
    apply(db, GOOD)
    changed = GOOD.replace(b"Senior Practitioner,Assessment", b"Senior Practitioner,Children in Care")
    page = upload(client, changed).get_data(as_text=True)
    assert "Team: from Assessment to Children in Care" in page
    assert "People with no changes (2)" in page
    page = upload(client, GOOD).get_data(as_text=True)
    assert "nothing to import" in page and "Confirm and apply import" not in page


@pytest.mark.parametrize("token", ["../../etc/passwd", "", "short", "a" * 43])
def test_confirm_refuses_tokens_that_are_not_plain_or_not_ours(db, client, make_person, login, token):
    login(make_person(roles=["od_admin"]))
    response = client.post("/people/import/confirm", data={"token": token})
    assert response.status_code == 400
    assert people_count(db) == 1


def test_confirm_refuses_a_token_whose_file_is_missing(app, db, client, make_person, login):
    login(make_person(roles=["od_admin"]))
    token = token_in(upload(client, GOOD).get_data(as_text=True))
    (imports_dir(app) / f"{token}.csv").unlink()
    assert client.post("/people/import/confirm", data={"token": token}).status_code == 400
    assert people_count(db) == 1


def test_confirm_checks_the_file_again(app, db, client, make_person, login):
    login(make_person(roles=["od_admin"]))
    token = token_in(upload(client, GOOD).get_data(as_text=True))
    make_person("Someone", "Else", email="amira.khan@example.org")  # takes the email meanwhile
    response = client.post("/people/import/confirm", data={"token": token})
    page = response.get_data(as_text=True)
    assert "The records changed after you checked the file" in page
    assert "Line 2: Email address “amira.khan@example.org” already belongs to Someone Else" in page
    assert people_count(db) == 2
    assert not (imports_dir(app) / f"{token}.csv").exists()


def test_line_numbers_count_lines_of_the_file_not_records(db):
    data = csv_file(
        'E100,"Amira",Khan,amira@example.org,Social Worker,"Assessment',
        'and Intervention",,2024-01-08,',                                          # one record on lines 2-3
        "",
        "E101,Ben,Lee,not-an-email,Social Worker,Assessment,,2024-01-08,",          # line 5
    )
    assert problems_of(data) == ["Line 5: Email address “not-an-email” is not a valid email address."]


def test_a_promotion_within_social_work_keeps_the_role_clock_but_moving_into_management_starts_it(db):
    apply(db, GOOD)
    promoted = GOOD.replace(b"E100,Amira,Khan,amira.khan@example.org,Social Worker",
                            b"E100,Amira,Khan,amira.khan@example.org,Senior Social Worker")
    assert promoted != GOOD
    apply(db, promoted, today=date(2026, 5, 1))
    assert by_number(db, "E100").job_role.name == "Senior Social Worker"
    assert by_number(db, "E100").job_role_since == date(2024, 1, 8), "still in social work: same clock"
    managing = promoted.replace(b"Senior Social Worker", b"Social Work Team Manager")
    apply(db, managing, today=date(2026, 9, 1))
    assert by_number(db, "E100").job_role_since == date(2026, 9, 1), "now a manager too: management rules start"
