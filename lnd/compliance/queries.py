"""Read models for required learning (a fixed number of queries per page)."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from lnd.compliance import rules
from lnd.courses.models import ACTIVE, Completion, Course, CourseGroup, Section
from lnd.extensions import db
from lnd.people.models import CHILDRENS_CARE, Person


@dataclass
class RequiredItem:
    course: Course
    status: rules.Status


@dataclass
class Window:
    group: CourseGroup
    due_on: object
    items: list[RequiredItem] = field(default_factory=list)

    @property
    def completed(self) -> int:
        return rules.progress([i.status for i in self.items])[0]

    @property
    def total(self) -> int:
        return rules.progress([i.status for i in self.items])[1]

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 100


def windowed_groups() -> list[CourseGroup]:
    """Course groups that carry a completion window (the induction windows and the core offer)."""
    return list(db.session.scalars(
        select(CourseGroup).join(Section)
        .where(CourseGroup.window_amount.is_not(None), CourseGroup.retired.is_(False), Section.retired.is_(False))
        .order_by(Section.position, CourseGroup.position)))


def latest_completions(person_id: int) -> dict[int, object]:
    rows = db.session.execute(
        select(Completion.course_id, func.max(Completion.completed_on))
        .where(Completion.person_id == person_id).group_by(Completion.course_id))
    return {course_id: completed_on for course_id, completed_on in rows}


def required_learning(person: Person, today) -> list[Window]:
    """Each windowed group with its due date and the person's status on every course in it,
    shortest window first. Only Children's Care staff with a start date have required learning."""
    if person.organisation.kind != CHILDRENS_CARE or person.start_date is None:
        return []
    groups = windowed_groups()
    if not groups:
        return []
    courses = db.session.scalars(
        select(Course).where(Course.group_id.in_([g.id for g in groups]), Course.status == ACTIVE)
        .order_by(Course.position, Course.title)).all()
    done = latest_completions(person.id)
    windows = []
    for group in groups:
        due_on = rules.window_due_date(person.start_date, group.window)
        window = Window(group=group, due_on=due_on)
        for course in (c for c in courses if c.group_id == group.id):
            status = rules.requirement_status(due_on, done.get(course.id), today, person.leaving_date)
            window.items.append(RequiredItem(course, status))
        windows.append(window)
    windows.sort(key=lambda w: w.due_on)
    return windows
