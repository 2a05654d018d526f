"""Reading an e-learning completions file into records and problems, without the database.

Two kinds of file come from the council's e-learning platform: a CSV export (person, course,
completion date) and xAPI statements (a JSON array, or one statement per line). The kind is told by
the content, not the file's name: a file whose first character is `[` or `{` is xAPI.
`read_file(data, today)` returns what it could read and every problem it found, each with its line.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from lnd.core import imports as shared
from lnd.core.imports import DecodeMessages, Problem, quote  # noqa: F401  (Problem and quote for the readers)
from lnd.core.templating import format_date

CSV, XAPI = "CSV", "xAPI"
EMAIL, EMPLOYEE_NUMBER = "email", "employee_number"
MAX_PERSON_LENGTH = 254
MAX_COURSE_LENGTH = 200

WHAT_TO_UPLOAD = "Export the completions from the e-learning platform as a CSV file or as xAPI statements (JSON)"


@dataclass(frozen=True)
class CompletionRecord:
    """One completion the file reports: a person (by email or employee number) finished a course."""

    line: int
    person_kind: str          # EMAIL or EMPLOYEE_NUMBER
    person_key: str           # the email in lower case, or the employee number as written
    course_key: str           # an external id, or (CSV only) a course's exact title
    completed_on: date
    title_allowed: bool = True             # CSV rows may name a course by its title; xAPI ids may not
    statement_id: str | None = None        # xAPI: the statement's UUID, lower case
    verb: str | None = None                # xAPI: completed or passed
    timestamp: datetime | None = None      # xAPI: when it happened


@dataclass
class ReadFile:
    kind: str
    records: list[CompletionRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)   # xAPI: statements with other verbs, by verb

    @property
    def ignored_count(self) -> int:
        return sum(self.ignored.values())


def parse_date(text: str) -> date | None:
    """YYYY-MM-DD or DD/MM/YYYY (a time of day after it is allowed and dropped); None otherwise."""
    return shared.parse_date(text, time_allowed=True)


def person_identifier(text: str) -> tuple[str, str]:
    """(kind, key): an email address (anything with an @) or an employee number."""
    text = text.strip()
    return (EMAIL, text.lower()) if "@" in text else (EMPLOYEE_NUMBER, text)


def person_problem(kind: str, key: str, label: str) -> str | None:
    if len(key) > MAX_PERSON_LENGTH:
        return f"The {label} is longer than {MAX_PERSON_LENGTH} characters."
    if kind == EMAIL and not shared.EMAIL.match(key):
        return f"The {label} {quote(key)} is not a valid email address."
    return None


def future_problem(completed_on: date, today: date, label: str) -> str | None:
    if completed_on > today:
        return f"The {label} {format_date(completed_on)} is in the future."
    return None


DECODE_MESSAGES = DecodeMessages(
    empty=f"The file is empty. {WHAT_TO_UPLOAD}.",
    not_text=f"The file is not a CSV or JSON file: it looks like {{kind}}. {WHAT_TO_UPLOAD} and try again.",
    binary=f"The file contains binary data. {WHAT_TO_UPLOAD} and try again.",
    not_utf8="The file is not saved as UTF-8{where}. Save it as UTF-8 and try again.")


def kind_of(text: str) -> str:
    return XAPI if text.lstrip()[:1] in ("[", "{") else CSV


def read_file(data: bytes, today: date) -> ReadFile:
    """Every completion the file reports and every problem that can be seen without the database."""
    from lnd.reports.import_csv import read_csv
    from lnd.reports.import_xapi import read_statements

    text, problem = shared.decode(data, DECODE_MESSAGES)
    if problem:
        return ReadFile(kind=CSV, problems=[problem])
    if kind_of(text) == XAPI:
        return read_statements(text, today)
    return read_csv(text, today)
