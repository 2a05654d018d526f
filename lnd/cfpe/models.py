"""Models of cfpe."""
from __future__ import annotations
