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
    return latest_completions_of([person_id]).get(person_id, {})


def latest_completions_of(person_ids) -> dict[int, dict[int, object]]:
    """Each person's latest completion date per course, in one statement."""
    done: dict[int, dict[int, object]] = {}
    if not person_ids:
        return done
    rows = db.session.execute(
        select(Completion.person_id, Completion.course_id, func.max(Completion.completed_on))
        .where(Completion.person_id.in_(list(person_ids))).group_by(Completion.person_id, Completion.course_id))
    for person_id, course_id, completed_on in rows:
        done.setdefault(person_id, {})[course_id] = completed_on
    return done


def _has_required_learning(person: Person) -> bool:
    return person.organisation.kind == CHILDRENS_CARE and person.start_date is not None


def required_learning(person: Person, today) -> list[Window]:
    """Each windowed group with its due date and the person's status on every course in it,
    shortest window first. Only Children's Care staff with a start date have required learning."""
    return required_learning_for([person], today)[person.id]


def required_learning_for(people, today) -> dict[int, list[Window]]:
    """`required_learning` for many people at once: three statements however many people."""
    people = list({p.id: p for p in people}.values())
    result: dict[int, list[Window]] = {p.id: [] for p in people}
    eligible = [p for p in people if _has_required_learning(p)]
    if not eligible:
        return result
    groups = windowed_groups()
    if not groups:
        return result
    courses = db.session.scalars(
        select(Course).where(Course.group_id.in_([g.id for g in groups]), Course.status == ACTIVE)
        .order_by(Course.position, Course.title)).all()
    done_by_person = latest_completions_of([p.id for p in eligible])
    for person in eligible:
        done = done_by_person.get(person.id, {})
        windows = []
        for group in groups:
            due_on = rules.window_due_date(person.start_date, group.window)
            window = Window(group=group, due_on=due_on)
            for course in (c for c in courses if c.group_id == group.id):
                status = rules.requirement_status(due_on, done.get(course.id), today, person.leaving_date)
                window.items.append(RequiredItem(course, status))
            windows.append(window)
        windows.sort(key=lambda w: w.due_on)
        result[person.id] = windows
    return result


@dataclass
class TrainingPosition:
    """A person's current mandatory-training position, in one line for a manager's queue."""

    completed: int
    total: int
    overdue: int
    due_soon: int

    @property
    def tag(self) -> dict:
        if self.overdue:
            return {"text": f"{self.overdue} overdue", "classes": "govuk-tag--red"}
        if self.due_soon:
            return {"text": f"{self.due_soon} due soon", "classes": "govuk-tag--orange"}
        if self.total and self.completed == self.total:
            return {"text": "Up to date", "classes": "govuk-tag--green"}
        if not self.total:
            return {"text": "None required", "classes": "govuk-tag--grey"}
        return {"text": "On track", "classes": "govuk-tag--blue"}

    @property
    def summary(self) -> str:
        return f"{self.completed} of {self.total} required courses completed" if self.total else \
            "No required learning recorded for this person"


def position_of(windows: list[Window]) -> TrainingPosition:
    statuses = [item.status for window in windows for item in window.items]
    completed, total = rules.progress(statuses)
    return TrainingPosition(completed, total, sum(1 for s in statuses if s.kind == rules.OVERDUE),
                            sum(1 for s in statuses if s.kind == rules.DUE_SOON))


def training_positions(people, today) -> dict[int, TrainingPosition]:
    """Each distinct person's position (a fixed number of statements for the whole list)."""
    return {pid: position_of(windows) for pid, windows in required_learning_for(people, today).items()}
