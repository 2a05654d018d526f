"""What every template can use: navigation for the person's roles, date formats, asset paths."""
from __future__ import annotations

from datetime import date, datetime, timezone

from flask import current_app, request, url_for
from flask_login import current_user

from lnd.core.clock import LONDON

# (label, endpoint, roles that see it; empty = every signed-in person)
NAVIGATION = [
    ("Home", "compliance.home", ()),
    ("My learning", "learning.mine", ()),
    ("My team", "learning.team", ("manager", "od_admin")),
    ("The offer", "courses.offer", ()),
    ("Bookings", "bookings.my_bookings", ()),
    ("Approvals", "bookings.approvals", ("manager", "od_admin")),
    ("Sessions", "bookings.sessions", ("od_admin",)),
    ("People", "people.directory", ("od_admin", "manager")),
    ("Import staff", "people.import_upload", ("od_admin",)),
    ("My CPD", "cpd.mine", ()),
    ("CPD readiness", "cpd.readiness", ("manager", "od_admin")),
    ("ASYE", "asye.cohort", ("asye_assessor", "od_admin")),
    ("Supervision", "supervision.index", ("supervisor", "manager", "od_admin")),
    ("Appraisals", "appraisal.index", ("manager", "od_admin")),
    ("Practice Excellence", "cfpe.index", ("od_admin",)),
    ("Career consultation", "cfpe.my_consultations", ()),
    ("Reports", "reports.index", ("manager", "od_admin")),
]

# endpoint -> predicate(person): also show the entry to people without its roles for whom the
# predicate holds (registered by the owning module at app start; keep it to one cheap query).
_ALSO_SHOWN_TO = "lnd.navigation_also_shown_to"


def also_show_navigation(app, endpoint: str, predicate) -> None:
    app.extensions.setdefault(_ALSO_SHOWN_TO, {})[endpoint] = predicate


def navigation_for(person) -> list[dict]:
    items = []
    also = current_app.extensions.get(_ALSO_SHOWN_TO, {})
    for label, endpoint, roles in NAVIGATION:
        if roles and not person.has_role(*roles) and not (endpoint in also and also[endpoint](person)):
            continue
        href = url_for(endpoint)
        items.append({"text": label, "href": href,
                      "active": request.path == href or (href != "/" and request.path.startswith(href))})
    return items


def format_date(value) -> str:
    """22 November 2026, as GOV.UK style writes dates."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.tzinfo is None:  # SQLite hands back stored UTC times without their zone
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(LONDON)
        return f"{value.day} {value:%B %Y} at {value:%H:%M}".replace(" at 00:00", "")
    if isinstance(value, date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


def format_date_short(value) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%b %Y}"


def init_app(app) -> None:
    app.jinja_env.filters["govuk_date"] = format_date
    app.jinja_env.filters["short_date"] = format_date_short

    @app.context_processor
    def _globals():
        signed_in = current_user.is_authenticated
        return {
            "service_name": app.config["SERVICE_NAME"],
            "organisation_name": app.config["ORGANISATION_NAME"],
            "navigation": navigation_for(current_user) if signed_in else [],
            "asset_path": url_for("static", filename="build/assets"),
        }
