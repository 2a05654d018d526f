"""Reading an HR staff export (CSV) into rows and problems, without the database."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from lnd.core.imports import (
    EMAIL, DecodeMessages, Problem, column_name, csv_records, decode, parse_date, quote, separator_hint, width_problem,
)
from lnd.core.templating import format_date

COLUMNS = ("employee_number", "first_name", "last_name", "email", "job_role", "team",
           "manager_employee_number", "start_date", "leaving_date")
REQUIRED = ("employee_number", "first_name", "last_name", "email", "job_role", "team", "start_date")
LABELS = {
    "employee_number": "Employee number", "first_name": "First name", "last_name": "Last name",
    "email": "Email address", "job_role": "Job role", "team": "Team",
    "manager_employee_number": "Manager's employee number", "start_date": "Start date",
    "leaving_date": "Leaving date", "manager": "Manager",
}
MAX_LENGTHS = {"employee_number": 30, "first_name": 100, "last_name": 100, "email": 254, "job_role": 120,
               "team": 120, "manager_employee_number": 30}
ORGANISATION_NAME = "Middlesbrough Council Children's Care"

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"

_NOT_CSV = "Export the staff list from HR as a CSV file and try again."
_EMPTY = "The file is empty. Choose a CSV file with a header row and one row per person."
DECODE_MESSAGES = DecodeMessages(
    empty=_EMPTY, not_text="The file is not a CSV file: it looks like {kind}. " + _NOT_CSV,
    binary="The file is not a CSV file: it contains binary data. " + _NOT_CSV,
    not_utf8=("The file is not saved as UTF-8{where}. In Excel, choose Save as and "
              "“CSV UTF-8 (Comma delimited)”, then try again."))


@dataclass
class ImportRow:
    line: int
    employee_number: str = ""
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    job_role: str = ""
    team: str = ""
    manager_number: str = ""
    start_date: date | None = None
    leaving_date: date | None = None
    valid: bool = True


def _header_problem(header: list[str]) -> Problem | None:
    names = [column_name(h) for h in header]
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    if repeated:
        return Problem(None, f"The header row names the column {', '.join(repeated)} more than once.")
    missing = [c for c in COLUMNS if c not in names]
    if not missing:
        return None
    return Problem(None, f"The file is missing the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}. "
                         f"The first line must name the columns: {', '.join(COLUMNS)}.{separator_hint(header)}")


def _read_row(line: int, index: dict[str, int], width: int, values: list[str]) -> tuple[ImportRow, list[Problem]]:
    row, problems = ImportRow(line=line), []
    if message := width_problem(values, width):
        row.valid = False
        return row, [Problem(line, message)]
    cell = {name: values[i].strip() for name, i in index.items()}
    for name in REQUIRED:
        if not cell[name]:
            problems.append(Problem(line, f"{LABELS[name]} is missing."))
    for name, limit in MAX_LENGTHS.items():
        if len(cell[name]) > limit:
            problems.append(Problem(line, f"{LABELS[name]} is longer than {limit} characters."))
    if cell["email"] and not EMAIL.match(cell["email"]):
        problems.append(Problem(line, f"Email address {quote(cell['email'])} is not a valid email address."))
    dates = {}
    for name in ("start_date", "leaving_date"):
        dates[name] = parse_date(cell[name]) if cell[name] else None
        if cell[name] and dates[name] is None:
            problems.append(Problem(line, f"{LABELS[name]} {quote(cell[name])} is not a real date. "
                                          "Write dates as YYYY-MM-DD or DD/MM/YYYY."))
    if dates["start_date"] and dates["leaving_date"] and dates["leaving_date"] < dates["start_date"]:
        problems.append(Problem(line, f"Leaving date {format_date(dates['leaving_date'])} is before the start date "
                                      f"{format_date(dates['start_date'])}."))
    if cell["employee_number"] and cell["manager_employee_number"] == cell["employee_number"]:
        problems.append(Problem(line, "A person cannot be their own manager."))
    row.employee_number, row.first_name, row.last_name = cell["employee_number"], cell["first_name"], cell["last_name"]
    row.email, row.job_role, row.team = cell["email"].lower(), cell["job_role"], cell["team"]
    row.manager_number = cell["manager_employee_number"]
    row.start_date, row.leaving_date = dates["start_date"], dates["leaving_date"]
    row.valid = not problems
    return row, problems


def _duplicates(rows: list[ImportRow], key: str, label: str) -> list[Problem]:
    lines: dict[str, list[int]] = {}
    for row in rows:
        if getattr(row, key):
            lines.setdefault(getattr(row, key), []).append(row.line)
    problems = []
    for value, found in lines.items():
        for line in found if len(found) > 1 else ():
            others = " and ".join(str(n) for n in found if n != line)
            problems.append(Problem(line, f"{label} {quote(value)} is also on line {others}; "
                                          "each person must appear only once."))
    return problems


def read_csv(data: bytes) -> tuple[list[ImportRow], list[Problem]]:
    """The rows of an HR export and every problem that can be seen without the database."""
    text, problem = decode(data, DECODE_MESSAGES)
    if problem:
        return [], [problem]
    header, records, problem = csv_records(text)
    if problem:
        return [], [problem]
    problem = _header_problem(header)
    if problem:
        return [], [problem]
    if not records:
        return [], [Problem(None, "The file has a header row but no people in it.")]
    index = {name: i for i, name in enumerate(column_name(h) for h in header) if name in COLUMNS}
    rows, problems = [], []
    for line, values in records:
        row, row_problems = _read_row(line, index, len(header), values)
        rows.append(row)
        problems += row_problems
    problems += _duplicates(rows, "employee_number", "Employee number")
    problems += _duplicates(rows, "email", "Email address")
    return rows, problems
