"""Calendar arithmetic shared by rules (pure; no clock)."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

UNITS = ("days", "weeks", "months", "years")


@dataclass(frozen=True)
class Period:
    """A length of time as the offer states it: '4 weeks', '6 months', '3 years'."""

    amount: int
    unit: str

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"Unknown period unit {self.unit!r}; use one of {', '.join(UNITS)}.")
        if self.amount < 0:
            raise ValueError("A period cannot be negative.")

    @classmethod
    def parse(cls, text: str) -> "Period":
        """'4 weeks' -> Period(4, 'weeks'); singular units are accepted."""
        parts = str(text).split()
        if len(parts) != 2 or not parts[0].isdigit():
            raise ValueError(f"{text!r} is not a period such as '4 weeks' or '6 months'.")
        unit = parts[1].lower()
        if not unit.endswith("s"):
            unit += "s"
        return cls(int(parts[0]), unit)

    def __str__(self) -> str:
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.amount} {unit}"

    def after(self, start: date) -> date:
        return add_period(start, self.amount, self.unit)


def add_months(start: date, months: int) -> date:
    """Same day of the month `months` later, clamped to the month's last day (31 Aug + 6 months = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def add_period(start: date, amount: int, unit: str) -> date:
    if unit == "days":
        return start + timedelta(days=amount)
    if unit == "weeks":
        return start + timedelta(weeks=amount)
    if unit == "months":
        return add_months(start, amount)
    if unit == "years":
        return add_months(start, 12 * amount)
    raise ValueError(f"Unknown period unit {unit!r}.")
