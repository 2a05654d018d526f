"""An ASYE world: an NQSW with their assessor, line manager and the manager above; another NQSW with
another assessor in another team; unrelated staff; the ASYE lead. The offer (with the KSS and the
ASYE programme) is loaded from seed/. The clock is fixed at Monday 23 November 2026."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from lnd.asye import entry_services, queries, services
from lnd.asye.entry_kinds import KINDS
from lnd.core import clock
from lnd.courses.models import Framework
from lnd.extensions import db as _db
from lnd.people.models import ASYE_ASSESSOR, MANAGER, OD_ADMIN, STAFF
from tests.core.visitors import Visitor

TODAY = date(2026, 11, 23)
START = date(2026, 9, 7)
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def fixed_clock(db):
    clock.freeze(TODAY)
    yield
    clock.freeze(None)


@dataclass
class AsyeWorld:
    senior: object
    manager: object
    nqsw: object
    peer: object
    assessor: object
    other_assessor: object
    other_manager: object
    other_nqsw: object
    unrelated: object
    lead: object
    enrolment: object
    other_enrolment: object
    framework: object

    def standard(self, number: int):
        return next(s for s in self.framework.standards if s.number == number)


def enrol(nqsw, assessor, lead, framework, start=START, pattern="full_time", fte=None):
    enrolment = services.enrol(services.EnrolmentDetails(
        nqsw=nqsw, start_date=start, assessor=assessor, framework=framework, working_pattern=pattern, fte=fte),
        lead, TODAY)
    _db.session.commit()
    return enrolment


def add_entry(world, kind_code, author=None, *, enrolment=None, kss=(1,), stage="", day=date(2026, 10, 1), **answers):
    kind = KINDS[kind_code]
    enrolment = enrolment or world.enrolment
    author = author or (world.assessor if kind.recorded_by == "assessor" else enrolment.nqsw)
    defaults = {"title": f"A {kind.label.lower()}", "source": "A parent", "context": "A home visit",
                "body": "What happened and what I learnt.", "development": "Next steps."}
    defaults.update(answers)
    entry = entry_services.create_entry(enrolment, kind, entry_services.EntryDetails(
        occurred_on=day, stage=stage, standard_ids=[world.standard(n).id for n in kss], **defaults), author, TODAY)
    _db.session.commit()
    return entry


@pytest.fixture
def world(offer, make_person) -> AsyeWorld:
    senior = make_person("Sienna", "Senior", roles=(STAFF, MANAGER), team="Assessment", swe="SW900001")
    manager = make_person("Morgan", "Manager", roles=(STAFF, MANAGER), manager=senior, team="Assessment",
                          swe="SW900002")
    nqsw = make_person("Nadia", "Newly", manager=manager, team="Assessment", swe="SW900003",
                       job_role="Newly Qualified Social Worker")
    peer = make_person("Peter", "Peer", manager=manager, team="Assessment", swe="SW900004")
    assessor = make_person("Asha", "Assessor", roles=(STAFF, ASYE_ASSESSOR), team="Centre for Practice Excellence/OD",
                           swe="SW900005")
    other_assessor = make_person("Otto", "Otherassessor", roles=(STAFF, ASYE_ASSESSOR), swe="SW900006",
                                 team="Centre for Practice Excellence/OD")
    other_manager = make_person("Omar", "Othermanager", roles=(STAFF, MANAGER), team="Children in Need",
                                swe="SW900007")
    other_nqsw = make_person("Ryan", "Otherqsw", manager=other_manager, team="Children in Need", swe="SW900008")
    unrelated = make_person("Uma", "Unrelated", manager=other_manager, team="Children in Need")
    lead = make_person("Fiona", "Lead", roles=(STAFF, OD_ADMIN, ASYE_ASSESSOR), swe="SW900009",
                       team="Centre for Practice Excellence/OD")
    framework = _db.session.scalar(_db.select(Framework).filter_by(code="kss-child-family"))
    enrolment = enrol(nqsw, assessor, lead, framework)
    other_enrolment = enrol(other_nqsw, other_assessor, lead, framework, start=date(2026, 3, 2))
    return AsyeWorld(senior, manager, nqsw, peer, assessor, other_assessor, other_manager, other_nqsw, unrelated,
                     lead, enrolment, other_enrolment, framework)


@pytest.fixture
def visit(app, world):
    """visit('nqsw') -> a signed-in Visitor (one browser each), cached per test."""
    made: dict[str, Visitor] = {}

    def get(name: str) -> Visitor:
        if name not in made:
            person = None if name == "anonymous" else getattr(world, name)
            visitor = Visitor(app, name, person)
            if person is not None:
                visitor.sign_in()
            made[name] = visitor
        return made[name]

    return get


def fresh(model, id_):
    _db.session.rollback()
    return _db.session.get(model, id_)


__all__ = ["AsyeWorld", "PDF", "START", "TODAY", "add_entry", "enrol", "fresh", "queries"]
