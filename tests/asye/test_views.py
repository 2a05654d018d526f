"""The ASYE pages as their people use them: what the portfolio says, forms with GOV.UK error summaries,
files refused by content, read-only after the final sign-off, enrolment and absences."""
import io
import re
from datetime import date, datetime, timezone

from lnd.asye import queries, rules, services
from lnd.asye.models import AsyeAttachment, AsyeEnrolment, AsyeEntry
from lnd.core.models import AuditEvent
from lnd.extensions import db
from tests.asye.conftest import PDF, add_entry, fresh

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


def _count(model) -> int:
    db.session.rollback()   # see what the requests committed
    return db.session.scalar(db.select(db.func.count(model.id)))


def test_the_portfolio_shows_the_year_reviews_checklist_modules_and_support(world, visit):
    add_entry(world, rules.OBSERVATION, kss=(1, 6), title="Home visit observed")
    page = visit("nqsw").get(f"/asye/{world.enrolment.id}").get_data(as_text=True)
    assert "Your ASYE portfolio" in page
    assert "7 September 2026" in page and "7 September 2027" in page        # started, expected to end
    assert "Month 3 of 12" in page
    assert re.search(r"3-month review</a>.*?7 December 2026.*?Due soon", page, re.S)
    assert "Direct observations of practice" in page and "2 still needed" in page
    assert "Home visit observed" in page
    assert "Module 4 – KSS 3: Child Development" in page and "Not booked" in page
    assert "3.7 hours a week (10% of working time)" in page
    assert "At least fortnightly" in page
    assert "Add a reflective log" in page and "Record a direct observation" not in page
    assessor_page = visit("assessor").get(f"/asye/{world.enrolment.id}").get_data(as_text=True)
    assert "Record a direct observation" in assessor_page and "Add a reflective log" not in assessor_page


def test_module_attendance_comes_from_completions(world, visit):
    from lnd.courses.models import Completion
    from lnd.courses.queries import course_by_slug

    db.session.add(Completion(person_id=world.nqsw.id, course_id=course_by_slug("asye-module-2").id,
                              completed_on=date(2026, 11, 3), source="attendance"))
    db.session.commit()
    modules = {row.course.slug: row for row in queries.portfolio(world.enrolment, date(2026, 11, 23)).modules}
    assert modules["asye-module-2"].status == ("Attended", "govuk-tag--green")
    assert modules["asye-module-3"].status[0] == "Not booked"
    assert list(modules)[:3] == ["asye-induction", "asye-module-1", "asye-module-2"]
    coverage = visit("nqsw").get(f"/asye/{world.enrolment.id}/coverage").get_data(as_text=True)
    assert "Module attended: Module 2 – KSS 1" in coverage


def test_coverage_highlights_gaps_in_words(world, visit):
    add_entry(world, rules.REFLECTIVE_LOG, kss=(1, 2), title="A first visit")
    page = visit("manager").get(f"/asye/{world.enrolment.id}/coverage").get_data(as_text=True)
    assert "2 of 10 statements have evidence." in page
    assert "Gaps (no evidence yet): KSS 3, KSS 4, KSS 5, KSS 6, KSS 7, KSS 8, KSS 9, KSS 10." in page
    assert page.count("Gap: no evidence yet") == 8
    assert "A first visit" in page


def test_adding_a_reflective_log_with_errors_shows_the_error_summary(world, visit):
    nqsw = visit("nqsw")
    url = f"/asye/{world.enrolment.id}/entries/new/reflective-log"
    page = nqsw.post(url, data={"title": "", "occurred_on": ["23", "11", "2026"], "body": "Text"}).get_data(as_text=True)
    assert "govuk-error-summary" in page and "<title>Error:" in page
    assert "Enter a title" in page
    page = nqsw.post(url, data={"title": "Visit", "occurred_on": ["23", "11", "2026"], "body": "Text"}).get_data(
        as_text=True)
    assert "Select at least one standard this evidence shows" in page
    page = nqsw.post(url, data={"title": "Visit", "occurred_on": ["31", "2", "2026"], "body": "Text"}).get_data(
        as_text=True)
    assert "must be a real date" in page
    assert _count(AsyeEntry) == 0
    kss3 = world.standard(3).id
    response = nqsw.post(url, data={"title": "Visit", "occurred_on": ["20", "11", "2026"], "body": "Text",
                                    "standard_ids": [str(kss3)]})
    assert response.status_code == 302
    db.session.rollback()
    entry = db.session.scalar(db.select(AsyeEntry))
    assert entry.title == "Visit" and [s.number for s in entry.standards] == [3]


def test_the_coverage_gap_link_prefills_the_standard(world, visit):
    kss3 = world.standard(3).id
    page = visit("nqsw").get(f"/asye/{world.enrolment.id}/entries/new/reflective-log?standard={kss3}").get_data(
        as_text=True)
    assert re.search(rf'value="{kss3}"\s+checked', page)


def _upload(visitor, entry_id, content: bytes, name: str):
    return visitor.post(f"/asye/entries/{entry_id}/attachments/new", data={"file": (io.BytesIO(content), name)},
                        content_type="multipart/form-data")


def test_files_are_refused_by_content_type_and_served_only_as_downloads_to_those_allowed(app, world, visit):
    entry = add_entry(world, rules.REFLECTIVE_LOG)
    nqsw = visit("nqsw")
    for content, name, message in ((EXE, "notes.pdf", "must be a PDF, PNG, JPEG or Word (.docx) file"),
                                   (b"<html><script>alert(1)</script>", "page.html", "must be a PDF"),
                                   (b"", "empty.pdf", "The selected file is empty")):
        page = _upload(nqsw, entry.id, content, name).get_data(as_text=True)
        assert "govuk-error-summary" in page and message in page, name
    assert _count(AsyeAttachment) == 0
    assert _upload(nqsw, entry.id, PNG, "photo.png").status_code == 302
    db.session.rollback()
    item = db.session.scalar(db.select(AsyeAttachment))
    assert item.content_type == "image/png" and item.stored_name.endswith(".png")
    assert app.config["UPLOAD_DIR"] not in app.static_folder
    download = visit("manager").get(f"/asye/attachments/{item.id}")
    assert download.status_code == 200 and download.data == PNG
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert visit("other_assessor").get(f"/asye/attachments/{item.id}").status_code == 404
    # Only the author adds files: the assessor sees the entry but gets 403.
    assert _upload(visit("assessor"), entry.id, PDF, "x.pdf").status_code == 403
    assert _count(AsyeAttachment) == 1


def test_after_the_final_sign_off_the_pages_say_so_and_refuse_changes(world, visit):
    entry = add_entry(world, rules.REFLECTIVE_LOG)
    for kind, judgement in ((rules.THREE_MONTH, rules.ON_TRACK), (rules.SIX_MONTH, rules.ON_TRACK),
                            (rules.FINAL, rules.FAIL)):
        services.save_review_part(world.enrolment, kind, rules.ASSESSOR_PART, services.ReviewPart(
            comments="Seen.", held_on=date(2026, 11, 20), judgement=judgement), world.assessor, date(2026, 11, 23))
        services.sign_review(world.enrolment, kind, world.assessor, NOW, date(2026, 11, 23))
    db.session.commit()
    sentence = "The final review was signed on 23 November 2026"
    nqsw = visit("nqsw")
    portfolio = nqsw.get(f"/asye/{world.enrolment.id}").get_data(as_text=True)
    assert sentence in portfolio and "Add a reflective log" not in portfolio
    entries = _count(AsyeEntry)
    page = nqsw.post(f"/asye/{world.enrolment.id}/entries/new/reflective-log", data={
        "title": "Late", "occurred_on": ["20", "11", "2026"], "body": "Text",
        "standard_ids": [str(world.standard(1).id)]}).get_data(as_text=True)
    assert "govuk-error-summary" in page and "so this portfolio can no longer be changed" in page
    page = nqsw.post(f"/asye/entries/{entry.id}/delete").get_data(as_text=True)
    assert "so this portfolio can no longer be changed" in page
    assert _upload(nqsw, entry.id, PDF, "late.pdf").status_code == 200
    assert _count(AsyeEntry) == entries and _count(AsyeAttachment) == 0
    assert "Change this entry" not in nqsw.get(f"/asye/entries/{entry.id}").get_data(as_text=True)


def test_the_assessor_records_and_signs_the_three_month_review(world, visit):
    assessor = visit("assessor")
    url = f"/asye/{world.enrolment.id}/reviews/3-month"
    page = assessor.post(f"{url}/assessor", data={"held_on": ["30", "11", "2026"], "judgement": "on_track",
                                                  "comments": "Good."}).get_data(as_text=True)
    assert "The date the review was held must be today or in the past" in page
    response = assessor.post(f"{url}/assessor", data={"held_on": ["20", "11", "2026"], "judgement": "on_track",
                                                      "comments": "Relationships are a strength."})
    assert response.status_code == 302
    page = assessor.get(url).get_data(as_text=True)
    assert "Relationships are a strength." in page and "On track to complete" in page
    assert assessor.post(f"{url}/sign").status_code == 302
    page = visit("nqsw").get(url).get_data(as_text=True)
    assert "Signed" in page and "by Asha Assessor" in page
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id)).filter_by(action="asye_review_signed")) == 1


def test_the_lead_enrols_an_nqsw_and_records_an_absence(world, visit, make_person):
    newcomer = make_person("Nia", "Newstarter", manager=world.manager, swe="SW900020", email="nia@example.org")
    lead = visit("lead")
    form = lead.get("/asye/enrol").get_data(as_text=True)
    assert "Asha Assessor" in form and "Una" not in form
    page = lead.post("/asye/enrol", data={"nqsw_email": "nobody@example.org", "start_date": ["1", "12", "2026"],
                                          "assessor_id": str(world.assessor.id), "framework_id": str(world.framework.id),
                                          "working_pattern": "full_time"}).get_data(as_text=True)
    assert "Enter the email address of a member of staff" in page and "govuk-error-summary" in page
    page = lead.post("/asye/enrol", data={"nqsw_email": "nia@example.org", "start_date": ["1", "12", "2026"],
                                          "assessor_id": "", "framework_id": str(world.framework.id),
                                          "working_pattern": "part_time", "fte": "0.6"}).get_data(as_text=True)
    assert "Select the assessor" in page
    response = lead.post("/asye/enrol", data={"nqsw_email": "NIA@example.org", "start_date": ["1", "12", "2026"],
                                              "assessor_id": str(world.assessor.id),
                                              "framework_id": str(world.framework.id),
                                              "working_pattern": "part_time", "fte": "60%"})
    assert response.status_code == 302
    db.session.rollback()
    enrolment = db.session.scalar(db.select(AsyeEnrolment).filter_by(nqsw_id=newcomer.id))
    assert str(enrolment.fte) == "0.60" and enrolment.line_manager_id == world.manager.id
    page = lead.get(response.headers["Location"]).get_data(as_text=True)
    assert "Part-time (0.6 FTE)" in page and "1 August 2028" in page         # 20 months
    response = lead.post(f"/asye/{enrolment.id}/absences", data={"starts_on": ["4", "1", "2027"],
                                                                 "ends_on": ["14", "2", "2027"],
                                                                 "reason": "Long-term sickness"})
    assert response.status_code == 302
    assert "12 September 2028" in lead.get(response.headers["Location"]).get_data(as_text=True)   # + 42 days
    assert fresh(AsyeEnrolment, enrolment.id).absences[0].days == 42


def test_supervision_held_is_shown_against_the_expected_cadence(world, visit):
    from datetime import time

    from lnd.core import clock
    from lnd.supervision import notifications as supervision_mail
    from lnd.supervision import rules as supervision_rules
    from lnd.supervision import services as supervision
    from lnd.supervision import session_services as supervision_sessions

    now = clock.now()
    agreement = supervision.draft_agreement(world.manager, world.nqsw, supervision_rules.ASYE, supervision.AgreementDetails(
        frequency=supervision_rules.WEEKLY, usual_place="Room 3", starts_on=date(2026, 9, 7)), date(2026, 9, 7))
    supervision.sign_agreement(agreement, world.manager, now)
    supervision.sign_agreement(agreement, world.nqsw, now)
    for day in (date(2026, 9, 10), date(2026, 9, 17)):
        planned = supervision_sessions.plan_session(agreement, world.manager,
                                                    datetime.combine(day, time(10), tzinfo=clock.LONDON), 60, "Room 3")
        supervision_sessions.record_session(planned, world.manager, supervision_sessions.SessionRecord(
            held_on=day, duration_minutes=60, place="Room 3", agenda=["casework"], discussion="Caseload."), now)
    db.session.commit()
    supervision_mail.discard()
    view = queries.portfolio(world.enrolment, date(2026, 11, 23))
    assert view.supervision_recorded
    assert [(s.due_by, s.held_on) for s in view.supervision[:3]] == [
        (date(2026, 9, 14), date(2026, 9, 10)), (date(2026, 9, 21), date(2026, 9, 17)), (date(2026, 9, 28), None)]
    assert view.supervision_so_far == (2, 8)   # six weekly and two fortnightly dates have passed
    page = visit("nqsw").get(f"/asye/{world.enrolment.id}").get_data(as_text=True)
    assert "2 of the 8 supervisions expected by now were recorded" in page and "6 missing" in page
