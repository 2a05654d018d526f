"""Models of the bookings module."""
from __future__ import annotations
