"""Read models for the ASYE: who may see a portfolio, the portfolio page with its reviews, checklist,
KSS coverage, module attendance and supervision. (The ASYE lead's cohort is in cohort_queries.)"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, or_, select

from lnd.asye import rules, support_rules
from lnd.asye.entry_kinds import ASSESSOR, KINDS, NQSW
from lnd.asye.models import AsyeAttachment, AsyeEnrolment, AsyeEntry, AsyeReview
from lnd.bookings import rules as booking_rules
from lnd.bookings.models import Booking, CourseSession
from lnd.courses.models import RETIRED, Completion, Course, Framework, FrameworkStandard, Section
from lnd.extensions import db
from lnd.people.models import ASYE_ASSESSOR, OD_ADMIN, Person, PersonRole
from lnd.people.queries import report_ids, report_ids_query

# The section of the offer that holds the ASYE induction and modules (seed/offer.yaml).
ASYE_SECTION = "asye-programme"

# How a viewer stands to a portfolio (one person may stand in several ways).
AS_NQSW = NQSW
AS_ASSESSOR = ASSESSOR
AS_MANAGER = "manager"
AS_LEAD = "lead"


# ---------------------------------------------------------------------------------------------
# Records and who may see them
# ---------------------------------------------------------------------------------------------

def enrolment_by_id(enrolment_id: int) -> AsyeEnrolment | None:
    return db.session.get(AsyeEnrolment, enrolment_id)


def enrolment_of(person_id: int) -> AsyeEnrolment | None:
    return db.session.scalar(select(AsyeEnrolment).where(AsyeEnrolment.nqsw_id == person_id))


def entry_by_id(entry_id: int) -> AsyeEntry | None:
    return db.session.get(AsyeEntry, entry_id)


def attachment_by_id(attachment_id: int) -> AsyeAttachment | None:
    return db.session.get(AsyeAttachment, attachment_id)


def relation(viewer: Person, enrolment: AsyeEnrolment) -> frozenset[str]:
    """The NQSW, their assessor, their line manager and the managers above (of the NQSW or of the
    line manager), and the OD team / ASYE lead. Anyone else: empty, and the pages answer 404."""
    found = set()
    if viewer.id == enrolment.nqsw_id:
        found.add(AS_NQSW)
    if viewer.id == enrolment.assessor_id:
        found.add(AS_ASSESSOR)
    if viewer.id == enrolment.line_manager_id:
        found.add(AS_MANAGER)
    elif viewer.id != enrolment.nqsw_id:
        reports = report_ids(viewer.id)
        if enrolment.nqsw_id in reports or (enrolment.line_manager_id is not None
                                            and enrolment.line_manager_id in reports):
            found.add(AS_MANAGER)
    if viewer.has_role(OD_ADMIN):
        found.add(AS_LEAD)
    return frozenset(found)


def review_of(enrolment_id: int, kind: str) -> AsyeReview | None:
    return db.session.scalar(select(AsyeReview).where(AsyeReview.enrolment_id == enrolment_id,
                                                      AsyeReview.kind == kind))


def final_signed_at(enrolment_id: int) -> datetime | None:
    return db.session.scalar(select(AsyeReview.signed_at).where(
        AsyeReview.enrolment_id == enrolment_id, AsyeReview.kind == rules.FINAL))


def assessors() -> list[Person]:
    """People who may assess: ASYE assessors who are registered social workers."""
    return list(db.session.scalars(
        select(Person).join(PersonRole).where(PersonRole.role == ASYE_ASSESSOR,
                                              Person.swe_registration_number.is_not(None),
                                              Person.swe_registration_number != "")
        .order_by(Person.last_name, Person.first_name, Person.id)))


def frameworks() -> list[Framework]:
    return list(db.session.scalars(select(Framework).order_by(Framework.valid_from.is_(None).desc(),
                                                              Framework.valid_from, Framework.code)))


def person_by_email(email: str) -> Person | None:
    return db.session.scalar(select(Person).where(func.lower(Person.email) == (email or "").strip().lower()))


def home_enrolments(person: Person) -> list[AsyeEnrolment]:
    """Portfolios to link from a person's home page: their own, the NQSWs they assess, and the
    NQSWs they manage (directly or further down). One statement."""
    return list(db.session.scalars(
        select(AsyeEnrolment).join(Person, AsyeEnrolment.nqsw_id == Person.id).where(or_(
            AsyeEnrolment.nqsw_id == person.id, AsyeEnrolment.assessor_id == person.id,
            AsyeEnrolment.line_manager_id == person.id, AsyeEnrolment.nqsw_id.in_(report_ids_query(person.id))))
        .order_by(AsyeEnrolment.nqsw_id != person.id, Person.last_name, Person.first_name)))


# ---------------------------------------------------------------------------------------------
# The programme: modules and their attendance
# ---------------------------------------------------------------------------------------------

def programme_courses() -> list[Course]:
    """The courses of the ASYE section that are not retired, in the offer's order: the induction,
    modules 1 to 11, then the supporting sessions (portfolio sessions, reflective case discussion)."""
    return list(db.session.scalars(
        select(Course).join(Section, Course.section_id == Section.id)
        .where(Section.slug == ASYE_SECTION, Course.status != RETIRED)
        .order_by(Course.position, Course.module_number, Course.id)))


@dataclass
class ModuleRow:
    course: Course
    completed_on: date | None = None
    booking: Booking | None = None

    @property
    def status(self) -> tuple[str, str]:
        """(label, tag class); the label says the state in words, never by colour alone."""
        if self.completed_on is not None:
            return "Attended", "govuk-tag--green"
        if self.booking is None:
            return "Not booked", "govuk-tag--grey"
        state = self.booking.state
        if state == booking_rules.NO_SHOW:
            return "Did not attend", "govuk-tag--red"
        if state == booking_rules.PARTLY_ATTENDED:
            return "Partly attended", "govuk-tag--orange"
        if state == booking_rules.WAITLISTED:
            return "On the waiting list", "govuk-tag--orange"
        if state in (booking_rules.REQUESTED, booking_rules.AWAITING_APPROVAL):
            return "Requested", "govuk-tag--grey"
        return "Booked", "govuk-tag--blue"

    @property
    def attended(self) -> bool:
        return self.completed_on is not None


def module_attendance(person_id: int, courses: list[Course]) -> list[ModuleRow]:
    """Each programme course with the person's latest completion (attendance, import, or recorded by
    the OD team) and, failing that, their latest live booking. Two statements."""
    ids = [c.id for c in courses]
    if not ids:
        return []
    completed = dict(db.session.execute(
        select(Completion.course_id, func.max(Completion.completed_on))
        .where(Completion.person_id == person_id, Completion.course_id.in_(ids)).group_by(Completion.course_id)).all())
    bookings: dict[int, Booking] = {}
    for booking in db.session.scalars(
            select(Booking).join(CourseSession, Booking.session_id == CourseSession.id)
            .where(Booking.person_id == person_id, CourseSession.course_id.in_(ids),
                   Booking.state.in_(booking_rules.OPEN_STATES))
            .order_by(CourseSession.starts_at)):
        bookings[booking.session.course_id] = booking
    return [ModuleRow(c, completed.get(c.id), bookings.get(c.id)) for c in courses]


# ---------------------------------------------------------------------------------------------
# The portfolio
# ---------------------------------------------------------------------------------------------

@dataclass
class ReviewRow:
    kind: str
    due_on: date
    status: rules.ReviewStatus
    review: AsyeReview | None

    @property
    def label(self) -> str:
        return rules.REVIEW_KINDS[self.kind]

    @property
    def optional(self) -> bool:
        return self.kind in rules.OPTIONAL_REVIEWS


def review_rows(enrolment: AsyeEnrolment, reviews: dict[str, AsyeReview], absences: list[rules.Absence],
                today: date) -> list[ReviewRow]:
    due = rules.review_due_dates(enrolment.start_date, enrolment.fte, absences, enrolment.extended_to)
    rows = []
    for kind in rules.REVIEW_KINDS:
        review = reviews.get(kind)
        status = rules.review_status(due[kind], bool(review and review.signed), today,
                                     optional=kind in rules.OPTIONAL_REVIEWS)
        rows.append(ReviewRow(kind, due[kind], status, review))
    return rows


@dataclass
class StandardEvidence:
    row: rules.CoverageRow
    standard: FrameworkStandard
    entries: list[AsyeEntry]
    modules: list[Course]


@dataclass
class Portfolio:
    enrolment: AsyeEnrolment
    expected_end: date
    progress: rules.Progress
    reviews: list[ReviewRow]
    entries: list[AsyeEntry]
    checklist: list[rules.ChecklistItem]
    coverage: list[StandardEvidence]
    modules: list[ModuleRow]
    protected_time: support_rules.ProtectedTime
    supervision: list[support_rules.ExpectedSupervision]
    supervision_recorded: bool
    cadence_now: str
    final: AsyeReview | None
    today: date
    entries_by_kind: dict[str, list[AsyeEntry]] = field(default_factory=dict)

    @property
    def supervision_so_far(self) -> tuple[int, int]:
        """(held, expected) for the expected dates already passed."""
        due = [item for item in self.supervision if item.due_by <= self.today]
        return sum(1 for item in due if item.met), len(due)

    @property
    def read_only(self) -> bool:
        return rules.read_only(bool(self.final and self.final.signed))

    @property
    def cadence_label(self) -> str:
        return support_rules.CADENCES[self.cadence_now]

    @property
    def gaps(self) -> list[StandardEvidence]:
        return [item for item in self.coverage if item.row.gap]

    @property
    def evidence_complete(self) -> bool:
        return all(item.met for item in self.checklist)


def entries_of(enrolment_id: int) -> list[AsyeEntry]:
    return list(db.session.scalars(
        select(AsyeEntry).where(AsyeEntry.enrolment_id == enrolment_id)
        .order_by(AsyeEntry.occurred_on, AsyeEntry.id)))


def checklist_of(entries: list[AsyeEntry]) -> list[rules.ChecklistItem]:
    counts: dict[str, int] = defaultdict(int)
    stages: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        counts[entry.kind] += 1
        if entry.stage:
            stages[entry.kind].add(entry.stage)
    return rules.evidence_checklist(counts, stages)


def _coverage(enrolment: AsyeEnrolment, entries: list[AsyeEntry], modules: list[ModuleRow]) -> list[StandardEvidence]:
    standards = enrolment.framework.standards
    by_standard: dict[int, list[AsyeEntry]] = defaultdict(list)
    for entry in entries:
        for standard in entry.standards:
            by_standard[standard.id].append(entry)
    attended: dict[int, list[Course]] = defaultdict(list)
    for module in modules:
        if module.attended:
            for standard in module.course.standards:
                attended[standard.id].append(module.course)
    rows = rules.coverage([(s.number, s.short_name, s.title) for s in standards],
                          {s.number: len(by_standard[s.id]) for s in standards},
                          {s.number: len(attended[s.id]) for s in standards})
    by_number = {s.number: s for s in standards}
    return [StandardEvidence(row, by_number[row.number], by_standard[by_number[row.number].id],
                             attended[by_number[row.number].id]) for row in rows]


def supervision_dates_held(person_id: int, since: date, until: date) -> list[date] | None:
    """Days the NQSW's supervision was held, from the supervision module; None if it does not offer
    them (the page then shows the expected dates only)."""
    try:
        from lnd.supervision.queries import supervision_dates_for
    except ImportError:
        return None
    return supervision_dates_for(person_id, since, until)


def portfolio(enrolment: AsyeEnrolment, today: date) -> Portfolio:
    absences = enrolment.absence_spans()
    reviews = {r.kind: r for r in db.session.scalars(
        select(AsyeReview).where(AsyeReview.enrolment_id == enrolment.id))}
    end = rules.expected_end_date(enrolment.start_date, enrolment.fte, absences, enrolment.extended_to)
    entries = entries_of(enrolment.id)
    modules = module_attendance(enrolment.nqsw_id, programme_courses())
    expected = support_rules.supervision_expected_dates(enrolment.start_date, end)
    held = supervision_dates_held(enrolment.nqsw_id, enrolment.start_date, end)
    by_kind: dict[str, list[AsyeEntry]] = {kind: [] for kind in KINDS}
    for entry in entries:
        by_kind[entry.kind].append(entry)
    return Portfolio(
        enrolment=enrolment, expected_end=end, progress=rules.programme_progress(enrolment.start_date, end, today),
        reviews=review_rows(enrolment, reviews, absences, today), entries=entries,
        checklist=checklist_of(entries), coverage=_coverage(enrolment, entries, modules), modules=modules,
        protected_time=support_rules.protected_time(enrolment.fte),
        supervision=support_rules.match_supervisions(expected, held or []), supervision_recorded=held is not None,
        cadence_now=support_rules.supervision_cadence_on(enrolment.start_date, today), final=reviews.get(rules.FINAL),
        today=today, entries_by_kind=by_kind)


def standards_of(framework_id: int) -> list[FrameworkStandard]:
    return list(db.session.scalars(select(FrameworkStandard).where(FrameworkStandard.framework_id == framework_id)
                                   .order_by(FrameworkStandard.number)))
