"""CPD fixtures: a small organisation, records made directly, and an SMTP server on loopback."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from lnd.cpd.models import CpdRecord
from lnd.extensions import db as _db


@dataclass
class Org:
    senior: object
    manager: object
    owner: object
    peer: object
    other_manager: object
    unrelated: object
    od: object


@pytest.fixture
def org(make_person) -> Org:
    """Assessment: senior > manager > (owner, peer). Children in Need: other_manager > unrelated."""
    senior = make_person("Sienna", "Senior", roles=("staff", "manager"), team="Assessment", swe="SW900001")
    manager = make_person("Morgan", "Manager", roles=("staff", "manager"), manager=senior, team="Assessment",
                          swe="SW900002")
    owner = make_person("Olive", "Owner", manager=manager, team="Assessment", swe="SW900003",
                        job_role="Social Worker")
    peer = make_person("Peter", "Peer", manager=manager, team="Assessment", swe="SW900004", job_role="Social Worker")
    other_manager = make_person("Omar", "Othermanager", roles=("staff", "manager"), team="Children in Need",
                                swe="SW900005")
    unrelated = make_person("Uma", "Unrelated", manager=other_manager, team="Children in Need", swe="SW900006")
    od = make_person("Odette", "Admin", roles=("staff", "od_admin"), team="Centre for Practice Excellence/OD")
    return Org(senior, manager, owner, peer, other_manager, unrelated, od)


@pytest.fixture
def make_record(db):
    def factory(person, activity_date: date, *, peer: bool = False, title: str = "Reading on neglect",
                completion=None) -> CpdRecord:
        record = CpdRecord(
            person_id=person.id, activity_type="reading", title=title, activity_date=activity_date,
            description="Research in Practice briefing on neglect.", learning="Cumulative harm.",
            impact="Chronologies in every assessment.", completion_id=completion.id if completion else None,
            peer_name="Morgan Manager" if peer else None, peer_role="manager_supervisor" if peer else None,
            peer_learning="How to use chronologies in supervision." if peer else None)
        _db.session.add(record)
        _db.session.commit()
        return record

    return factory


@pytest.fixture
def smtp_inbox(smtp_server):
    """A real SMTP server on loopback; the app sends to it. Yields the list of messages received."""
    return smtp_server.messages
