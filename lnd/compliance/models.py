"""Requirement rules (who must do what by when) and exemptions."""
from __future__ import annotations
