"""Models of the cpd module."""
from __future__ import annotations
