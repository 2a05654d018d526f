"""Read models for required learning: the requirement rules applied to people, in a fixed number of
statements however many people are asked about."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from lnd.bookings.models import Booking, CourseSession
from lnd.bookings.rules import BOOKED as BOOKING_BOOKED
from lnd.compliance import rules
from lnd.compliance.models import Exemption, Requirement
from lnd.core.clock import LONDON, london_date
from lnd.core.dates import Period
from lnd.courses.models import ACTIVE, Completion, Course, CourseGroup
from lnd.extensions import db
from lnd.people.models import CHILDRENS_CARE, MANAGER, Person


@dataclass
class RequiredItem:
    course: Course
    requirement: Requirement
    status: rules.Status
    counted_from: date | None = None
    counted_from_why: str = "start"  # 'start', 'rule' (in post before the rule began) or 'role' (changed job)

    @property
    def basis(self) -> str:
        """'Complete within 4 weeks of starting', or of the day the clock started when that was later."""
        text = f"Complete within {self.requirement.window}"
        if self.counted_from_why == "rule":
            return f"{text} of {rules.long_date(self.counted_from)}, when this requirement began"
        if self.counted_from_why == "role":
            return f"{text} of moving into the role on {rules.long_date(self.counted_from)}"
        return f"{text} of starting"


@dataclass
class Window:
    """The required courses of one course group (e.g. the 4-week Children's Services induction)."""

    key: str
    title: str
    group: CourseGroup
    items: list[RequiredItem] = field(default_factory=list)

    @property
    def due_on(self) -> date | None:
        dates = [i.status.due_on for i in self.items if i.status.due_on]
        return min(dates) if dates else None

    @property
    def completed(self) -> int:
        return rules.progress([i.status for i in self.items])[0]

    @property
    def total(self) -> int:
        return rules.progress([i.status for i in self.items])[1]

    @property
    def percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 100

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.status.is_overdue)

    @property
    def basis(self) -> str:
        return self.items[0].basis if self.items else ""


@dataclass(frozen=True)
class StatusRow:
    person_id: int
    course_id: int
    requirement_id: int
    window_key: str
    status: rules.Status


@dataclass
class _Rule:
    requirement: Requirement
    courses: list[Course]
    audience: rules.Audience
    window: Period
    renewal: Period | None


def _window_length(requirement: Requirement) -> int:
    return (requirement.window.after(date(2001, 1, 1)) - date(2001, 1, 1)).days


def active_requirements() -> list[Requirement]:
    return list(db.session.scalars(
        select(Requirement).where(Requirement.retired.is_(False)).order_by(Requirement.position, Requirement.id)))


def _rules() -> list[_Rule]:
    """Each active requirement with the available courses it covers (a fixed number of statements)."""
    requirements = active_requirements()
    if not requirements:
        return []
    courses = db.session.scalars(
        select(Course).where(Course.group_id.in_({r.group_id for r in requirements}), Course.status == ACTIVE)
        .order_by(Course.position, Course.title)).all()
    result = []
    for requirement in requirements:
        if requirement.whole_group:
            excluded = {c.id for c in requirement.excluded_courses}
            covered = [c for c in courses if c.group_id == requirement.group_id and c.id not in excluded]
        else:
            named = {c.id for c in requirement.courses}
            covered = [c for c in courses if c.id in named]
        result.append(_Rule(requirement, covered, requirement.audience_rule, requirement.window,
                            requirement.renewal))
    result.sort(key=lambda rule: (_window_length(rule.requirement), rule.requirement.position))
    return result


def windows_in_order() -> list[tuple[str, str]]:
    """(key, title) of each window, shortest first: the 4-week induction, the 6-month induction,
    the core offer."""
    return [(group.slug, group.title) for group, _ in required_courses_by_window()]


def required_courses_by_window() -> list[tuple[CourseGroup, list[Course]]]:
    """Each window (shortest first) with every available course some active requirement covers,
    in the offer's order: the columns of a training matrix."""
    windows: dict[str, tuple[CourseGroup, dict[int, Course]]] = {}
    placed: set[int] = set()
    for rule in _rules():
        group = rule.requirement.group
        _, courses = windows.setdefault(group.slug, (group, {}))
        for course in rule.courses:
            if course.id not in placed:
                placed.add(course.id)
                courses[course.id] = course
    return [(group, sorted(courses.values(), key=lambda c: (c.position, c.title)))
            for group, courses in windows.values()]


def requirements_for_course(course: Course) -> list[Requirement]:
    """The active requirements that cover a course (shown on the course page)."""
    return [rule.requirement for rule in _rules() if any(c.id == course.id for c in rule.courses)]


def person_facts(person: Person) -> rules.PersonFacts:
    role = person.job_role
    return rules.PersonFacts(
        in_childrens_care=person.organisation.kind == CHILDRENS_CARE,
        start_date=person.start_date, leaving_date=person.leaving_date,
        job_role_id=person.job_role_id, job_role_since=person.job_role_since, team_id=person.team_id,
        is_social_worker=person.is_social_worker,
        is_manager=bool(role and role.is_management) or person.has_role(MANAGER),
    )


def latest_completions(person_id: int) -> dict[int, object]:
    return latest_completions_of([person_id]).get(person_id, {})


def latest_completions_of(person_ids, as_at: date | None = None) -> dict[int, dict[int, date]]:
    """Each person's latest completion date per course (on or before `as_at`), in one statement."""
    done: dict[int, dict[int, date]] = {}
    if not person_ids:
        return done
    stmt = select(Completion.person_id, Completion.course_id, func.max(Completion.completed_on)) \
        .where(Completion.person_id.in_(list(person_ids)))
    if as_at is not None:
        stmt = stmt.where(Completion.completed_on <= as_at)
    rows = db.session.execute(stmt.group_by(Completion.person_id, Completion.course_id))
    for person_id, course_id, completed_on in rows:
        done.setdefault(person_id, {})[course_id] = completed_on
    return done


def exemptions_of(person_ids, as_at: date | None = None) -> dict[int, dict[int, str]]:
    """person -> course -> the reason the OD team recorded (by the end of `as_at`), in one statement."""
    found: dict[int, dict[int, str]] = {}
    if not person_ids:
        return found
    stmt = select(Exemption.person_id, Exemption.course_id, Exemption.reason) \
        .where(Exemption.person_id.in_(list(person_ids)))
    if as_at is not None:
        stmt = stmt.where(Exemption.created_at < datetime.combine(as_at + timedelta(days=1), time(0, 0), tzinfo=LONDON))
    rows = db.session.execute(stmt)
    for person_id, course_id, reason in rows:
        found.setdefault(person_id, {})[course_id] = reason
    return found


def next_booked_sessions_of(person_ids, today: date) -> dict[int, dict[int, date]]:
    """person -> course -> the date of the next session (today or later) they hold a place on."""
    found: dict[int, dict[int, date]] = {}
    if not person_ids:
        return found
    from_moment = datetime.combine(today, time(0, 0), tzinfo=LONDON)
    rows = db.session.execute(
        select(Booking.person_id, CourseSession.course_id, func.min(CourseSession.starts_at))
        .join(CourseSession, Booking.session_id == CourseSession.id)
        .where(Booking.person_id.in_(list(person_ids)), Booking.state == BOOKING_BOOKED,
               CourseSession.starts_at >= from_moment)
        .group_by(Booking.person_id, CourseSession.course_id))
    for person_id, course_id, starts_at in rows:
        found.setdefault(person_id, {})[course_id] = london_date(starts_at)
    return found


def required_learning(person: Person, today: date) -> list[Window]:
    """Each window with the person's status on every course required of them, shortest window first."""
    return required_learning_for([person], today)[person.id]


def required_learning_for(people, today: date) -> dict[int, list[Window]]:
    """`required_learning` for many people at once, in a fixed number of statements. Only what was
    recorded by `today` counts, so a past day gives the position as it stood then (bookings apart)."""
    people = list({p.id: p for p in people}.values())
    result: dict[int, list[Window]] = {p.id: [] for p in people}
    facts = {p.id: person_facts(p) for p in people}
    eligible = [p for p in people if facts[p.id].start_date is not None]
    if not eligible:
        return result
    all_rules = _rules()
    if not all_rules:
        return result
    ids = [p.id for p in eligible]
    done, exempt = latest_completions_of(ids, as_at=today), exemptions_of(ids, as_at=today)
    booked = next_booked_sessions_of(ids, today)
    compiled, memo, empty = _compile(all_rules), _Memo(), {}
    for person in eligible:
        pid = person.id
        result[pid] = _windows(facts[pid], all_rules, today, done.get(pid, empty), exempt.get(pid, empty),
                               booked.get(pid, empty), compiled=compiled, memo=memo)
    return result


@dataclass
class _Compiled:
    """What the per-person loop needs of a rule, read from the ORM objects once per call."""

    rule: _Rule
    requirement: Requirement
    audience: rules.Audience
    audience_kind: str
    starts_on: date | None
    window: Period
    renewal: Period | None
    renewal_key: tuple | None
    group: CourseGroup
    slug: str
    title: str
    courses: list[tuple[int, Course]]


def _compile(all_rules: list[_Rule]) -> list[_Compiled]:
    result = []
    for rule in all_rules:
        requirement, group = rule.requirement, rule.requirement.group
        renewal = rule.renewal
        result.append(_Compiled(
            rule, requirement, rule.audience, requirement.audience, requirement.starts_on, rule.window, renewal,
            (renewal.amount, renewal.unit) if renewal is not None else None, group, group.slug, group.title,
            [(course.id, course) for course in rule.courses]))
    return result


class _Memo:
    """Results of the pure rules shared across the people of one call: due dates by (rule, day the
    clock started) and statuses by their arguments, (due date, leaving date, renewal) then
    (completed, booked, exemption reason) (Status is frozen, so equal ones may be shared)."""

    __slots__ = ("due", "status")

    def __init__(self):
        self.due: dict = {}
        self.status: dict = {}


def _windows(person: rules.PersonFacts, all_rules: list[_Rule], today: date, done: dict, exempt: dict,
             booked: dict, *, compiled: list[_Compiled] | None = None, memo: _Memo | None = None) -> list[Window]:
    if compiled is None:
        compiled = _compile(all_rules)
    if memo is None:
        memo = _Memo()
    due_memo, status_memo, requirement_status = memo.due, memo.status, rules.requirement_status
    start_date, role_since, leaving_date = person.start_date, person.job_role_since, person.leaving_date
    windows: dict[str, Window] = {}
    placed: set[int] = set()
    for index, rule in enumerate(compiled):  # shortest window first: a course required twice is due at the earlier date
        if not rules.applies_to(rule.audience, person):
            continue
        begin = rules.counted_from(person, rule.audience_kind, rule.starts_on)
        why = "start" if begin == start_date else ("role" if begin == role_since else "rule")
        due_on = due_memo.get((index, begin))
        if due_on is None:
            due_on = due_memo[(index, begin)] = rule.window.after(begin)
        window = windows.get(rule.slug)
        if window is None:
            window = windows[rule.slug] = Window(key=rule.slug, title=rule.title, group=rule.group)
        requirement, renewal, items = rule.requirement, rule.renewal, window.items
        statuses = status_memo.get((due_on, leaving_date, rule.renewal_key))
        if statuses is None:
            statuses = status_memo[(due_on, leaving_date, rule.renewal_key)] = {}
        for course_id, course in rule.courses:
            if course_id in placed:
                continue
            placed.add(course_id)
            key = (done.get(course_id), booked.get(course_id), exempt.get(course_id))
            status = statuses.get(key)
            if status is None:
                status = statuses[key] = requirement_status(
                    due_on, key[0], today, leaving_date, renewal=renewal, booked_on=key[1], exempt_reason=key[2])
            items.append(RequiredItem(course, requirement, status, begin, why))
    return [w for w in windows.values() if w.items]


def status_rows(people, today: date) -> list[StatusRow]:
    """Every (person, required course) status, flat, for reports, exports, the API and reminders."""
    return [StatusRow(person_id, item.course.id, item.requirement.id, window.key, item.status)
            for person_id, windows in required_learning_for(people, today).items()
            for window in windows for item in window.items]


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
    return TrainingPosition(completed, total, sum(1 for s in statuses if s.is_overdue),
                            sum(1 for s in statuses if s.kind == rules.DUE_SOON))


def training_positions(people, today: date) -> dict[int, TrainingPosition]:
    """Each distinct person's position (a fixed number of statements for the whole list)."""
    return {pid: position_of(windows) for pid, windows in required_learning_for(people, today).items()}
