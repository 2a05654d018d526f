"""Reading an HR staff export (CSV) into rows and problems, without the database."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

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

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UK_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_SIGNATURES = {
    b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image", b"GIF8": "a GIF image", b"%PDF": "a PDF",
    b"PK\x03\x04": "an Excel workbook or zip file", b"\xd0\xcf\x11\xe0": "an Excel 97-2003 workbook",
}



@dataclass(frozen=True)
class Problem:
    """Why a file or one of its rows cannot be imported. `line` is None for the whole file."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return self.message if self.line is None else f"Line {self.line}: {self.message}"


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





def quote(value: str) -> str:
    return f"“{value[:40]}…”" if len(value) > 40 else f"“{value}”"


def _column_name(heading: str) -> str:
    return re.sub(r"[\s\-]+", "_", heading.strip().lower())


def _parse_date(text: str) -> date | None:
    """YYYY-MM-DD, or DD/MM/YYYY as the HR system exports it; None if it is neither."""
    fmt = "%Y-%m-%d" if _ISO_DATE.match(text) else "%d/%m/%Y" if _UK_DATE.match(text) else None
    try:
        return datetime.strptime(text, fmt).date() if fmt else None
    except ValueError:  # 31/02/2024 and the like
        return None


def _decode(data: bytes) -> tuple[str | None, Problem | None]:
    if not data.strip():
        return None, Problem(None, "The file is empty. Choose a CSV file with a header row and one row per person.")
    for signature, kind in _SIGNATURES.items():
        if data.startswith(signature):
            return None, Problem(None, f"The file is not a CSV file: it looks like {kind}. "
                                       "Export the staff list from HR as a CSV file and try again.")
    not_utf8 = ("The file is not saved as UTF-8{where}. In Excel, choose Save as and "
                "“CSV UTF-8 (Comma delimited)”, then try again.")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None, Problem(None, not_utf8.format(where=" (it is saved as UTF-16)"))
    if b"\x00" in data:
        return None, Problem(None, "The file is not a CSV file: it contains binary data. "
                                   "Export the staff list from HR as a CSV file and try again.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        return None, Problem(None, not_utf8.format(where=f" (line {line} has a character that is not UTF-8)"))
    if not text.strip():
        return None, Problem(None, "The file is empty. Choose a CSV file with a header row and one row per person.")
    return text, None


def _header_problem(header: list[str]) -> Problem | None:
    names = [_column_name(h) for h in header]
    repeated = sorted({n for n in names if n and names.count(n) > 1})
    if repeated:
        return Problem(None, f"The header row names the column {', '.join(repeated)} more than once.")
    missing = [c for c in COLUMNS if c not in names]
    if not missing:
        return None
    hint = ""
    if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        hint = " The columns seem to be separated by semicolons or tabs; save the file with commas."
    return Problem(None, f"The file is missing the column{'s' if len(missing) > 1 else ''} "
                         f"{', '.join(missing)}. The first line must name the columns: {', '.join(COLUMNS)}.{hint}")


def _read_row(line: int, index: dict[str, int], width: int, values: list[str]) -> tuple[ImportRow, list[Problem]]:
    row, problems = ImportRow(line=line), []
    extra = [v for v in values[width:] if v.strip()]
    if len(values) < width or extra:
        problems.append(Problem(line, f"The row has {len(values)} values but the header row has {width} columns. "
                                      "Check for a missing or extra comma, or a value that needs quotation marks."))
        row.valid = False
        return row, problems
    cell = {name: values[i].strip() for name, i in index.items()}
    for name in REQUIRED:
        if not cell[name]:
            problems.append(Problem(line, f"{LABELS[name]} is missing."))
    for name, limit in MAX_LENGTHS.items():
        if len(cell[name]) > limit:
            problems.append(Problem(line, f"{LABELS[name]} is longer than {limit} characters."))
    if cell["email"] and not _EMAIL.match(cell["email"]):
        problems.append(Problem(line, f"Email address {quote(cell['email'])} is not a valid email address."))
    dates = {}
    for name in ("start_date", "leaving_date"):
        dates[name] = _parse_date(cell[name]) if cell[name] else None
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
    text, problem = _decode(data)
    if problem:
        return [], [problem]
    reader = csv.reader(io.StringIO(text, newline=""))
    records = []
    try:
        header = next(reader, [])
        last_line = reader.line_num
        for values in reader:
            if any(v.strip() for v in values):
                records.append((last_line + 1, values))
            last_line = reader.line_num
    except csv.Error:
        return [], [Problem(None, f"The file is not a CSV file that can be read: line {reader.line_num} is not "
                                  "valid CSV. Check for a quotation mark that is not closed.")]
    problem = _header_problem(header)
    if problem:
        return [], [problem]
    if not records:
        return [], [Problem(None, "The file has a header row but no people in it.")]
    index = {name: i for i, name in enumerate(_column_name(h) for h in header) if name in COLUMNS}
    rows, problems = [], []
    for line, values in records:
        row, row_problems = _read_row(line, index, len(header), values)
        rows.append(row)
        problems += row_problems
    problems += _duplicates(rows, "employee_number", "Employee number")
    problems += _duplicates(rows, "email", "Email address")
    return rows, problems
