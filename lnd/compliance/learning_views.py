"""My learning, the manager's team grid and a person's required learning."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("learning", __name__)
