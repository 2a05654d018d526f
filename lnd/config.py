"""Configuration, read once from the environment."""
from __future__ import annotations

import os
from pathlib import Path

from lnd.compliance.rules import DUE_SOON_DAYS

ROOT = Path(__file__).resolve().parent.parent


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings for one app instance. Tests pass overrides to create_app()."""

    def __init__(self, **overrides):
        instance = Path(os.environ.get("LND_INSTANCE_PATH", ROOT / "instance"))
        self.INSTANCE_PATH = str(instance)
        self.SECRET_KEY = os.environ.get("SECRET_KEY") or os.environ.get("LND_SECRET_KEY") or "dev-only-change-me"
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("LND_DATABASE_URL") or f"sqlite:///{instance / 'lnd.sqlite3'}"
        self.SQLALCHEMY_ENGINE_OPTIONS: dict = {}
        self.UPLOAD_DIR = os.environ.get("UPLOAD_DIR") or str(instance / "uploads")
        self.UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
        self.MAX_CONTENT_LENGTH = self.UPLOAD_MAX_BYTES + 1024 * 1024
        # Mail: SMTP when MAIL_SERVER is set, otherwise messages are written to the outbox folder.
        self.MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
        self.MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
        self.MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
        self.MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
        self.MAIL_USE_TLS = _bool("MAIL_USE_TLS")
        self.MAIL_SENDER = os.environ.get("MAIL_SENDER", "learning.development@example.org")
        self.MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR") or str(instance / "outbox")
        self.HTTPS = _bool("LND_HTTPS")
        self.SESSION_COOKIE_HTTPONLY = True
        self.SESSION_COOKIE_SAMESITE = "Lax"
        self.SESSION_COOKIE_SECURE = self.HTTPS
        self.REMEMBER_COOKIE_HTTPONLY = True
        self.REMEMBER_COOKIE_SAMESITE = "Lax"
        self.REMEMBER_COOKIE_SECURE = self.HTTPS
        self.WTF_CSRF_ENABLED = True
        self.WTF_CSRF_TIME_LIMIT = None
        self.RATELIMIT_ENABLED = _bool("LND_RATELIMIT", True)
        self.RATELIMIT_STORAGE_URI = os.environ.get("LND_RATELIMIT_STORAGE", "memory://")
        self.LOGIN_LIMIT = os.environ.get("LND_LOGIN_LIMIT", "10 per minute")
        # Behind a reverse proxy: how many proxies set X-Forwarded-For/-Proto/-Host, so that the
        # per-address sign-in limit and the audit log see the person's own address. 0: no proxy.
        self.PROXY_HOPS = int(os.environ.get("LND_PROXY_HOPS", 0))
        self.SERVICE_NAME = "Children's Care Learning and Development"
        self.ORGANISATION_NAME = "Middlesbrough Council Children's Care"
        # A person may cancel a booked place up to this many working days before the session.
        self.BOOKING_CANCEL_CUTOFF_WORKING_DAYS = int(os.environ.get("BOOKING_CANCEL_CUTOFF_WORKING_DAYS", 2))
        # Mandatory-training reminders (`flask --app lnd reminders send`): "due soon" this many days
        # before the due date; the managers' weekly digest of overdue items on this day of the week.
        # Kept as given: the reminders command checks them (reminder_services.Settings.from_config)
        # and says what is wrong, rather than the app failing to start.
        self.REMINDER_DUE_SOON_DAYS = os.environ.get("REMINDER_DUE_SOON_DAYS", DUE_SOON_DAYS)
        self.REMINDER_DIGEST_WEEKDAY = os.environ.get("REMINDER_DIGEST_WEEKDAY", "Monday")
        # Where people reach the service, for links in mail sent by commands (which have no request).
        self.BASE_URL = os.environ.get("LND_BASE_URL", "")
        self.SEED_DIR = os.environ.get("LND_SEED_DIR") or str(ROOT / "seed")
        self.TESTING = False
        for key, value in overrides.items():
            setattr(self, key, value)

    def as_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k.isupper()}
