"""summary_views of the reports module."""
from __future__ import annotations

from lnd.reports.blueprint import bp  # noqa: F401
