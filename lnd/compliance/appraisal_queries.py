"""Read models for appraisals: who may see and record them, a person's history, and the manager's
(or OD's) list of appraisals due, overdue first. Every page is a fixed number of statements."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, or_, select

from lnd.bookings.models import PreApproval
from lnd.bookings.services import preapproval_free, preapproval_usable
from lnd.compliance import appraisal_rules as rules
from lnd.compliance.appraisal_models import Appraisal
from lnd.core.pagination import Page
from lnd.courses.models import ACTIVE, Course, Section
from lnd.courses.queries import is_live
from lnd.extensions import db
from lnd.people.models import CHILDRENS_CARE, OD_ADMIN, Organisation, Person
from lnd.people.queries import can_view_person, is_manager_of, report_ids_query

DEVELOPMENTAL_OFFER = "developmental-offer"   # the section whose courses an appraisal may agree
PER_PAGE = 50


def can_view_appraisals_of(viewer: Person, person_id: int) -> bool:
    """The person, anyone above them in the management chain, and the OD team."""
    return can_view_person(viewer, person_id)


def can_record_for(viewer: Person, person: Person) -> bool:
    """The person's line manager or anyone above them; never the person. The OD team sees every
    appraisal but records none (unless they manage the person): the appraisal is the line manager's
    conversation, and the courses it agrees are agreed in the manager's name."""
    return viewer.id != person.id and is_manager_of(viewer, person.id)


def appraisal_by_id(appraisal_id: int) -> Appraisal | None:
    return db.session.get(Appraisal, appraisal_id)


def history(person_id: int) -> list[Appraisal]:
    """The person's appraisals, newest first (one statement, and one for the agreed courses)."""
    return list(db.session.scalars(
        select(Appraisal).where(Appraisal.person_id == person_id)
        .order_by(Appraisal.held_on.desc(), Appraisal.id.desc())))


def developmental_courses() -> list[Course]:
    """The Developmental Offer's live, bookable courses, in the order of the offer."""
    courses = db.session.scalars(
        select(Course).join(Section, Course.section_id == Section.id)
        .where(Section.slug == DEVELOPMENTAL_OFFER, Course.status == ACTIVE)
        .order_by(Course.position, Course.title))
    return [course for course in courses if is_live(course)]


@dataclass
class AppraisalRow:
    person: Person
    last_held_on: date | None
    last_appraisal_id: int | None
    status: rules.AppraisalStatus


@dataclass
class AppraisalList:
    page: Page
    overdue: int
    due_soon: int
    total: int


def _people_in_view(viewer: Person, today: date):
    """Current Children's Care staff the viewer sees: OD everyone, a manager their reports."""
    stmt = (select(Person.id, Person.start_date, Person.leaving_date, Person.last_name, Person.first_name)
            .join(Organisation, Person.organisation_id == Organisation.id)
            .where(Organisation.kind == CHILDRENS_CARE,
                   or_(Person.leaving_date.is_(None), Person.leaving_date >= today)))
    if not viewer.has_role(OD_ADMIN):
        stmt = stmt.where(Person.id.in_(report_ids_query(viewer.id)))
    return stmt


def appraisals_due(viewer: Person, today: date, *, page: int = 1, per_page: int | None = None,
                   only: str | None = None) -> AppraisalList:
    """Everyone in view with their last appraisal, next due date and status, most pressing first.
    `only` keeps one status kind. Three statements, whatever the number of people."""
    per_page = per_page or PER_PAGE
    people = _people_in_view(viewer, today).subquery()
    latest = (select(Appraisal.person_id, func.max(Appraisal.held_on).label("held_on"))
              .group_by(Appraisal.person_id).subquery())
    rows = db.session.execute(
        select(people.c.id, people.c.start_date, people.c.leaving_date, people.c.last_name, people.c.first_name,
               latest.c.held_on)
        .outerjoin(latest, latest.c.person_id == people.c.id)).all()
    ranked = []
    for person_id, start, leaving, last_name, first_name, held_on in rows:
        status = rules.appraisal_status(held_on, start, today, leaving)
        ranked.append((rules.most_pressing_first(status), last_name, first_name, person_id, held_on, status))
    ranked.sort(key=lambda r: r[:4])
    overdue = sum(1 for r in ranked if r[5].kind == rules.OVERDUE)
    due_soon = sum(1 for r in ranked if r[5].kind == rules.DUE_SOON)
    total = len(ranked)
    if only:
        ranked = [r for r in ranked if r[5].kind == only]
    page = max(1, min(page, max(1, -(-len(ranked) // per_page))))
    chosen = ranked[(page - 1) * per_page: page * per_page]
    ids = [r[3] for r in chosen]
    people_by_id = {p.id: p for p in db.session.scalars(select(Person).where(Person.id.in_(ids)))} if ids else {}
    last_ids = {}
    if ids:
        last_ids = dict(db.session.execute(
            select(Appraisal.person_id, func.max(Appraisal.id)).join(
                latest, (latest.c.person_id == Appraisal.person_id) & (latest.c.held_on == Appraisal.held_on))
            .where(Appraisal.person_id.in_(ids)).group_by(Appraisal.person_id)).all())
    items = [AppraisalRow(people_by_id[r[3]], r[4], last_ids.get(r[3]), r[5]) for r in chosen]
    return AppraisalList(Page(items, len(ranked), page, per_page), overdue, due_soon, total)


def status_of(person: Person, today: date) -> tuple[Appraisal | None, rules.AppraisalStatus]:
    """One person's last appraisal and where they stand."""
    last = db.session.scalar(select(Appraisal).where(Appraisal.person_id == person.id)
                             .order_by(Appraisal.held_on.desc(), Appraisal.id.desc()).limit(1))
    status = rules.appraisal_status(last.held_on if last else None, person.start_date, today, person.leaving_date)
    return last, status


@dataclass
class AgreedCourse:
    course: Course
    agreement: PreApproval | None
    still_to_book: bool        # unused and still good today
    used: bool = False         # taken by a booking

    @property
    def lapsed(self) -> bool:
        """Agreed but never used before the agreement ran out."""
        return self.agreement is not None and not self.still_to_book and not self.used


def agreed_courses(appraisal: Appraisal, today: date) -> list[AgreedCourse]:
    """Each course the appraisal agreed, with the pre-approval that stands for it (this appraisal's,
    or an earlier one still unused when it was agreed), whether it is still to be booked (unused and
    still good today) or was used for a booking."""
    course_ids = [c.id for c in appraisal.courses]
    if not course_ids:
        return []
    agreements = {}
    for item in db.session.scalars(
            select(PreApproval).where(PreApproval.person_id == appraisal.person_id,
                                      PreApproval.course_id.in_(course_ids))
            .order_by(case((PreApproval.appraisal_id == appraisal.id, 0), else_=1), PreApproval.id.desc())):
        agreements.setdefault(item.course_id, item)
    ids = [a.id for a in agreements.values()]
    free = set(db.session.scalars(select(PreApproval.id).where(PreApproval.id.in_(ids), preapproval_free())))
    usable = set(db.session.scalars(select(PreApproval.id).where(PreApproval.id.in_(ids),
                                                                 preapproval_usable(today))))
    rows = []
    for course in appraisal.courses:
        agreement = agreements.get(course.id)
        rows.append(AgreedCourse(course, agreement, agreement is not None and agreement.id in usable,
                                 agreement is not None and agreement.id not in free))
    return rows


# ---------------------------------------------------------------------------------------------
# The stored mandatory-training snapshot, read back for display (never recomputed)
# ---------------------------------------------------------------------------------------------

@dataclass
class SnapshotItem:
    course: str
    course_slug: str
    requirement: str | None
    kind: str
    label: str
    detail: str
    due_on: date | None
    completed_on: date | None


@dataclass
class SnapshotWindow:
    key: str
    title: str
    due_on: date | None
    completed: int
    total: int
    items: list[SnapshotItem]


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def snapshot_windows(snapshot: dict | None) -> list[SnapshotWindow]:
    windows = []
    for window in (snapshot or {}).get("windows", []):
        items = [SnapshotItem(item.get("course", ""), item.get("course_slug", ""), item.get("requirement"),
                              item.get("kind", ""), item.get("label", ""), item.get("detail", ""),
                              _day(item.get("due_on")), _day(item.get("completed_on")))
                 for item in window.get("items", [])]
        windows.append(SnapshotWindow(window.get("key", ""), window.get("title", ""), _day(window.get("due_on")),
                                      window.get("completed", 0), window.get("total", 0), items))
    return windows
