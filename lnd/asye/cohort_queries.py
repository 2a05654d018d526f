"""Read models for the ASYE lead's cohort and for booking the cohort onto module sessions.
Set-based: the cohort takes the same number of statements for 2 NQSWs as for 200."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from lnd.asye import rules
from lnd.asye.models import AsyeEnrolment, AsyeEntry, AsyeReview
from lnd.asye.queries import ASYE_SECTION, ReviewRow, review_rows
from lnd.bookings import rules as booking_rules
from lnd.bookings.models import SCHEDULED, Booking, CourseSession
from lnd.courses.models import RETIRED, Completion, Course, Section
from lnd.extensions import db
from lnd.people.models import OD_ADMIN, Person


# ---------------------------------------------------------------------------------------------
# The cohort (the ASYE lead's view; an assessor sees the NQSWs they assess)
# ---------------------------------------------------------------------------------------------

@dataclass
class CohortRow:
    enrolment: AsyeEnrolment
    expected_end: date
    progress: rules.Progress
    checklist: list[rules.ChecklistItem]
    entries: int
    reviews: list[ReviewRow]
    modules_attended: int
    modules_total: int

    @property
    def evidence_met(self) -> int:
        return sum(1 for item in self.checklist if item.met)

    @property
    def overdue(self) -> list[ReviewRow]:
        return [r for r in self.reviews if r.status.code == "overdue"]

    @property
    def due_soon(self) -> list[ReviewRow]:
        return [r for r in self.reviews if r.status.code == "due_soon"]

    @property
    def next_review(self) -> ReviewRow | None:
        return next((r for r in self.reviews if r.status.code in ("due", "due_soon")), None)

    @property
    def final(self) -> AsyeReview | None:
        return next((r.review for r in self.reviews if r.kind == rules.FINAL), None)

    def count(self, item_label: str) -> int:
        return next((item.have for item in self.checklist if item.label == item_label), 0)


def cohort(viewer: Person | None, today: date, nqsw_ids=None) -> list[CohortRow]:
    """Every NQSW (the OD team / ASYE lead) or the NQSWs the viewer assesses, with progress, evidence
    counts and reviews: five statements, whatever the size of the cohort. `nqsw_ids` (a collection or
    a subquery of person ids) limits it further, e.g. to the people a manager manages."""
    stmt = (select(AsyeEnrolment).join(Person, AsyeEnrolment.nqsw_id == Person.id)
            .options(selectinload(AsyeEnrolment.absences))
            .order_by(Person.last_name, Person.first_name, AsyeEnrolment.id))
    if viewer is not None and not viewer.has_role(OD_ADMIN):
        stmt = stmt.where(AsyeEnrolment.assessor_id == viewer.id)
    if nqsw_ids is not None:
        stmt = stmt.where(AsyeEnrolment.nqsw_id.in_(nqsw_ids))
    enrolments = list(db.session.scalars(stmt).unique())
    if not enrolments:
        return []
    ids = [e.id for e in enrolments]
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    stages: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for enrolment_id, kind, stage, number in db.session.execute(
            select(AsyeEntry.enrolment_id, AsyeEntry.kind, AsyeEntry.stage, func.count(AsyeEntry.id))
            .where(AsyeEntry.enrolment_id.in_(ids))
            .group_by(AsyeEntry.enrolment_id, AsyeEntry.kind, AsyeEntry.stage)):
        counts[enrolment_id][kind] += number
        if stage:
            stages[enrolment_id][kind].add(stage)
    reviews: dict[int, dict[str, AsyeReview]] = defaultdict(dict)
    for review in db.session.scalars(select(AsyeReview).where(AsyeReview.enrolment_id.in_(ids))):
        reviews[review.enrolment_id][review.kind] = review
    # Progress through the programme counts the numbered modules (1 to 11).
    programme = select(Course.id).join(Section, Course.section_id == Section.id).where(
        Section.slug == ASYE_SECTION, Course.status != RETIRED, Course.module_number.is_not(None))
    modules_total = db.session.scalar(select(func.count()).select_from(programme.subquery()))
    attended = dict(db.session.execute(
        select(Completion.person_id, func.count(func.distinct(Completion.course_id)))
        .where(Completion.person_id.in_([e.nqsw_id for e in enrolments]), Completion.course_id.in_(programme))
        .group_by(Completion.person_id)).all())
    rows = []
    for enrolment in enrolments:
        absences = enrolment.absence_spans()
        end = rules.expected_end_date(enrolment.start_date, enrolment.fte, absences, enrolment.extended_to)
        rows.append(CohortRow(
            enrolment=enrolment, expected_end=end,
            progress=rules.programme_progress(enrolment.start_date, end, today),
            checklist=rules.evidence_checklist(counts[enrolment.id], stages[enrolment.id]),
            entries=sum(counts[enrolment.id].values()),
            reviews=review_rows(enrolment, reviews[enrolment.id], absences, today),
            modules_attended=attended.get(enrolment.nqsw_id, 0), modules_total=modules_total))
    return rows


# ---------------------------------------------------------------------------------------------
# Booking the cohort onto module sessions
# ---------------------------------------------------------------------------------------------

def upcoming_module_sessions(now: datetime) -> list[CourseSession]:
    return list(db.session.scalars(
        select(CourseSession).join(Course, CourseSession.course_id == Course.id)
        .join(Section, Course.section_id == Section.id)
        .where(Section.slug == ASYE_SECTION, CourseSession.status == SCHEDULED, CourseSession.starts_at > now)
        .order_by(CourseSession.starts_at, CourseSession.id)))


def module_session(session_id: int) -> CourseSession | None:
    return db.session.scalar(
        select(CourseSession).join(Course, CourseSession.course_id == Course.id)
        .join(Section, Course.section_id == Section.id)
        .where(CourseSession.id == session_id, Section.slug == ASYE_SECTION))


@dataclass
class CohortPlace:
    enrolment: AsyeEnrolment
    completed_on: date | None
    booking: Booking | None

    @property
    def bookable(self) -> bool:
        """Not yet attended the module and not already holding or wanting a place on this session."""
        return self.completed_on is None and (self.booking is None or self.booking.state in booking_rules.ENDED_STATES)


def cohort_for_session(session: CourseSession) -> list[CohortPlace]:
    """Every enrolled NQSW whose final review is not signed, with their completion of the module and
    their booking on this session. Three statements."""
    finished = select(AsyeReview.enrolment_id).where(AsyeReview.kind == rules.FINAL, AsyeReview.signed_at.is_not(None))
    enrolments = list(db.session.scalars(
        select(AsyeEnrolment).join(Person, AsyeEnrolment.nqsw_id == Person.id)
        .where(AsyeEnrolment.id.not_in(finished))
        .order_by(Person.last_name, Person.first_name, AsyeEnrolment.id)))
    people = [e.nqsw_id for e in enrolments]
    completed = dict(db.session.execute(
        select(Completion.person_id, func.max(Completion.completed_on))
        .where(Completion.course_id == session.course_id, Completion.person_id.in_(people))
        .group_by(Completion.person_id)).all()) if people else {}
    bookings = {b.person_id: b for b in db.session.scalars(
        select(Booking).where(Booking.session_id == session.id, Booking.person_id.in_(people)))} if people else {}
    return [CohortPlace(e, completed.get(e.nqsw_id), bookings.get(e.nqsw_id)) for e in enrolments]

