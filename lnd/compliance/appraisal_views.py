"""The annual appraisal."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("appraisal", __name__, url_prefix="/appraisals")
