"""ASYE use cases: enrolment checks, entries tagged to the KSS, the checklist counts, reviews written by
their own parties, sign-off and moderation audited, read-only once the final review is signed,
absences extending the year."""
from datetime import date, datetime, timezone
from decimal import Decimal
from io import BytesIO

import pytest
from werkzeug.datastructures import FileStorage

from lnd.asye import entry_services, queries, rules, services
from lnd.asye.entry_kinds import KINDS
from lnd.asye.models import AsyeAttachment, AsyeEntry, AsyeReview
from lnd.core.models import AuditEvent
from lnd.courses.models import Framework, FrameworkStandard
from lnd.extensions import db
from tests.asye.conftest import PDF, START, TODAY, add_entry, enrol

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


def _audits(action: str) -> list[AuditEvent]:
    return list(db.session.scalars(db.select(AuditEvent).filter_by(action=action).order_by(AuditEvent.id)))


# ---------------------------------------------------------------------------------------------
# Enrolment
# ---------------------------------------------------------------------------------------------

def test_enrolment_takes_the_line_manager_from_the_staff_record_and_is_audited(world):
    assert world.enrolment.line_manager_id == world.manager.id
    assert world.enrolment.fte == Decimal("1.00")
    event = _audits("asye_enrolled")[0]
    assert event.actor_id == world.lead.id and "Nadia Newly enrolled" in event.summary


def test_the_assessor_must_be_a_registered_social_worker(world, make_person):
    newcomer = make_person("New", "Starter", manager=world.manager, swe="SW900010")
    unregistered = make_person("Una", "Registered", roles=("staff", "asye_assessor"))
    with pytest.raises(services.AsyeError, match="not a registered social worker"):
        enrol(newcomer, unregistered, world.lead, world.framework)


@pytest.mark.parametrize("change, message", [
    ({"nqsw": None}, "Enter the email address of a member of staff"),
    ({"start_date": None}, "Enter the date the ASYE starts"),
    ({"framework": None}, "Select the version of the standards"),
    ({"working_pattern": "part_time", "fte": None}, "Enter the full-time equivalent"),
    ({"start_date": date(2027, 4, 1)}, "apply until 31 March 2027"),
])
def test_enrolment_refusals(world, make_person, change, message):
    newcomer = make_person("New", "Starter", manager=world.manager, swe="SW900011")
    details = services.EnrolmentDetails(nqsw=newcomer, start_date=TODAY, assessor=world.assessor,
                                        framework=world.framework, working_pattern="full_time")
    for key, value in change.items():
        setattr(details, key, value)
    with pytest.raises(services.AsyeError, match=message):
        services.enrol(details, world.lead, TODAY)


def test_the_nqsw_must_be_registered_with_social_work_england(world, make_person):
    unregistered = make_person("Nia", "Unregistered", manager=world.manager)
    with pytest.raises(services.AsyeError, match="no Social Work England registration number"):
        enrol(unregistered, world.assessor, world.lead, world.framework)


def test_the_version_of_the_standards_stays_once_entries_are_tagged_to_it(world):
    later = Framework(code="ecs", title="Early career standards", valid_from=date(2026, 1, 1), standards=[
        FrameworkStandard(number=1, short_name="ECS 1", title="Something")])
    db.session.add(later)
    db.session.commit()
    details = services.EnrolmentDetails(start_date=START, assessor=world.assessor, framework=later,
                                        working_pattern="full_time")
    assert services.update_enrolment(world.enrolment, details, world.lead, TODAY)   # no entries yet: allowed
    db.session.rollback()
    add_entry(world, rules.REFLECTIVE_LOG)
    with pytest.raises(services.AsyeError, match="the version of the standards cannot be changed"):
        services.update_enrolment(world.enrolment, details, world.lead, TODAY)


def test_an_nqsw_is_enrolled_once_and_only_by_the_asye_lead(world, make_person):
    with pytest.raises(services.AsyeError, match="already enrolled"):
        enrol(world.nqsw, world.assessor, world.lead, world.framework)
    newcomer = make_person("New", "Starter", manager=world.manager, swe="SW900012")
    with pytest.raises(services.AsyeError, match="Only the ASYE lead"):
        enrol(newcomer, world.assessor, world.assessor, world.framework)


def test_part_time_work_extends_the_year_pro_rata(world, make_person):
    newcomer = make_person("Pat", "Parttime", manager=world.manager, swe="SW900013")
    enrolment = enrol(newcomer, world.assessor, world.lead, world.framework, pattern="part_time",
                      fte=Decimal("0.8"))
    view = queries.portfolio(enrolment, TODAY)
    assert enrolment.working_pattern_text == "Part-time (0.8 FTE)"
    assert view.expected_end == date(2027, 12, 7)
    assert view.protected_time.text == "3 hours a week (10% of working time)"


def test_a_long_absence_recorded_by_the_lead_extends_the_year(world):
    services.record_absence(world.enrolment, date(2027, 1, 4), date(2027, 2, 14), "Parental leave", world.lead)
    db.session.commit()
    assert queries.portfolio(world.enrolment, TODAY).expected_end == date(2027, 10, 19)
    event = _audits("asye_absence_recorded")[0]
    assert event.after["expected_end"] == "2027-10-19" and event.before["expected_end"] == "2027-09-07"
    with pytest.raises(services.AsyeError, match="Only absences of 4 weeks or more"):
        services.record_absence(world.enrolment, date(2027, 3, 1), date(2027, 3, 5), "", world.lead)
    with pytest.raises(services.AsyeError, match="Only the ASYE lead"):
        services.record_absence(world.enrolment, date(2027, 3, 1), date(2027, 4, 5), "", world.assessor)


# ---------------------------------------------------------------------------------------------
# Entries and the checklist
# ---------------------------------------------------------------------------------------------

def test_an_entry_is_tagged_to_standards_of_the_enrolments_framework(world):
    entry = add_entry(world, rules.REFLECTIVE_LOG, kss=(3, 1))
    assert [s.short_name for s in entry.standards] == ["KSS 1", "KSS 3"]
    assert entry.author_id == world.nqsw.id
    with pytest.raises(services.AsyeError, match="Select at least one standard"):
        add_entry(world, rules.REFLECTIVE_LOG, kss=())
    other = Framework(code="ecs", title="Early career standards", standards=[
        FrameworkStandard(number=1, short_name="ECS 1", title="Something")])
    db.session.add(other)
    db.session.commit()
    with pytest.raises(services.AsyeError, match="Select standards from the list"):
        entry_services.create_entry(world.enrolment, KINDS[rules.REFLECTIVE_LOG], entry_services.EntryDetails(
            title="Log", occurred_on=TODAY, body="Text", standard_ids=[other.standards[0].id]), world.nqsw, TODAY)


def test_observations_are_the_assessors_and_the_rest_the_nqsws(world):
    with pytest.raises(services.AsyeError, match="Only the assessor records direct observations"):
        add_entry(world, rules.OBSERVATION, author=world.nqsw)
    with pytest.raises(services.AsyeError, match="Only the NQSW"):
        add_entry(world, rules.REFLECTIVE_LOG, author=world.assessor)
    with pytest.raises(services.AsyeError, match="Only the assessor"):
        add_entry(world, rules.OBSERVATION, author=world.other_assessor)
    with pytest.raises(services.AsyeError, match="Only the NQSW"):
        add_entry(world, rules.REFLECTIVE_LOG, author=world.manager)
    observation = add_entry(world, rules.OBSERVATION, context="Home visit", body="Warm", development="Summarise")
    assert observation.author_id == world.assessor.id
    event = _audits("asye_entry_added")[-1]
    assert event.actor_id == world.assessor.id and event.after["context"] == "Home visit"


@pytest.mark.parametrize("kind, blank, message", [
    (rules.REFLECTIVE_LOG, "title", "Enter a title"),
    (rules.REFLECTIVE_LOG, "body", "Enter your reflection"),
    (rules.OBSERVATION, "context", "Enter the context of the observation"),
    (rules.OBSERVATION, "development", "Enter the development points"),
    (rules.FAMILY_FEEDBACK, "source", "Enter who gave the feedback"),
    (rules.PROFESSIONAL_FEEDBACK, "body", "Enter the feedback"),
])
def test_each_kind_asks_for_its_own_answers(world, kind, blank, message):
    with pytest.raises(services.AsyeError, match=message):
        add_entry(world, kind, **{blank: "  "})


def test_one_critical_reflection_and_one_self_assessment_per_stage(world):
    first = add_entry(world, rules.CRITICAL_REFLECTION, stage="six_month")
    assert first.title == "Critical reflection at 6 months"
    with pytest.raises(services.AsyeError, match="already has a critical reflection at 6 months"):
        add_entry(world, rules.CRITICAL_REFLECTION, stage="six_month")
    with pytest.raises(services.AsyeError, match="Select when in the year this KSS self-assessment is"):
        add_entry(world, rules.SELF_ASSESSMENT, stage="")
    assert add_entry(world, rules.SELF_ASSESSMENT, stage="midway").title == "KSS self-assessment midway"


def test_the_checklist_counts_the_portfolio(world):
    for _ in range(3):
        add_entry(world, rules.OBSERVATION)
    for _ in range(2):
        add_entry(world, rules.FAMILY_FEEDBACK)
    for _ in range(4):
        add_entry(world, rules.PROFESSIONAL_FEEDBACK)
    add_entry(world, rules.CRITICAL_REFLECTION, stage="six_month")
    add_entry(world, rules.SELF_ASSESSMENT, stage="start")
    add_entry(world, rules.SELF_ASSESSMENT, stage="end")
    add_entry(world, rules.REFLECTIVE_LOG)
    add_entry(world, rules.OBSERVATION, enrolment=world.other_enrolment, author=world.other_assessor)
    checklist = queries.portfolio(world.enrolment, TODAY).checklist
    assert [(item.have, item.need, item.met) for item in checklist] == [
        (3, 3, True), (2, 3, False), (4, 3, True), (1, 2, False), (2, 3, False)]
    assert checklist[3].detail == "Still needed: at 12 months"
    assert checklist[4].detail == "Still needed: midway"


def test_coverage_changes_when_an_entry_is_tagged(world):
    before = {item.row.number: item.row.entries for item in queries.portfolio(world.enrolment, TODAY).coverage}
    assert before[3] == 0
    add_entry(world, rules.REFLECTIVE_LOG, kss=(3,))
    after = queries.portfolio(world.enrolment, TODAY)
    assert {item.row.number: item.row.entries for item in after.coverage}[3] == 1
    assert 3 not in [item.row.number for item in after.gaps] and len(after.gaps) == 9


def test_only_the_author_changes_or_deletes_an_entry(world):
    entry = add_entry(world, rules.REFLECTIVE_LOG)
    details = entry_services.details_of(entry)
    details.body = "Rewritten"
    for someone in (world.assessor, world.manager, world.lead):
        with pytest.raises(services.AsyeError, match="Only the person who recorded"):
            entry_services.update_entry(entry, details, someone, TODAY)
    assert entry_services.update_entry(entry, details, world.nqsw, TODAY)
    db.session.commit()
    assert _audits("asye_entry_changed")[0].after == {"body": "Rewritten"}


# ---------------------------------------------------------------------------------------------
# Reviews, sign-off and moderation
# ---------------------------------------------------------------------------------------------

def _assessor_part(world, kind, judgement, enrolment=None, held_on=date(2026, 11, 20)):
    services.save_review_part(enrolment or world.enrolment, kind, rules.ASSESSOR_PART, services.ReviewPart(
        comments="Progressing well.", held_on=held_on, judgement=judgement), world.assessor, TODAY)


def test_each_party_writes_their_own_comments(world):
    services.save_review_part(world.enrolment, rules.THREE_MONTH, rules.NQSW_PART,
                              services.ReviewPart(comments="I feel supported."), world.nqsw, TODAY)
    services.save_review_part(world.enrolment, rules.THREE_MONTH, rules.MANAGER_PART,
                              services.ReviewPart(comments="Caseload protected."), world.senior, TODAY)
    _assessor_part(world, rules.THREE_MONTH, rules.ON_TRACK)
    db.session.commit()
    review = queries.review_of(world.enrolment.id, rules.THREE_MONTH)
    assert (review.nqsw_comments, review.manager_comments, review.assessor_comments) == (
        "I feel supported.", "Caseload protected.", "Progressing well.")
    assert review.manager_commented_by_id == world.senior.id and review.progress == rules.ON_TRACK
    for part, someone in ((rules.NQSW_PART, world.assessor), (rules.ASSESSOR_PART, world.nqsw),
                          (rules.ASSESSOR_PART, world.other_assessor), (rules.MANAGER_PART, world.nqsw),
                          (rules.MANAGER_PART, world.other_manager), (rules.ASSESSOR_PART, world.lead)):
        with pytest.raises(services.AsyeError, match="Only the"):
            services.save_review_part(world.enrolment, rules.THREE_MONTH, part, services.ReviewPart(comments="x"),
                                      someone, TODAY)
    judgement = _audits("asye_judgement_recorded")[0]
    assert judgement.actor_id == world.assessor.id and judgement.after["progress"] == rules.ON_TRACK


def test_signing_needs_the_date_comments_and_judgement_and_is_audited(world):
    with pytest.raises(services.AsyeError, match="Enter the date the review was held"):
        services.sign_review(world.enrolment, rules.THREE_MONTH, world.assessor, NOW, TODAY)
    db.session.rollback()
    _assessor_part(world, rules.THREE_MONTH, rules.ON_TRACK)
    with pytest.raises(services.AsyeError, match="Only the NQSW’s assessor"):
        services.sign_review(world.enrolment, rules.THREE_MONTH, world.lead, NOW, TODAY)
    review = services.sign_review(world.enrolment, rules.THREE_MONTH, world.assessor, NOW, TODAY)
    db.session.commit()
    assert review.signed and review.signed_by_id == world.assessor.id
    event = _audits("asye_review_signed")[0]
    assert event.actor_id == world.assessor.id and "3-month review of Nadia Newly signed" in event.summary
    with pytest.raises(services.AsyeError, match="has been signed, so it can no longer be changed"):
        services.save_review_part(world.enrolment, rules.THREE_MONTH, rules.NQSW_PART,
                                  services.ReviewPart(comments="Late"), world.nqsw, TODAY)


def _complete_portfolio(world):
    for kind, count in ((rules.OBSERVATION, 3), (rules.FAMILY_FEEDBACK, 3), (rules.PROFESSIONAL_FEEDBACK, 3)):
        for _ in range(count):
            add_entry(world, kind)
    for stage in ("six_month", "twelve_month"):
        add_entry(world, rules.CRITICAL_REFLECTION, stage=stage)
    for stage in ("start", "midway", "end"):
        add_entry(world, rules.SELF_ASSESSMENT, stage=stage)


def _sign_final(world, recommendation=rules.PASS):
    for kind in (rules.THREE_MONTH, rules.SIX_MONTH):
        _assessor_part(world, kind, rules.ON_TRACK)
        services.sign_review(world.enrolment, kind, world.assessor, NOW, TODAY)
    _assessor_part(world, rules.FINAL, recommendation)
    review = services.sign_review(world.enrolment, rules.FINAL, world.assessor, NOW, TODAY)
    db.session.commit()
    return review


def test_a_pass_needs_the_earlier_reviews_and_the_minimum_evidence(world):
    _assessor_part(world, rules.FINAL, rules.PASS)
    with pytest.raises(services.AsyeError, match="Sign the 3-month review and the 6-month review before"):
        services.sign_review(world.enrolment, rules.FINAL, world.assessor, NOW, TODAY)
    for kind in (rules.THREE_MONTH, rules.SIX_MONTH):
        _assessor_part(world, kind, rules.ON_TRACK)
        services.sign_review(world.enrolment, kind, world.assessor, NOW, TODAY)
    with pytest.raises(services.AsyeError, match="minimum evidence for a pass: direct observations of practice: 0 of 3"):
        services.sign_review(world.enrolment, rules.FINAL, world.assessor, NOW, TODAY)


def test_once_the_final_review_is_signed_the_portfolio_is_read_only(world):
    entry = add_entry(world, rules.REFLECTIVE_LOG)
    _complete_portfolio(world)
    _sign_final(world)
    sentence = "The final review was signed on 23 November 2026, so this portfolio can no longer be changed."
    details = entry_services.details_of(entry)
    attempts = [
        lambda: add_entry(world, rules.REFLECTIVE_LOG),
        lambda: add_entry(world, rules.OBSERVATION),
        lambda: entry_services.update_entry(entry, details, world.nqsw, TODAY),
        lambda: entry_services.delete_entry(entry, world.nqsw),
        lambda: entry_services.add_attachment(entry, FileStorage(BytesIO(PDF), filename="a.pdf"), world.nqsw),
        lambda: services.save_review_part(world.enrolment, rules.NINE_MONTH, rules.NQSW_PART,
                                          services.ReviewPart(comments="x"), world.nqsw, TODAY),
        lambda: services.save_review_part(world.enrolment, rules.FINAL, rules.MANAGER_PART,
                                          services.ReviewPart(comments="x"), world.manager, TODAY),
        lambda: services.record_absence(world.enrolment, date(2027, 1, 1), date(2027, 3, 1), "", world.lead),
        lambda: services.update_enrolment(world.enrolment, services.EnrolmentDetails(
            start_date=START, assessor=world.other_assessor, framework=world.framework,
            working_pattern="full_time"), world.lead, TODAY),
    ]
    for attempt in attempts:
        with pytest.raises(services.AsyeError) as refusal:
            attempt()
        assert refusal.value.message == sentence
        db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(AsyeEntry.id))) == 15
    assert db.session.scalar(db.select(db.func.count(AsyeAttachment.id))) == 0
    assert queries.portfolio(world.enrolment, TODAY).read_only


def test_the_moderation_outcome_is_recorded_on_the_signed_final_review_and_audited(world):
    with pytest.raises(services.AsyeError, match="once the final review is signed"):
        services.record_moderation(world.enrolment, rules.PASS, TODAY, "", None, world.lead, TODAY)
    _complete_portfolio(world)
    _sign_final(world)
    with pytest.raises(services.AsyeError, match="Only the ASYE lead"):
        services.record_moderation(world.enrolment, rules.PASS, TODAY, "", None, world.assessor, TODAY)
    services.record_moderation(world.enrolment, rules.PASS, TODAY, "Agreed.", None, world.lead, TODAY)
    db.session.commit()
    review = queries.review_of(world.enrolment.id, rules.FINAL)
    assert review.moderation_outcome == rules.PASS and review.signed
    event = _audits("asye_moderated")[0]
    assert event.actor_id == world.lead.id and event.after["moderation_outcome"] == rules.PASS
    with pytest.raises(services.AsyeError, match="already been recorded"):
        services.record_moderation(world.enrolment, rules.FAIL, TODAY, "", None, world.lead, TODAY)


def test_an_agreed_extension_reopens_the_portfolio_until_the_final_review_is_signed_again(world):
    _sign_final(world, rules.EXTENSION)
    with pytest.raises(services.AsyeError, match="Enter the date the extended ASYE ends"):
        services.record_moderation(world.enrolment, rules.EXTENSION, TODAY, "", None, world.lead, TODAY)
    services.record_moderation(world.enrolment, rules.EXTENSION, TODAY, "Three more months.", date(2027, 12, 7),
                               world.lead, TODAY)
    db.session.commit()
    view = queries.portfolio(world.enrolment, TODAY)
    assert not view.read_only and view.expected_end == date(2027, 12, 7)
    assert view.final.moderation_outcome == rules.EXTENSION and not view.final.signed
    add_entry(world, rules.OBSERVATION)            # the portfolio takes evidence again
    review = services.sign_review(world.enrolment, rules.FINAL, world.assessor, NOW, TODAY)
    assert review.signed and review.moderation_outcome is None     # back to the panel afresh


def test_the_review_rows_show_due_and_overdue(world):
    rows = {row.kind: row for row in queries.portfolio(world.other_enrolment, TODAY).reviews}
    # Started 2 March 2026: the 3- and 6-month reviews are overdue, the 9-month one due on 2 December.
    assert rows[rules.THREE_MONTH].status.code == "overdue" and rows[rules.THREE_MONTH].due_on == date(2026, 6, 2)
    assert rows[rules.SIX_MONTH].status.code == "overdue"
    assert rows[rules.NINE_MONTH].status.code == "due_soon" and rows[rules.NINE_MONTH].due_on == date(2026, 12, 2)
    assert rows[rules.FINAL].status.code == "due" and rows[rules.FINAL].due_on == date(2027, 3, 2)
    assert db.session.scalar(db.select(db.func.count(AsyeReview.id))) == 0   # reading made no rows
