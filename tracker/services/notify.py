"""Queueing mail in the outbox, in the same transaction as the change that causes it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.models import Case, OutboxMail


def enqueue_mail(session: orm.Session, *, key: str, to: str, recipient_kind: str,
                 template: str, now: datetime, context: dict[str, Any] | None = None,
                 case: Case | None = None, urgent: bool = False,
                 language: str = "nl") -> OutboxMail | None:
    """Queue one mail under a stable key; a key already queued is not queued again.

    `context` must hold no report content (DESIGN §7): ids, category keys, deadlines, links.
    """
    if session.scalar(sa.select(OutboxMail.id).where(OutboxMail.key == key)) is not None:
        return None
    mail = OutboxMail(key=key, to=to, recipient_kind=recipient_kind, template=template,
                      context=context or {}, language=language, urgent=urgent,
                      case_id=case.id if case else None, created_at=now, next_attempt_at=now)
    session.add(mail)
    return mail
