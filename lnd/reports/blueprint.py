"""The reports blueprint, shared by the report, export and import pages of this module."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/reports")
