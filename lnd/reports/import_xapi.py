"""Reading xAPI statements: a JSON array of statements, one statement per line, or a single statement.

A statement counts when its verb is completed or passed (the last part of the verb id, so both the
ADL ids http://adlnet.gov/expapi/verbs/completed and …/passed and platform variants match); other
verbs are ignored and counted. The person is the actor's mbox (mailto:email) or account name (the
employee number); the course is the object id, matched to a course's e-learning platform id; the date
is the timestamp's day in Europe/London (the statement's `stored` time when it has no timestamp).
"""
from __future__ import annotations

import json
import uuid
from datetime import date, datetime

from lnd.core.clock import LONDON
from lnd.reports.imports import (
    EMAIL, EMPLOYEE_NUMBER, MAX_COURSE_LENGTH, XAPI, CompletionRecord, Problem, ReadFile, future_problem,
    person_problem, quote,
)

COUNTED_VERBS = ("completed", "passed")
_WHITESPACE = " \t\r\n"


class _Lines:
    """Line numbers of positions in the text, counted incrementally (positions only move forward)."""

    def __init__(self, text: str):
        self.text, self.position, self.line = text, 0, 1

    def of(self, position: int) -> int:
        if position < self.position:
            return self.text.count("\n", 0, position) + 1
        self.line += self.text.count("\n", self.position, position)
        self.position = position
        return self.line


# What json raises on text it cannot read: a syntax error (JSONDecodeError, a ValueError), lists or
# objects nested too deeply for the parser (RecursionError), or an integer of thousands of digits
# (ValueError: Python limits integer conversion).
UNREADABLE = (RecursionError, ValueError)


def _json_error(error: Exception, what: str) -> str:
    if isinstance(error, json.JSONDecodeError):
        return f"{what} is not valid JSON: {error.msg.lower()} (column {error.colno})."
    if isinstance(error, RecursionError):
        return f"{what} cannot be read: its lists or objects are nested too deeply."
    return f"{what} cannot be read: it holds a number with too many digits."


def _array(text: str) -> tuple[list[tuple[int, object]], list[Problem]]:
    """The items of a JSON array with the line each starts on; stops at the first syntax error."""
    decoder, lines, items = json.JSONDecoder(), _Lines(text), []
    size = len(text)

    def skip(i: int) -> int:
        while i < size and text[i] in _WHITESPACE:
            i += 1
        return i

    i = skip(skip(0) + 1)   # past the opening [
    if i < size and text[i] == "]":
        i = skip(i + 1)
    else:
        while True:
            try:
                value, end = decoder.raw_decode(text, i)
            except UNREADABLE as error:
                line = error.lineno if isinstance(error, json.JSONDecodeError) else lines.of(i)
                return items, [Problem(line, _json_error(error, "The file") +
                                       " Nothing after this point could be read.")]
            items.append((lines.of(i), value))
            i = skip(end)
            if i < size and text[i] == ",":
                i = skip(i + 1)
                continue
            if i < size and text[i] == "]":
                i = skip(i + 1)
                break
            where = lines.of(min(i, size))
            return items, [Problem(where, "The file is not valid JSON: expected a comma or the ] that closes "
                                          "the list of statements. Nothing after this point could be read.")]
    if i < size:
        return items, [Problem(lines.of(i), "The file is not valid JSON: there is more text after the ] that "
                                            "closes the list of statements.")]
    return items, []


def _json_lines(text: str) -> tuple[list[tuple[int, object]], list[Problem]]:
    """One statement per line (blank lines skipped); a whole file holding one statement is accepted too."""
    try:
        single = json.loads(text)
    except UNREADABLE:
        single = None
    if isinstance(single, dict):
        return [(text[:len(text) - len(text.lstrip())].count("\n") + 1, single)], []
    items, problems = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append((number, json.loads(line)))
        except UNREADABLE as error:
            hint = " Each line must hold one whole statement." if isinstance(error, json.JSONDecodeError) else ""
            problems.append(Problem(number, _json_error(error, "The line") + hint))
    return items, problems


def _verb(statement: dict) -> tuple[str | None, str]:
    """(completed|passed or None, how to name the verb when it is ignored)."""
    verb = statement.get("verb")
    verb_id = verb.get("id") if isinstance(verb, dict) else None
    if not isinstance(verb_id, str) or not verb_id.strip():
        return None, ""
    last = verb_id.strip().rstrip("/").replace("#", "/").rsplit("/", 1)[-1].lower()
    if last in COUNTED_VERBS:
        return last, last
    display = verb.get("display") if isinstance(verb.get("display"), dict) else {}
    name = display.get("en-GB") or display.get("en-US") or display.get("en") or last or verb_id
    return None, str(name)[:60]


def _actor(statement: dict) -> tuple[str, str] | str:
    """(kind, key) or the problem with the actor."""
    actor = statement.get("actor")
    if not isinstance(actor, dict):
        return "The statement has no actor."
    mbox = actor.get("mbox")
    if isinstance(mbox, str) and mbox.strip():
        if not mbox.strip().lower().startswith("mailto:"):
            return f"The actor's mbox {quote(mbox.strip())} does not start with mailto:."
        key = mbox.strip()[len("mailto:"):].strip().lower()
        return person_problem(EMAIL, key, "actor's email address") or (EMAIL, key)
    account = actor.get("account")
    name = account.get("name") if isinstance(account, dict) else None
    if isinstance(name, (str, int)) and str(name).strip():
        key = str(name).strip()
        return person_problem(EMPLOYEE_NUMBER, key, "actor's account name") or (EMPLOYEE_NUMBER, key)
    return "The actor has neither an mbox (mailto: and an email address) nor an account name (an employee number)."


def _when(statement: dict) -> datetime | str:
    value = statement.get("timestamp") or statement.get("stored")
    if not value:
        return "The statement has no timestamp."
    if not isinstance(value, str):
        return "The statement's timestamp is not text."
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return f"The timestamp {quote(value)} is not a date and time like 2026-11-01T10:30:00Z."
    return moment if moment.tzinfo else moment.replace(tzinfo=LONDON)


def read_statement(line: int, statement, today: date) -> tuple[CompletionRecord | None, list[str], str | None]:
    """(the completion, the problems, the verb when the statement is ignored)."""
    if not isinstance(statement, dict):
        return None, ["The statement is not a JSON object."], None
    verb, name = _verb(statement)
    if verb is None and not name:
        return None, ["The statement has no verb id."], None
    if verb is None:
        return None, [], name
    problems = []
    statement_id = statement.get("id")
    if statement_id is not None:
        try:
            statement_id = str(uuid.UUID(str(statement_id)))
        except ValueError:
            problems.append(f"The statement id {quote(str(statement_id))} is not a UUID.")
    actor = _actor(statement)
    if isinstance(actor, str):
        problems.append(actor)
    target = statement.get("object")
    course = target.get("id") if isinstance(target, dict) else None
    if not isinstance(course, str) or not course.strip():
        problems.append("The statement has no object id (the course's e-learning platform id).")
    elif len(course.strip()) > MAX_COURSE_LENGTH:
        problems.append(f"The object id is longer than {MAX_COURSE_LENGTH} characters.")
    moment = _when(statement)
    if isinstance(moment, str):
        problems.append(moment)
    elif message := future_problem(moment.astimezone(LONDON).date(), today, "timestamp"):
        problems.append(message)
    if problems:
        return None, problems, None
    kind, key = actor
    return CompletionRecord(line=line, person_kind=kind, person_key=key, course_key=course.strip(),
                            completed_on=moment.astimezone(LONDON).date(), title_allowed=False,
                            statement_id=statement_id, verb=verb, timestamp=moment), [], None


def read_statements(text: str, today: date) -> ReadFile:
    result = ReadFile(kind=XAPI)
    items, result.problems = _array(text) if text.lstrip().startswith("[") else _json_lines(text)
    if not items and not result.problems:
        result.problems.append(Problem(None, "The file holds no xAPI statements."))
    for line, statement in items:
        record, problems, ignored = read_statement(line, statement, today)
        if record is not None:
            result.records.append(record)
        if ignored:
            result.ignored[ignored] = result.ignored.get(ignored, 0) + 1
        result.problems += [Problem(line, message) for message in problems]
    result.problems.sort(key=lambda p: p.line or 0)
    return result
