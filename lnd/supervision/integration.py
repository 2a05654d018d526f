"""What supervision adds to the rest of the service at app start: its sessions in the private
calendar feed, and the "Supervision" menu entry for anyone with a current agreement."""
from __future__ import annotations

from flask import Flask

from lnd.bookings.calendar import register_feed_source
from lnd.core.templating import also_show_navigation
from lnd.supervision import calendar, queries


def _has_agreement(person) -> bool:
    return queries.has_agreement(person.id)


def init_app(app: Flask) -> None:
    register_feed_source(app, calendar.feed_events)
    also_show_navigation(app, "supervision.index", _has_agreement)
