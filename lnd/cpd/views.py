"""Pages of the cpd module."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cpd", __name__)
