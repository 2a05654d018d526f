"""Writing the audit log. Callers flush/commit as part of their own transaction."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import has_request_context, request

from lnd.core import clock
from lnd.core.models import AuditEvent
from lnd.extensions import db


def _plain(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def record(action: str, entity_type: str, entity_id: Any = None, *, actor=None,
           summary: str = "", before: dict | None = None, after: dict | None = None) -> AuditEvent:
    event = AuditEvent(
        at=clock.now(),
        actor_id=getattr(actor, "id", actor),
        action=action,
        entity_type=entity_type,
        entity_id=None if entity_id is None else str(entity_id),
        summary=summary,
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        remote_addr=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event


def changes(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the fields that differ, for a compact before/after."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
