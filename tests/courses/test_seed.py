"""The offer seed: complete against the source document, idempotent, updates in place, retires, validates."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select

from lnd.core.models import AuditEvent
from lnd.courses.models import (
    Audience, Course, CourseGroup, DeliveryMethod, Framework, FrameworkStandard, Section, course_audience,
    course_delivery_method, course_standard,
)
from lnd.courses.seed import SeedError, load_offer

E, S, V, I, OD = "e_learning", "seminar", "video", "information_page", "contact_od"
ACTIVE, IN_DEV = "active", "in_development"

# Every course of seeds/002_9b81b1b099803614.txt, written out from the document:
# (section slug, group slug, title as the document gives it, delivery methods, status).
_INDUCTION = [
    ("corporate-induction", "GDPR Training", [E], ACTIVE),
    ("corporate-induction", "PREVENT Awareness and PREVENT Referrals", [E], ACTIVE),
    ("corporate-induction", "Mental Health and Wellbeing Awareness", [E], ACTIVE),
    ("childrens-services-induction", "LCS/EHM Training", [E, S], ACTIVE),
    ("childrens-services-induction", "Practice Standards", [V], ACTIVE),
    ("childrens-services-induction", "CC Inform Introduction and Registration", [I], ACTIVE),
    ("childrens-services-induction", "Tri.x – Children’s Services Procedure Manual", [S], ACTIVE),
    ("childrens-services-induction", "Threshold Training", [V], ACTIVE),
    ("childrens-services-induction", "SEND E Learning", [E], ACTIVE),
]
_CORE = [("childrens-services-core-training", title, methods, status) for title, methods, status in [
    ("Analytical Assessments", [S], ACTIVE),
    ("SMART Planning", [S], ACTIVE),
    ("Communicating With Children", [S], ACTIVE),
    ("Section 47, enquiry", [S], ACTIVE),
    ("Child Sexual Exploitation", [E], ACTIVE),
    ("County Lines", [E], ACTIVE),
    ("Domestic Abuse", [E], ACTIVE),
    ("Court Skills & Pre Proceedings", [S], ACTIVE),
    ("Graded Care Profile", [S], ACTIVE),
    ("Child Safeguarding Practice Reviews", [S], ACTIVE),
    ("Life Story Work", [], ACTIVE),
    ("Neglect", [E], ACTIVE),
    ("Permanency", [], IN_DEV),
    ("Substance Misuse (Drug and Alcohol Awareness)", [E], ACTIVE),
    ("Chronologies", [], IN_DEV),
]]
_DEVELOPMENTAL = [("developmental-social-workers", title, [S], ACTIVE) for title in [
    "Achieving Best Evidence", "Age Assessments", "AIM3", "Practice Educator Stage 1", "Practice Educator Stage 2",
]] + [("middlesbrough-managers", title, methods, ACTIVE) for title, methods in [
    ("HR/ OD Update", [E]),
    ("Absence Management", [S]),
    ("Chairing Safeguarding Meetings", [E]),
    ("Corporate Procurement", [E]),
    ("Decision Making Awareness", [E]),
    ("ILM", [OD]),
    ("Insights Discovery in Leadership", [E]),
    ("LGSCO Effective Complaint Handling in Children's Social Care (CS Staff Only)", [S]),
    ("Managing Capability and Disciplinary", [S]),
    ("Project Management", [E]),
    ("Recruitment & Selection", [E]),
    ("Supervision Skills", [S]),
    ("Leadership & Management – Strengthening Practice (CS Staff Only)", [S]),
]]
_TEESWIDE = [("teeswide-safeguarding-e-learning", title, [E], ACTIVE) for title in [
    "Safeguarding Adults in Health and Social Care Training Course",
    "Safeguarding Adults - Level 2",
    "Safeguarding Against Radicalisation - The Prevent Duty",
    "Safeguarding Children - for Education - Level 1",
    "Safeguarding Children - Level 1",
    "Safeguarding Children - Level 2",
    "Safeguarding Children with Disabilities",
    "Deprivation of Liberty Safeguards (DoLS)",
    "Mental Capacity Act",
    "Abuse Related to Beliefs in Witchcraft",
    "Bullying and Cyberbullying",
    "Child Sexual Exploitation - Level 1",
    "Sexual Abuse and Recognising Grooming",
    "Common Assessment Framework (CAF or Early Help)",
    "Domestic Abuse and Intimate Partner Violence",
    "Neglect",
    "Effective Communication with Children and Families",
    "Equality and Diversity",
    "Gangs and Youth Violence",
    "Hate Crime",
    "Hidden Harm: Parental Substance Misuse, Parental Mental Ill-Health and Domestic Abuse",
    "Human Trafficking and Modern Day Slavery",
    "Information Sharing and Consent",
    "Missing Children",
    "Physical Abuse",
    "Privacy and Dignity - for Health and Social Care",
    "Self-Harm",
    "Honour-Based Violence and Forced Marriage",
    "Female Genital Mutilation",
    "Unconscious Bias",
    "Multi-Agency Working",
]]
_MULTI_AGENCY = [("multi-agency-training", title, methods, ACTIVE) for title, methods in [
    ("Threshold Training", []),
    ("My Family Plan Training", []),
    ("Middlesbrough Practice Standards Training", []),
    ("SEND E Learning", [E]),
]]
KSS_TITLES = {
    1: "The relationships and effective direct work",
    2: "Communication",
    3: "Child Development",
    4: "Adult mental ill health, substance misuse, domestic abuse, physical ill health and disability",
    5: "Abuse & neglect of children",
    6: "Child & family assessment",
    7: "Analysis, decision-making, planning and review",
    8: "The law and the family and youth justice systems",
    9: "The role of supervision",
    10: "Organisational Context",
}
_ASYE = [("childrens-services-asye-programme", title, [S], ACTIVE) for title in [
    "The ASYE Induction",
    "Module 1 – Self Care, Time Management, Reflective Supervision",
    *[f"Module {n + 1} – KSS {n}: {title}" for n, title in KSS_TITLES.items()],
    "Portfolio Sessions",
    "Reflective Case Discussion",
]]
DOCUMENT = (
    [("induction", *row) for row in _INDUCTION]
    + [("core-offer", *row) for row in _CORE]
    + [("developmental-offer", *row) for row in _DEVELOPMENTAL]
    + [("course-library", *row) for row in _TEESWIDE]
    + [("multi-agency", *row) for row in _MULTI_AGENCY]
    + [("asye-programme", *row) for row in _ASYE]
)
SECTIONS = ["induction", "core-offer", "developmental-offer", "course-library", "multi-agency", "asye-programme"]


@pytest.fixture
def seed_dir(app) -> Path:
    return Path(app.config["SEED_DIR"])


@pytest.fixture
def seed_copy(seed_dir, tmp_path) -> Path:
    """A private copy of the seed folder that a test may edit."""
    target = tmp_path / "seed"
    shutil.copytree(seed_dir, target)
    return target


def _edit_offer(folder: Path, change) -> None:
    path = folder / "offer.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _group(data: dict, slug: str) -> dict:
    return next(g for s in data["sections"] for g in s.get("groups", []) if g["slug"] == slug)


def _counts(db) -> dict[str, int]:
    tables = {"course": Course, "section": Section, "group": CourseGroup, "method": DeliveryMethod,
              "audience": Audience, "framework": Framework, "standard": FrameworkStandard}
    counts = {name: db.session.scalar(select(func.count()).select_from(model)) for name, model in tables.items()}
    for table in (course_delivery_method, course_audience, course_standard):
        counts[table.name] = db.session.scalar(select(func.count()).select_from(table))
    counts["audit"] = db.session.scalar(select(func.count()).select_from(AuditEvent))
    return counts


def _course(db, slug: str) -> Course:
    return db.session.scalar(select(Course).filter_by(slug=slug))


# --- completeness against the document ---------------------------------------------------------

def test_every_course_of_the_document_is_loaded_with_its_section_group_methods_and_status(db, seed_dir):
    load_offer(seed_dir)
    db.session.commit()
    courses = db.session.scalars(select(Course)).unique().all()
    found = {(c.section.slug, c.group.slug if c.group else None, c.title): c for c in courses}

    for section, group, title, methods, status in DOCUMENT:
        course = found.get((section, group, title))
        assert course is not None, f"{title!r} missing from {section}/{group}"
        assert sorted(m.code for m in course.delivery_methods) == sorted(methods), title
        assert course.status == status, title
        assert course.from_seed
    assert len(courses) == len(DOCUMENT) == 91, "the seed holds courses the document does not"


def test_the_offer_has_six_sections_in_the_documents_order(db, seed_dir):
    load_offer(seed_dir)
    sections = db.session.scalars(select(Section).order_by(Section.position)).all()
    assert [s.slug for s in sections] == SECTIONS
    assert all(s.purpose and s.description for s in sections)
    assert "Social Work England" in sections[1].description


def test_groups_carry_the_documents_windows_colours_and_authorisation(db, seed_dir):
    load_offer(seed_dir)
    groups = {g.slug: g for g in db.session.scalars(select(CourseGroup))}
    assert str(groups["corporate-induction"].window) == "6 months"
    assert str(groups["childrens-services-induction"].window) == "4 weeks"
    assert str(groups["childrens-services-core-training"].window) == "3 years"
    assert "not limited to" in groups["corporate-induction"].description
    blue, orange = groups["developmental-social-workers"], groups["middlesbrough-managers"]
    assert (blue.colour, blue.authorisation) == ("blue", "line_manager")
    assert (orange.colour, orange.authorisation) == ("orange", "manager_if_aspiring")
    for slug in ("developmental-social-workers", "middlesbrough-managers", "teeswide-safeguarding-e-learning",
                 "multi-agency-training", "childrens-services-asye-programme"):
        assert groups[slug].window is None, slug


def test_named_defaults_and_details_the_document_states(db, seed_dir):
    load_offer(seed_dir)
    assert _course(db, "court-skills-and-pre-proceedings").parts == 2
    assert _course(db, "chronologies").provider == "Frontline"
    assert "Centre for Practice Excellence" in _course(db, "life-story-work").default_note
    assert "knowledge of the relevant recording system" in _course(db, "lcs-ehm-training").description
    staff_only = {c.slug for c in db.session.scalars(select(Course))
                  if "childrens_services_staff_only" in {a.code for a in c.audiences}}
    assert staff_only == {"lgsco-effective-complaint-handling", "leadership-and-management-strengthening-practice"}
    for course in db.session.scalars(select(Course)):
        assert course.audiences, f"{course.slug} has no audience"
        if not course.delivery_methods:
            assert course.default_note, f"{course.slug} has no delivery method and no note saying why"


def test_asye_modules_2_to_11_are_linked_to_kss_1_to_10(db, seed_dir):
    load_offer(seed_dir)
    framework = db.session.scalar(select(Framework).filter_by(code="kss-child-family"))
    assert framework.valid_until == date(2027, 3, 31)
    assert "early career standards" in framework.description
    assert {s.number: s.title for s in framework.standards} == KSS_TITLES

    asye = db.session.scalars(select(Course).join(Section).where(Section.slug == "asye-programme")).unique().all()
    modules = {c.module_number: c for c in asye if c.module_number}
    assert sorted(modules) == list(range(1, 12))
    for number in range(2, 12):
        assert [(s.framework.code, s.number) for s in modules[number].standards] == [("kss-child-family", number - 1)]
        assert modules[number].description.startswith("Aim:")
    assert modules[1].standards == []
    assert _course(db, "asye-induction").standards == []
    assert all([a.code for a in c.audiences] == ["nqsw"] for c in asye)


# --- idempotence, updates, retirement ----------------------------------------------------------

def test_loading_twice_changes_nothing(db, seed_dir):
    first = load_offer(seed_dir)
    db.session.commit()
    counts = _counts(db)
    assert first.created["course"] == 91 and first.created["section"] == 6
    assert counts["audit"] == 91, "one audit row per created course"

    second = load_offer(seed_dir)
    db.session.commit()
    assert not second.changed
    assert sum(second.created.values()) == sum(second.updated.values()) == sum(second.retired.values()) == 0
    assert second.unchanged["course"] == 91
    assert _counts(db) == counts


def test_an_edited_course_is_updated_in_place(db, seed_copy):
    load_offer(seed_copy)
    db.session.commit()
    before = _course(db, "graded-care-profile")
    course_id = before.id

    def edit(data):
        course = next(c for c in _group(data, "childrens-services-core-training")["courses"]
                      if c["slug"] == "graded-care-profile")
        course["title"] = "Graded Care Profile 2"
        course["description"] = "A new description."
        course["delivery_methods"] = ["seminar", "e_learning"]

    _edit_offer(seed_copy, edit)
    result = load_offer(seed_copy, actor=None)
    db.session.commit()

    assert result.count("course") == {"created": 0, "updated": 1, "retired": 0, "unchanged": 90, "kept": 0}
    course = _course(db, "graded-care-profile")
    assert course.id == course_id
    assert (course.title, course.description) == ("Graded Care Profile 2", "A new description.")
    assert sorted(m.code for m in course.delivery_methods) == ["e_learning", "seminar"]
    event = db.session.scalar(select(AuditEvent).filter_by(action="course.updated"))
    assert event.entity_id == str(course_id)
    assert event.after["title"] == "Graded Care Profile 2" and event.before["title"] == "Graded Care Profile"
    assert "section" not in event.after, "only the changed fields are audited"


def test_a_course_removed_from_the_yaml_is_retired_not_deleted(db, seed_copy):
    load_offer(seed_copy)
    db.session.commit()
    section = db.session.scalar(select(Section).filter_by(slug="core-offer"))
    made_in_app = Course(slug="od-made", title="Made by OD", section=section, from_seed=False)
    db.session.add(made_in_app)
    db.session.commit()
    course_id = _course(db, "county-lines").id

    def remove(data):
        group = _group(data, "childrens-services-core-training")
        group["courses"] = [c for c in group["courses"] if c["slug"] != "county-lines"]

    _edit_offer(seed_copy, remove)
    result = load_offer(seed_copy)
    db.session.commit()

    assert result.count("course")["retired"] == 1
    retired = db.session.get(Course, course_id)
    assert retired is not None and retired.status == "retired"
    assert _course(db, "od-made").status == "active", "courses made in the app are not the seed's to retire"
    assert db.session.scalar(select(AuditEvent).filter_by(action="course.retired")).entity_id == str(course_id)
    assert not load_offer(seed_copy).changed, "retiring is idempotent too"


def test_a_retired_course_put_back_in_the_yaml_is_restored(db, seed_dir, seed_copy):
    load_offer(seed_dir)
    _edit_offer(seed_copy, lambda data: _group(data, "childrens-services-core-training")["courses"].pop())
    load_offer(seed_copy)
    db.session.commit()
    assert _course(db, "chronologies").status == "retired"

    result = load_offer(seed_dir)
    assert result.count("course")["updated"] == 1
    assert _course(db, "chronologies").status == "in_development"


def test_a_group_and_section_removed_from_the_yaml_are_retired(db, seed_copy):
    load_offer(seed_copy)
    db.session.commit()

    def remove(data):
        data["sections"] = [s for s in data["sections"] if s["slug"] != "multi-agency"]

    _edit_offer(seed_copy, remove)
    result = load_offer(seed_copy)
    db.session.commit()
    assert result.count("course")["retired"] == 4
    assert db.session.scalar(select(Section).filter_by(slug="multi-agency")).retired
    assert db.session.scalar(select(CourseGroup).filter_by(slug="multi-agency-training")).retired


def test_a_new_framework_needs_only_a_new_yaml_file(db, seed_copy):
    (seed_copy / "frameworks" / "ecs.yaml").write_text(
        "code: ecs-child-family\ntitle: Child and family early career standards\nvalid_from: 2027-04-01\n"
        "standards:\n  - number: 1\n    title: A standard\n", encoding="utf-8")

    def link(data):
        _group(data, "childrens-services-asye-programme")["courses"][0]["standards"] = ["ecs-child-family:1"]

    _edit_offer(seed_copy, link)
    load_offer(seed_copy)
    framework = db.session.scalar(select(Framework).filter_by(code="ecs-child-family"))
    assert framework.valid_from == date(2027, 4, 1)
    assert [s.framework.code for s in _course(db, "asye-induction").standards] == ["ecs-child-family"]


# --- validation ---------------------------------------------------------------------------------

def _first_course(data: dict) -> dict:
    return _group(data, "corporate-induction")["courses"][0]


def _unknown_group(data):
    data["sections"][0]["courses"] = [{"slug": "stray", "title": "Stray", "group": "no-such-group"}]


def _unknown_method(data):
    _first_course(data)["delivery_methods"] = ["carrier_pigeon"]


def _duplicate_slug(data):
    _first_course(data)["slug"] = "neglect"


def _bad_window(data):
    _group(data, "corporate-induction")["window"] = "6 fortnights"


def _bad_status(data):
    _first_course(data)["status"] = "retired"


def _unknown_standard(data):
    _first_course(data)["standards"] = ["kss-child-family:99"]


def _bad_slug(data):
    _first_course(data)["slug"] = "GDPR Training"


def _unknown_field(data):
    _first_course(data)["delivery_method"] = ["e_learning"]


@pytest.mark.parametrize("change, expected", [
    (_unknown_group, ["offer.yaml", "'stray'", "unknown group 'no-such-group'"]),
    (_unknown_method, ["offer.yaml", "'gdpr-training'", "unknown delivery method 'carrier_pigeon'"]),
    (_duplicate_slug, ["offer.yaml", "course slug 'neglect' is used twice"]),
    (_bad_window, ["offer.yaml", "'corporate-induction'", "bad window", "fortnights"]),
    (_bad_status, ["offer.yaml", "'gdpr-training'", "status 'retired'"]),
    (_unknown_standard, ["offer.yaml", "'gdpr-training'", "kss-child-family:99"]),
    (_unknown_field, ["offer.yaml", "'gdpr-training'", "unknown field(s) delivery_method"]),
    (_bad_slug, ["offer.yaml", "'GDPR Training'", "lower-case letters, digits and hyphens"]),
])
def test_a_bad_yaml_is_refused_with_a_clear_message_and_changes_nothing(db, seed_copy, change, expected):
    load_offer(seed_copy)
    db.session.commit()
    counts = _counts(db)

    _edit_offer(seed_copy, lambda data: (_first_course(data).update(title="Changed"), change(data)))
    with pytest.raises(SeedError) as raised:
        load_offer(seed_copy)

    for fragment in expected:
        assert fragment in raised.value.message
    assert not db.session.new and not db.session.dirty
    db.session.rollback()
    assert _counts(db) == counts
    assert _course(db, "gdpr-training").title == "GDPR Training"


def test_a_yaml_syntax_error_names_the_file_and_line(db, seed_copy):
    (seed_copy / "reference.yaml").write_text("delivery_methods:\n  - code: [unclosed\n", encoding="utf-8")
    with pytest.raises(SeedError, match=r"reference\.yaml is not valid YAML at line \d+"):
        load_offer(seed_copy)
    assert _counts(db)["course"] == 0


def test_a_missing_file_is_named(db, seed_copy):
    (seed_copy / "offer.yaml").unlink()
    with pytest.raises(SeedError, match="offer.yaml is missing"):
        load_offer(seed_copy)


def test_the_seed_will_not_take_over_a_course_made_in_the_app(db, seed_dir):
    section = Section(slug="elsewhere", title="Elsewhere")
    db.session.add(Course(slug="neglect", title="OD's own neglect course", section=section, from_seed=False))
    db.session.commit()
    result = load_offer(seed_dir)
    assert result.kept["course"] == 1
    assert "1 kept as changed in the app" in str(result)
    course = db.session.scalar(db.select(Course).filter_by(slug="neglect"))
    assert course.title == "OD's own neglect course" and course.section.slug == "elsewhere"


def test_od_changes_to_a_seeded_course_survive_the_next_load(db, seed_dir, make_person):
    from lnd.courses import services

    load_offer(seed_dir)
    db.session.commit()
    od = make_person(roles=["staff", "od_admin"])
    course = db.session.scalar(db.select(Course).filter_by(slug="county-lines"))
    services.retire_course(course, od)
    section = db.session.scalar(db.select(Section).filter_by(slug="multi-agency"))
    services.update_section(section, services.SectionDetails(title="Partnership offer", purpose="Shared training"), od)
    db.session.commit()
    again = load_offer(seed_dir)
    db.session.commit()
    assert again.kept["course"] == 1 and again.kept["section"] == 1
    assert not again.changed
    assert db.session.scalar(db.select(Course).filter_by(slug="county-lines")).status == "retired"
    assert db.session.scalar(db.select(Section).filter_by(slug="multi-agency")).title == "Partnership offer"
