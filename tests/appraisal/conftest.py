"""A team for the appraisal tests: a senior manager over a manager over two people, the offer
loaded (the Developmental Offer and the mandatory-training windows), and a fixed clock."""
from datetime import date
from types import SimpleNamespace

import pytest

from lnd.bookings import notifications
from lnd.core import clock

TODAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def fixed_clock(db):
    clock.freeze(TODAY)
    yield
    clock.freeze(None)
    notifications.discard()


@pytest.fixture
def team(offer, make_person):
    senior = make_person("Graham", "Wilson", roles=["staff", "manager"], team="Assessment")
    manager = make_person("Morgan", "Ellis", roles=["staff", "manager"], manager=senior, team="Assessment")
    sam = make_person("Sam", "Okafor", manager=manager, team="Assessment", start_date=date(2021, 6, 1))
    noah = make_person("Noah", "Clarke", manager=manager, team="Assessment", start_date=date(2026, 11, 9))
    peer = make_person("Peter", "Peer", manager=manager, team="Assessment", start_date=date(2023, 1, 5))
    other = make_person("Hannah", "Price", roles=["staff", "manager"], team="Children in Need")
    od = make_person("Olivia", "Dean", roles=["staff", "od_admin"], team="Centre for Practice Excellence/OD")
    return SimpleNamespace(senior=senior, manager=manager, sam=sam, noah=noah, peer=peer, other=other, od=od)
