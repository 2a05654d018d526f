"""Reading the API's query parameters: anything wrong is a ParamError with a sentence for the caller."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 500
MAX_PAGE = 1_000_000
PAGING = ("page", "per_page")

_DIGITS = re.compile(r"[0-9]{1,12}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class ParamError(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Paging:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def check_known(args, allowed) -> None:
    unknown = sorted(set(args) - set(allowed))
    if unknown:
        raise ParamError(f"Unknown query parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}. "
                         f"This list accepts: {', '.join(allowed)}.")


def _single(args, name: str) -> str | None:
    values = args.getlist(name)
    if not values:
        return None
    if len(values) > 1:
        raise ParamError(f"Give {name} once, not {len(values)} times.")
    return values[0]


def _whole_number(args, name: str, default: int, lowest: int, highest: int) -> int:
    raw = _single(args, name)
    if raw is None:
        return default
    if not _DIGITS.fullmatch(raw) or not lowest <= int(raw) <= highest:
        raise ParamError(f"{name} must be a whole number from {lowest} to {highest:,}; got '{raw[:40]}'.")
    return int(raw)


def paging(args) -> Paging:
    return Paging(page=_whole_number(args, "page", 1, 1, MAX_PAGE),
                  per_page=_whole_number(args, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE))


def since(args) -> datetime | None:
    """`since` as a UTC moment: an ISO 8601 date-time (UTC when it has no offset) or a date (from
    midnight UTC at its start)."""
    raw = _single(args, "since")
    if raw is None:
        return None
    text = raw.strip()
    problem = (f"since must be an ISO 8601 date-time such as 2026-11-01T09:30:00Z, or a date such as "
               f"2026-11-01; got '{raw[:40]}'.")
    try:
        if _DATE.fullmatch(text):
            return datetime.combine(date.fromisoformat(text), time(0, 0), tzinfo=timezone.utc)
        moment = datetime.fromisoformat(_leap_second_to_59(text.upper()))
    except ValueError:
        raise ParamError(problem) from None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    try:
        return moment.astimezone(timezone.utc)
    except OverflowError:   # the first or last moments of the calendar, shifted out of range
        return datetime.min.replace(tzinfo=timezone.utc) if moment.year == 1 else \
            datetime.max.replace(tzinfo=timezone.utc)


def _leap_second_to_59(text: str) -> str:
    """RFC 3339 allows a leap second (…:60); Python's datetime does not."""
    return re.sub(r"(T[0-9]{2}:[0-9]{2}):60", r"\1:59", text)
