"""Pages that belong to the service as a whole."""
from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import text

from lnd.core.auth import access
from lnd.extensions import db

bp = Blueprint("core", __name__)


@bp.route("/accessibility")
@access(anonymous=True)
def accessibility():
    return render_template("core/accessibility.html")


@bp.route("/privacy")
@access(anonymous=True)
def privacy():
    return render_template("core/privacy.html")


@bp.route("/healthz")
@access(anonymous=True)
def health():
    db.session.execute(text("select 1"))
    return {"status": "ok"}
