"""Reading the e-learning platform's CSV export of completions: person, course, completion date."""
from __future__ import annotations

import csv
import io
import re
from datetime import date

from lnd.reports.imports import (
    CSV, MAX_COURSE_LENGTH, CompletionRecord, Problem, ReadFile, future_problem, parse_date, person_identifier,
    person_problem, quote,
)

# Column -> the headings accepted for it (compared in lower case, spaces and hyphens as underscores).
COLUMNS = {
    "person": ("person", "email", "employee_number", "learner", "person_identifier"),
    "course": ("course", "course_id", "course_identifier", "course_title", "external_id"),
    "completed_on": ("completed_on", "completion_date", "date_completed", "completed"),
}
LABELS = {
    "person": "Email address or employee number of the person",
    "course": "The course's e-learning platform id, or its exact title in the offer",
    "completed_on": "The date it was completed (YYYY-MM-DD or DD/MM/YYYY)",
}


def _column_name(heading: str) -> str:
    return re.sub(r"[\s\-]+", "_", heading.strip().lower())


def _index(header: list[str]) -> tuple[dict[str, int], Problem | None]:
    names = [_column_name(h) for h in header]
    index, problems = {}, []
    for column, accepted in COLUMNS.items():
        found = [i for i, name in enumerate(names) if name in accepted]
        if len(found) > 1:
            problems.append(f"the columns {' and '.join(header[i].strip() for i in found)} both name the {column}")
        elif found:
            index[column] = found[0]
    missing = [c for c in COLUMNS if c not in index]
    if missing and not problems:
        hint = ""
        if len(header) == 1 and (";" in header[0] or "\t" in header[0]):
            hint = " The columns seem to be separated by semicolons or tabs; save the file with commas."
        return index, Problem(None, f"The file is missing the column{'s' if len(missing) > 1 else ''} "
                                    f"{', '.join(missing)}. The first line must name the columns: "
                                    f"{', '.join(COLUMNS)}.{hint}")
    if problems:
        return index, Problem(None, f"The header row is ambiguous: {'; '.join(problems)}.")
    return index, None


def _read_row(line: int, index: dict[str, int], width: int, values: list[str],
              today: date) -> tuple[CompletionRecord | None, list[Problem]]:
    extra = [v for v in values[width:] if v.strip()]
    if len(values) < width or extra:
        return None, [Problem(line, f"The row has {len(values)} values but the header row has {width} columns. "
                                    "Check for a missing or extra comma, or a value that needs quotation marks.")]
    person, course, when = (values[index[c]].strip() for c in COLUMNS)
    problems = []
    kind, key = person_identifier(person)
    if not person:
        problems.append("The person is missing: give their email address or employee number.")
    elif message := person_problem(kind, key, "email address"):
        problems.append(message)
    if not course:
        problems.append("The course is missing: give its e-learning platform id or its exact title.")
    elif len(course) > MAX_COURSE_LENGTH:
        problems.append(f"The course is longer than {MAX_COURSE_LENGTH} characters.")
    completed_on = parse_date(when) if when else None
    if not when:
        problems.append("The completion date is missing.")
    elif completed_on is None:
        problems.append(f"The completion date {quote(when)} is not a real date. "
                        "Write dates as YYYY-MM-DD or DD/MM/YYYY.")
    elif message := future_problem(completed_on, today, "completion date"):
        problems.append(message)
    if problems:
        return None, [Problem(line, message) for message in problems]
    return CompletionRecord(line=line, person_kind=kind, person_key=key, course_key=course,
                            completed_on=completed_on, title_allowed=True), []


def read_csv(text: str, today: date) -> ReadFile:
    result = ReadFile(kind=CSV)
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        header = next(reader, [])
        last_line = reader.line_num
        for values in reader:
            if any(v.strip() for v in values):
                rows.append((last_line + 1, values))
            last_line = reader.line_num
    except csv.Error:
        result.problems.append(Problem(None, f"The file is not a CSV file that can be read: line {reader.line_num} "
                                             "is not valid CSV. Check for a quotation mark that is not closed."))
        return result
    index, problem = _index(header)
    if problem:
        result.problems.append(problem)
        return result
    if not rows:
        result.problems.append(Problem(None, "The file has a header row but no completions in it."))
        return result
    for line, values in rows:
        record, problems = _read_row(line, index, len(header), values, today)
        if record is not None:
            result.records.append(record)
        result.problems += problems
    return result
