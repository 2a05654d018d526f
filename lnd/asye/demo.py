"""Demonstration ASYE portfolios for the demo organisation, made through the same services as the
pages. Idempotent: an NQSW who is already enrolled is left as they are.

Nadia Hussain (nqsw@example.org, from 7 September 2026, assessed by Alex Turner) has a few entries
and no gap-free coverage yet; Ryan Patel (nqsw.two@example.org, from 2 March 2026, assessed by the
ASYE lead Fiona McKay) is two-thirds through, with a signed 3-month review and an unsigned 6-month one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from lnd.asye import entry_services, queries, rules, services
from lnd.asye.entry_kinds import KINDS
from lnd.core import clock
from lnd.courses.models import Framework
from lnd.extensions import db

# The demo organisation's dates are chosen around this day (seed/demo.yaml).
DEMO_TODAY = date(2026, 11, 22)
FRAMEWORK = "kss-child-family"

ENROLMENTS = [
    # nqsw, assessor, start
    ("nqsw@example.org", "assessor@example.org", date(2026, 9, 7)),
    ("nqsw.two@example.org", "asye.lead@example.org", date(2026, 3, 2)),
]

# nqsw email -> (kind, stage, title, day, KSS numbers, answers)
ENTRIES = {
    "nqsw@example.org": [
        (rules.SELF_ASSESSMENT, "start", "", date(2026, 9, 14), [1, 2, 6, 9],
         {"body": "Confident building relationships and writing up visits; less sure about analysis in assessments "
                  "and about using supervision to reflect rather than report.",
          "development": "Shadow two assessments; bring one case for reflective discussion each supervision."}),
        (rules.REFLECTIVE_LOG, None, "First home visit on a new assessment", date(2026, 10, 2), [1, 2],
         {"body": "I planned the visit with my manager and used a three houses tool with the younger child. "
                  "I noticed I talked more than I listened at the start.",
          "development": "Agree the purpose of the visit with the family at the start."}),
        (rules.OBSERVATION, None, "Home visit: single assessment", date(2026, 10, 20), [1, 6],
         {"context": "A planned home visit with a parent and two children as part of a single assessment.",
          "body": "Warm, clear introduction; the children's views were sought in ways that suited their ages.",
          "development": "Summarise what has been agreed before leaving, and record the analysis as well as the facts."}),
        (rules.FAMILY_FEEDBACK, None, "Feedback from a parent after the assessment", date(2026, 11, 5), [1],
         {"source": "A parent", "body": "You explained what would happen next and kept to it.",
          "development": "Being predictable matters to parents who have had many workers."}),
        (rules.PROFESSIONAL_FEEDBACK, None, "Feedback from the school's safeguarding lead", date(2026, 11, 12), [2, 10],
         {"source": "Designated Safeguarding Lead, Riverside Primary School",
          "body": "Reports arrived before the meeting and were clear about what the school was being asked to do.",
          "development": "Sharing reports early helps partners prepare; I will keep doing it."}),
    ],
    "nqsw.two@example.org": [
        (rules.SELF_ASSESSMENT, "start", "", date(2026, 3, 9), list(range(1, 11)),
         {"body": "Starting point against each statement, agreed with my assessor."}),
        (rules.SELF_ASSESSMENT, "midway", "", date(2026, 8, 28), list(range(1, 11)),
         {"body": "Clear progress on direct work and assessment; the law and court work still to develop."}),
        (rules.REFLECTIVE_LOG, None, "A child protection conference", date(2026, 4, 20), [5, 7],
         {"body": "Presenting my report for the first time; what I learnt about evidence and analysis."}),
        (rules.OBSERVATION, None, "Direct work with a young person", date(2026, 5, 14), [1, 3],
         {"context": "Direct work session at school with a young person, 12.",
          "body": "Creative, child-led; the young person's words were recorded as said.",
          "development": "Link the direct work to the plan in the case record."}),
        (rules.OBSERVATION, None, "Core group meeting", date(2026, 8, 6), [2, 7],
         {"context": "Chairing a core group meeting with a parent and four professionals.",
          "body": "Kept the meeting focused on the child's plan; challenged drift respectfully.",
          "development": "Check everyone understands the actions before closing."}),
        (rules.FAMILY_FEEDBACK, None, "Feedback from a young person", date(2026, 6, 1), [1],
         {"source": "A young person, aged 15", "body": "You listen and you don't talk down to me.",
          "development": "Keep asking the young person how they want meetings to run."}),
        (rules.FAMILY_FEEDBACK, None, "Feedback from a carer", date(2026, 9, 9), [1, 6],
         {"source": "A kinship carer", "body": "You helped me understand the assessment.",
          "development": "Written summaries help carers who cannot take notes in meetings."}),
        (rules.PROFESSIONAL_FEEDBACK, None, "Feedback from a health visitor", date(2026, 7, 2), [2],
         {"source": "Health visitor, South Tees", "body": "Good information sharing before the strategy discussion.",
          "development": "Keep the health visitor in the loop from the start."}),
        (rules.CRITICAL_REFLECTION, "six_month", "", date(2026, 9, 1), [1, 2, 6, 7, 9],
         {"body": "Six months on: what has changed in my practice, the decisions I found hardest and why."}),
    ],
}


@dataclass
class AsyeDemoResult:
    enrolled: int = 0
    entries: int = 0

    def __str__(self) -> str:
        return f"{self.enrolled} NQSWs enrolled, {self.entries} portfolio entries added"


def _moment(day: date) -> datetime:
    return datetime.combine(day, time(15, 0), tzinfo=clock.LONDON)


def load_asye_demo() -> AsyeDemoResult:
    today = max(clock.today(), DEMO_TODAY)
    result = AsyeDemoResult()
    framework = db.session.scalar(db.select(Framework).filter_by(code=FRAMEWORK))
    lead = queries.person_by_email("asye.lead@example.org")
    if framework is None or lead is None:
        return result
    for nqsw_email, assessor_email, start in ENROLMENTS:
        nqsw, assessor = queries.person_by_email(nqsw_email), queries.person_by_email(assessor_email)
        if nqsw is None or assessor is None or queries.enrolment_of(nqsw.id) is not None:
            continue
        enrolment = services.enrol(services.EnrolmentDetails(
            nqsw=nqsw, start_date=start, assessor=assessor, framework=framework,
            working_pattern=rules.FULL_TIME), lead, today)
        result.enrolled += 1
        numbers = {s.number: s.id for s in queries.standards_of(framework.id)}
        for kind, stage, title, day, kss, answers in ENTRIES[nqsw_email]:
            author = assessor if KINDS[kind].recorded_by == "assessor" else nqsw
            details = entry_services.EntryDetails(title=title, occurred_on=day, stage=stage or "",
                                                  standard_ids=[numbers[n] for n in kss], **answers)
            entry_services.create_entry(enrolment, KINDS[kind], details, author, today)
            result.entries += 1
        if nqsw_email == "nqsw.two@example.org":
            _reviews(enrolment, nqsw, assessor, today)
    db.session.flush()
    return result


def _reviews(enrolment, nqsw, assessor, today: date) -> None:
    three = services.ReviewPart(held_on=date(2026, 6, 3), judgement=rules.ON_TRACK,
                                comments="Good start: relationships with children and families are a strength. "
                                         "Next: analysis in assessments.")
    services.save_review_part(enrolment, rules.THREE_MONTH, rules.ASSESSOR_PART, three, assessor, today)
    services.save_review_part(enrolment, rules.THREE_MONTH, rules.NQSW_PART,
                              services.ReviewPart(comments="I feel supported; supervision has been weekly."),
                              nqsw, today)
    services.sign_review(enrolment, rules.THREE_MONTH, assessor, _moment(date(2026, 6, 5)), today)
    six = services.ReviewPart(held_on=date(2026, 9, 3), judgement=rules.ON_TRACK,
                              comments="On track. Court work and the law (KSS 8) need evidence in the second half.")
    services.save_review_part(enrolment, rules.SIX_MONTH, rules.ASSESSOR_PART, six, assessor, today)
