"""Pages of the supervision module."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("supervision", __name__)
