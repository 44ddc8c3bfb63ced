"""Queueing mail in the outbox, in the same transaction as the change that causes it.

Mails carry no report content (docs/DESIGN.md §7): ids, category keys, deadlines and links only.
Quiet hours: mail to parents, and staff mail about non-urgent cases, waits from the start of
the school's quiet hours (setting `quiet_hours`, default 17:00) until their end (default 07:30)
on the next school day; staff mail about urgent cases goes at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.core.calendar import load_calendar
from tracker.core.settings import quiet_hours
from tracker.core.urls import external_url
from tracker.domain.calendar import quiet_release_time
from tracker.domain.permissions import receive_refusal
from tracker.models import Case, CaseParticipant, OutboxMail, ParticipantKind, User


def release_time(session: orm.Session, now: datetime, *, recipient_kind: str,
                 urgent: bool) -> datetime:
    """Return when a mail queued at `now` may go out (quiet hours)."""
    if urgent and recipient_kind == "staff":
        return now
    start, end = quiet_hours(session)
    return quiet_release_time(load_calendar(session), now, start, end)


def enqueue_mail(session: orm.Session, *, key: str, to: str, recipient_kind: str,
                 template: str, now: datetime, context: dict[str, Any] | None = None,
                 case: Case | None = None, urgent: bool = False,
                 language: str = "nl") -> OutboxMail | None:
    """Queue one mail under a stable key; a key already queued is not queued again.

    `context` must hold no report content (docs/DESIGN.md §7): ids, category keys, deadlines, links.
    A secret the reporter needs (the receipt "code") is removed once the mail is sent.
    """
    if session.scalar(sa.select(OutboxMail.id).where(OutboxMail.key == key)) is not None:
        return None
    mail = OutboxMail(key=key, to=to, recipient_kind=recipient_kind, template=template,
                      context=context or {}, language=language, urgent=urgent,
                      case_id=case.id if case else None, created_at=now,
                      next_attempt_at=release_time(session, now, recipient_kind=recipient_kind,
                                                   urgent=urgent))
    session.add(mail)
    return mail


def case_link(case_id: int) -> str:
    return external_url("cases.detail", case_id=case_id)


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def case_context(case: Case, **extra: Any) -> dict[str, Any]:
    """Return the content-free facts a staff mail about a case may show."""
    return {"case_id": case.id, "category": None if case.confidential else case.category,
            "confidential": case.confidential, "link": case_link(case.id), **extra}


def mail_staff(session: orm.Session, users: Iterable[User], case: Case, *, template: str,
               key: str, now: datetime, urgent: bool | None = None,
               **extra: Any) -> list[OutboxMail]:
    """Queue one content-free mail about a case to each user who may receive the case: never
    to its subject, never to an inactive account, never a sealed case to anyone but a
    vertrouwenspersoon (the same rule as assigning, tracker/domain/permissions.py)."""
    queued = []
    for user in users:
        if not user.email or receive_refusal(user.id, user.role_keys, case.about_user_id,
                                             case.confidential, user.active):
            continue
        mail = enqueue_mail(session, key=f"{key}:{user.id}", to=user.email,
                            recipient_kind="staff", template=template, now=now,
                            context=case_context(case, **extra), case=case,
                            urgent=case.urgent if urgent is None else urgent,
                            language=user.language or "nl")
        if mail is not None:
            queued.append(mail)
    return queued


def participants_by_kind(session: orm.Session, case: Case, kinds: Iterable[ParticipantKind]
                         ) -> dict[ParticipantKind, list[User]]:
    """Return the people a case reaches, per participant kind (two queries: the people, then
    all their roles at once, which mail_staff's refusal check reads)."""
    kinds = list(kinds)
    found: dict[ParticipantKind, list[User]] = {kind: [] for kind in kinds}
    for user, kind in session.execute(
            sa.select(User, CaseParticipant.kind)
            .join(CaseParticipant, CaseParticipant.user_id == User.id)
            .where(CaseParticipant.case_id == case.id, CaseParticipant.kind.in_(kinds))
            .options(orm.selectinload(User.roles)).order_by(User.id)):
        found[kind].append(user)
    return found


def participants(session: orm.Session, case: Case,
                 kinds: Iterable[ParticipantKind] = tuple(ParticipantKind)) -> list[User]:
    """Return the people a case reaches with the given participant kinds."""
    by_kind = participants_by_kind(session, case, kinds)
    return sorted((u for users in by_kind.values() for u in users), key=lambda u: u.id)


def case_created(session: orm.Session, case: Case, now: datetime) -> list[OutboxMail]:
    """Tell assignees and informed people that a case reached them (content-free)."""
    session.flush()
    queued = []
    kinds = (ParticipantKind.ASSIGNEE, ParticipantKind.INFORMED)
    for kind, users in participants_by_kind(session, case, kinds).items():
        queued += mail_staff(session, users, case, template="case_created",
                             key=f"case-created:{case.id}", now=now,
                             deadline=iso(case.ack_due), kind=kind.value)
    return queued
