"""Pages of the asye module."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("asye", __name__)
