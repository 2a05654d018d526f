"""Models of the reports module."""
from lnd.reports import import_models, snapshot_models  # noqa: F401
