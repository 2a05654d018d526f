"""`flask --app lnd report snapshot`: the monthly compliance snapshot."""
from __future__ import annotations

from lnd.reports.report_cli import report_group  # noqa: F401
