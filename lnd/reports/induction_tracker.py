"""The induction tracker: everyone in their first 6 months (or starting soon) and where they stand on
the two induction windows. A fixed number of statements whatever the number of people."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select

from lnd.compliance import queries as compliance_queries
from lnd.core.dates import add_months
from lnd.extensions import db
from lnd.people.models import OD_ADMIN, Person
from lnd.people.queries import report_ids_query

# The windows of the offer's Induction section are the induction windows (4 weeks and 6 months).
INDUCTION_SECTION = "induction"
FIRST_MONTHS = 6          # "in their first 6 months": the corporate induction window
STARTING_SOON_MONTHS = 3  # people HR has added before their first day, up to 3 months ahead


@dataclass
class WindowPosition:
    key: str
    title: str
    due_on: date | None
    completed: int
    total: int
    overdue: int

    @property
    def done(self) -> bool:
        return self.total > 0 and self.completed == self.total


@dataclass
class Starter:
    person: Person
    today: date
    windows: dict[str, WindowPosition] = field(default_factory=dict)

    @property
    def starting_soon(self) -> bool:
        return self.person.start_date > self.today

    @property
    def overdue(self) -> int:
        return sum(w.overdue for w in self.windows.values())

    @property
    def next_due(self) -> date | None:
        dates = [w.due_on for w in self.windows.values() if w.due_on and not w.done]
        return min(dates) if dates else None

    @property
    def complete(self) -> bool:
        return all(w.done for w in self.windows.values())


def induction_windows() -> list[tuple[str, str]]:
    """(key, title) of the induction windows, shortest first."""
    from lnd.courses.models import CourseGroup, Section

    keys = set(db.session.scalars(select(CourseGroup.slug).join(Section, CourseGroup.section_id == Section.id)
                                  .where(Section.slug == INDUCTION_SECTION)))
    return [(key, title) for key, title in compliance_queries.windows_in_order() if key in keys]


def starters(viewer: Person, today: date, team_id: int | None = None) -> tuple[list[tuple[str, str]], list[Starter]]:
    """The induction windows, and the people the viewer may see (OD: everyone; a manager: their
    direct and indirect reports) who started within the last 6 months or start within 3, with their
    position on each induction window: soonest due first, those with everything done last."""
    windows = induction_windows()
    stmt = select(Person).where(
        Person.start_date.is_not(None),
        Person.start_date > add_months(today, -FIRST_MONTHS),
        Person.start_date <= add_months(today, STARTING_SOON_MONTHS),
        or_(Person.leaving_date.is_(None), Person.leaving_date >= today))
    if not viewer.has_role(OD_ADMIN):
        stmt = stmt.where(Person.id.in_(report_ids_query(viewer.id)))
    if team_id is not None:
        stmt = stmt.where(Person.team_id == team_id)
    people = list(db.session.scalars(stmt.order_by(Person.start_date, Person.last_name, Person.first_name)))
    wanted = {key for key, _title in windows}
    by_id = {p.id: p for p in people}
    rows = []
    for person_id, person_windows in compliance_queries.required_learning_for(people, today).items():
        starter = Starter(by_id[person_id], today)
        for window in person_windows:
            if window.key in wanted:
                starter.windows[window.key] = WindowPosition(window.key, window.title, window.due_on, window.completed,
                                                             window.total, window.overdue)
        if starter.windows:
            rows.append(starter)
    rows.sort(key=lambda s: (s.complete, s.next_due or date.max, s.person.last_name, s.person.first_name))
    return windows, rows
