"""A reporter's message is a signal (issue 12.1): the case is marked in its handlers' queue
until someone opens it, they get a content-free mail, and a child's "Het gebeurt nog steeds"
opens a settled case again and tells the anti-pestcoördinator."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import orm

from tracker.cases.service import add_participant, reopen_for_reporter
from tracker.core.timeline import add_event
from tracker.domain.permissions import may_receive
from tracker.domain.reporter_news import on_reporter_message
from tracker.domain.roles import Role
from tracker.escalation import notify
from tracker.models import Case, CaseEvent, ParticipantKind, User, role_members

HANDLER_KINDS = (ParticipantKind.ASSIGNEE, ParticipantKind.ESCALATED)


def handlers(session: orm.Session, case: Case) -> list[User]:
    """Return who works on the case: its assignees and those reached by escalation, else
    everyone it reaches."""
    return notify.participants(session, case, HANDLER_KINDS) or notify.participants(session, case)


def reporter_wrote(session: orm.Session, case: Case, event: CaseEvent, now: datetime, *,
                   still_happening: bool = False) -> None:
    """Act on a message the reporter just wrote (`event`)."""
    signal = on_reporter_message(case.status.value, case.category,
                                 still_happening=still_happening,
                                 news_pending=case.reporter_news_at is not None,
                                 confidential=case.confidential)
    if case.reporter_news_at is None:
        case.reporter_news_at = now  # the oldest unread message decides the order
    if signal.reopen:
        reopen_for_reporter(session, case, now, actor_label=event.actor_label or "reporter")
    informed = _inform_anti_pest(session, case, now) if signal.inform_anti_pest else []
    session.flush()
    mailed: set[int] = set()
    if signal.mail_handlers:
        people = handlers(session, case)
        notify.mail_staff(session, people, case, template="reporter_news",
                          key=f"reporter-news:{event.id}", now=now, reopened=signal.reopen,
                          kind="handler")
        mailed = {u.id for u in people}
    notify.mail_staff(session, [u for u in informed if u.id not in mailed], case,
                      template="reporter_news", key=f"reporter-news-anti-pest:{event.id}",
                      now=now, reopened=True, kind="anti_pest")


def _inform_anti_pest(session: orm.Session, case: Case, now: datetime) -> list[User]:
    """Let the anti-pestcoördinator(s) see the case and say so on the timeline."""
    people = [u for u in role_members(session, Role.ANTI_PEST)
              if may_receive(u.id, u.role_keys, case.about_user_id, case.confidential)]
    for user in people:
        add_participant(session, case, user, ParticipantKind.INFORMED, now)
    if people:
        add_event(session, case, "informed", now, actor_label="system",
                  role=Role.ANTI_PEST.value, to=[u.name for u in people])
    return people
