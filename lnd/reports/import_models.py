"""Models of the e-learning completion imports."""
from __future__ import annotations
