"""Appending to a case's timeline."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import orm

from tracker.domain.events import EventKind
from tracker.models import Case, CaseEvent, User


def add_event(session: orm.Session, case: Case, kind: EventKind, at: datetime, *,
              actor: User | None = None, actor_label: str | None = None,
              body: str | None = None, **data: Any) -> CaseEvent:
    """Append one event to the case's timeline (an unknown kind raises ValueError)."""
    event = CaseEvent(case_id=case.id, kind=EventKind(kind).value, at=at,
                      actor_id=actor.id if actor else None, actor_label=actor_label, body=body,
                      data=data)
    session.add(event)
    return event
