"""A year's CPD laid out field by field as the Social Work England online account asks for it,
for the printable page and the CSV (one layout for both)."""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable

from lnd.cpd.models import CpdRecord
from lnd.cpd.rules import long_date


def _hours(record: CpdRecord) -> str:
    if record.hours is None:
        return ""
    return f"{record.hours.normalize():f}"


def _course(record: CpdRecord) -> str:
    if record.completion is None:
        return ""
    return f"{record.completion.course.title}, completed on {long_date(record.completion.completed_on)}"


# (label, value) in the order of the Social Work England CPD form; the peer fields are filled in
# for records with a peer reflection.
SWE_FIELDS: list[tuple[str, Callable[[CpdRecord], str]]] = [
    ("Title of CPD", lambda r: r.title),
    ("Date of CPD", lambda r: long_date(r.activity_date)),
    ("Type of CPD", lambda r: r.activity_type_label),
    ("Description of the activity and why it is relevant to you", lambda r: r.description),
    ("What you learnt from the activity", lambda r: r.learning),
    ("The impact on your practice and on the people you work with", lambda r: r.impact),
    ("Peer reflection: who you discussed it with", lambda r: r.peer_name or ""),
    ("Peer reflection: their role", lambda r: r.peer_role_label),
    ("Peer reflection: date of the discussion", lambda r: long_date(r.peer_discussed_on) if r.peer_discussed_on else ""),
    ("Peer reflection: what you learnt from discussing it with a peer", lambda r: r.peer_learning or ""),
]
# Kept for the person's own reference; the Social Work England form does not ask for them.
OWN_FIELDS: list[tuple[str, Callable[[CpdRecord], str]]] = [
    ("Hours", _hours),
    ("Linked course", _course),
    ("Evidence files", lambda r: "; ".join(a.original_name for a in r.attachments)),
]


def fields_of(record: CpdRecord) -> list[tuple[str, str]]:
    """(label, value) for the printable page, SWE fields first; empty peer fields are left out."""
    pairs = [(label, get(record)) for label, get in SWE_FIELDS + OWN_FIELDS]
    if not record.has_peer_reflection:
        pairs = [(label, value) for label, value in pairs if not label.startswith("Peer reflection")]
    return [(label, value) for label, value in pairs if value or label in dict(SWE_FIELDS)]


def csv_header() -> list[str]:
    return ["Name", "Social Work England registration number", "CPD number"] + [
        label for label, _ in SWE_FIELDS + OWN_FIELDS]


def csv_rows(person, records: Iterable[CpdRecord]) -> list[list[str]]:
    """One row per record; the person's name first so that files from several people stay apart."""
    who = [person.name, person.swe_registration_number or ""]
    return [who + [str(n)] + [get(record) for _, get in SWE_FIELDS + OWN_FIELDS]
            for n, record in enumerate(records, 1)]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """Spreadsheets run cells that start like a formula; a leading apostrophe keeps them as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(header: list[str], rows: Iterable[list]) -> str:
    """CSV text with a byte-order mark so that Excel reads the UTF-8 (curly quotes, accents) correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return "\ufeff" + out.getvalue()
