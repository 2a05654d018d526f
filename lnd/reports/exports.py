"""The training matrix as CSV and XLSX: the page's filters and columns, every matching person (not
only one page), written chunk by chunk so that a 10,000-person export never sits in memory whole.

CSV is produced as a stream of text chunks; XLSX through openpyxl's write-only workbook (rows go
straight to a temporary file), and the finished workbook, itself an anonymous temporary file, is
streamed in blocks and disappears when the response closes it.
"""
from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterator
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from lnd.reports import matrix_queries as mq

CSV_MIMETYPE = "text/csv"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_PEOPLE = 500
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def filename(today: date, extension: str) -> str:
    return f"training-matrix-{today.isoformat()}.{extension}"


def safe_cell(value) -> str:
    """Spreadsheets run a cell that starts like a formula; a leading apostrophe keeps it as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def matrix_rows(filters: mq.MatrixFilters, today: date, within_reports_of: int | None,
                headings: list[mq.WindowHeading], chunk: int = CHUNK_PEOPLE) -> Iterator[list[mq.MatrixRow]]:
    """The matrix's rows a chunk of people at a time (statuses computed per chunk)."""
    stmt = mq.people_query(filters, today, within_reports_of)
    for people in mq.people_in_chunks(stmt, chunk):
        yield mq.rows_for(people, headings, today)


def csv_chunks(filters: mq.MatrixFilters, today: date, within_reports_of: int | None = None,
               chunk: int = CHUNK_PEOPLE) -> Iterator[str]:
    """CSV text in pieces: a byte-order mark (so Excel reads UTF-8) and the header, then one piece
    per chunk of people."""
    headings = mq.window_headings(filters.section_slug)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(v) for v in mq.header_row(headings)])
    yield "\ufeff" + out.getvalue()
    for rows in matrix_rows(filters, today, within_reports_of, headings, chunk):
        out.seek(0)
        out.truncate()
        writer.writerows([safe_cell(v) for v in row.texts] for row in rows)
        yield out.getvalue()


def write_csv(target, filters: mq.MatrixFilters, today: date, within_reports_of: int | None = None) -> None:
    for piece in csv_chunks(filters, today, within_reports_of):
        target.write(piece)


def _as_text(sheet, value):
    """openpyxl would store a string that starts with '=' as a formula: such a cell is kept as text."""
    if isinstance(value, str) and value.startswith("="):
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def write_xlsx(target, filters: mq.MatrixFilters, today: date, within_reports_of: int | None = None,
               chunk: int = CHUNK_PEOPLE) -> int:
    """Write the workbook to `target` (a path or a binary file); returns how many people it holds."""
    headings = mq.window_headings(filters.section_slug)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Training matrix")
    sheet.freeze_panes = "C2"   # the header row and the employee number and name stay in view
    header = []
    for title in mq.header_row(headings):
        cell = WriteOnlyCell(sheet, value=title)
        cell.data_type = "s"
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    count = 0
    for rows in matrix_rows(filters, today, within_reports_of, headings, chunk):
        for row in rows:
            values = row.person_values
            start = WriteOnlyCell(sheet, value=row.person.start_date)
            start.number_format = "d mmm yyyy"   # a real date, shown as on the page
            sheet.append([_as_text(sheet, v) for v in values[:-1]] + [start] + [c.text for c in row.cells])
            count += 1
    book.save(target)
    return count


def xlsx_tempfile(filters: mq.MatrixFilters, today: date, within_reports_of: int | None = None):
    """The workbook in an anonymous temporary file (gone from the disk once closed), rewound."""
    handle = tempfile.TemporaryFile(suffix=".xlsx")
    try:
        write_xlsx(handle, filters, today, within_reports_of)
        handle.seek(0)
    except BaseException:
        handle.close()
        raise
    return handle

