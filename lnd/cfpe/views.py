"""Centre for Practice Excellence commitments: new-starter contacts and career consultations."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cfpe", __name__, url_prefix="/centre-for-practice-excellence")
