"""Acting on a case."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import orm

from tracker.models import AccessLog, Case, CaseStatus, User
from tracker.services.timeline import add_event


class ActionRefused(Exception):
    """The case's state does not allow this action; the message is for the user."""


def acknowledge(session: orm.Session, case: Case, actor: User, now: datetime) -> None:
    """Take the case on: stops the acknowledgement clock."""
    if case.status not in (CaseStatus.NEW, CaseStatus.REOPENED):
        raise ActionRefused("Deze melding is al opgepakt.")
    case.status = CaseStatus.ACKNOWLEDGED
    case.acknowledged_at = now
    case.acknowledged_by_id = actor.id
    add_event(session, case, "acknowledged", now, actor=actor)
    session.flush()


def record_view(session: orm.Session, case: Case, viewer: User, now: datetime) -> None:
    """Log that a person opened a case (DESIGN §8: every read is logged)."""
    session.add(AccessLog(case_id=case.id, user_id=viewer.id, at=now))
