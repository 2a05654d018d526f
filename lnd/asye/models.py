"""Models of the asye module."""
from __future__ import annotations
