"""Models of the supervision module."""
from __future__ import annotations
