"""Reading the e-learning platform's CSV export of completions: person, course, completion date."""
from __future__ import annotations

from datetime import date

from lnd.core.imports import column_name, csv_records, separator_hint, width_problem
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


def _index(header: list[str]) -> tuple[dict[str, int], Problem | None]:
    names = [column_name(h) for h in header]
    index, problems = {}, []
    for column, accepted in COLUMNS.items():
        found = [i for i, name in enumerate(names) if name in accepted]
        if len(found) > 1:
            problems.append(f"the columns {' and '.join(header[i].strip() for i in found)} both name the {column}")
        elif found:
            index[column] = found[0]
    missing = [c for c in COLUMNS if c not in index]
    if missing and not problems:
        return index, Problem(None, f"The file is missing the column{'s' if len(missing) > 1 else ''} "
                                    f"{', '.join(missing)}. The first line must name the columns: "
                                    f"{', '.join(COLUMNS)}.{separator_hint(header)}")
    if problems:
        return index, Problem(None, f"The header row is ambiguous: {'; '.join(problems)}.")
    return index, None


def _read_row(line: int, index: dict[str, int], width: int, values: list[str],
              today: date) -> tuple[CompletionRecord | None, list[Problem]]:
    if message := width_problem(values, width):
        return None, [Problem(line, message)]
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
    header, rows, problem = csv_records(text)
    if problem:
        result.problems.append(problem)
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
