"""Catalogue pages (placeholder until the catalogue lands)."""
from __future__ import annotations

from flask import Blueprint, render_template

from lnd.core.auth import access
from lnd.courses import queries

bp = Blueprint("courses", __name__)


@bp.route("/offer")
@access()
def offer():
    return render_template("courses/offer.html", sections=queries.sections())


@bp.route("/offer/<slug>")
@access()
def section(slug: str):
    return render_template("courses/offer.html", sections=queries.sections())


@bp.route("/courses/<slug>")
@access()
def course(slug: str):
    return render_template("courses/offer.html", sections=queries.sections())
