"""Every page of the reports module, on one blueprint."""
from __future__ import annotations

from lnd.reports import import_views, matrix_views, summary_views  # noqa: F401  (routes register on import)
from lnd.reports.blueprint import bp

__all__ = ["bp"]
