"""Monthly compliance snapshots, kept for the 12-month trend."""
from __future__ import annotations
