"""Models of compliance."""
from __future__ import annotations
