"""Handing a person's place on a case to others: when they leave, or lose a role the case needs.

One rule decides who may have a case (tracker.domain.permissions.receive_refusal); when the
colleague chosen may not, the case goes where routing would pass it (HAND_OVER_FALLBACK).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.core.timeline import add_event
from tracker.domain.events import EventKind
from tracker.domain.permissions import HAND_OVER_FALLBACK, may_receive, receive_refusal
from tracker.models import Case, CaseParticipant, CaseStatus, User, role_members


def open_cases_of(session: orm.Session, user: User) -> list[Case]:
    """Return the open cases this person takes part in."""
    stmt = (sa.select(Case).join(CaseParticipant)
            .where(CaseParticipant.user_id == user.id, Case.status != CaseStatus.CLOSED)
            .order_by(Case.id))
    return list(session.scalars(stmt).unique())


@dataclass
class HandOver:
    """Where a departing colleague's open ordinary cases went (sealed ones are not listed: the
    admin page is no place to learn that they exist)."""

    moved: list[int] = field(default_factory=list)  # to the successor
    rerouted: list[tuple[int, list[str]]] = field(default_factory=list)  # (case, who took it)
    unassigned: list[int] = field(default_factory=list)  # nobody may take it: assign it


def _may_have(case: Case, person: User) -> bool:
    return may_receive(person.id, person.role_keys, case.about_user_id, case.confidential,
                       person.active)


def _fallback(session: orm.Session, case: Case, leaving: User) -> list[User]:
    """Return who takes a case nobody chosen may have: the first fallback role with someone."""
    for role in HAND_OVER_FALLBACK[case.confidential]:
        holders = [u for u in role_members(session, role) if u.id != leaving.id]
        if not case.confidential and any(u.id == case.about_user_id for u in holders):
            continue  # the subject holds this role: the next one takes it, as routing does
        people = [u for u in holders if _may_have(case, u)]
        if people:
            return people
    return []


def hand_over(session: orm.Session, actor: User | None, now: datetime, case: Case,
               user: User, successor: User | None, why: str) -> list[User]:
    """Take a person off a case and put who may have it in their place; return them."""
    from tracker.escalation import notify  # notify -> school_settings -> admin

    old = session.get(CaseParticipant, (case.id, user.id))
    kind = old.kind
    session.delete(old)
    refused = (receive_refusal(successor.id, successor.role_keys, case.about_user_id,
                               case.confidential, successor.active)
               if successor is not None and successor.id != user.id else None)
    if successor is not None and successor.id != user.id and refused is None:
        receivers = [successor]
    else:
        receivers = _fallback(session, case, user)
    base = {"from_user": user.id, "from_name": user.name, "why": why}
    if successor is not None and receivers != [successor]:
        base |= {"instead_of": successor.name, "refused": refused}
    for person in receivers:
        existing = session.get(CaseParticipant, (case.id, person.id))
        if existing is None:
            session.add(CaseParticipant(case_id=case.id, user_id=person.id, kind=kind,
                                        added_at=now))
        elif kind.value == "assignee":
            existing.kind = kind
        add_event(session, case, EventKind.REASSIGNED, now, actor=actor, to_user=person.id,
                  to_name=person.name, **base)
    if not receivers:
        add_event(session, case, EventKind.REASSIGNED, now, actor=actor, to_user=None, to_name=None,
                  unassigned=True, **base)
    session.flush()
    notify.mail_staff(session, receivers, case, template="case_created",
                      key=f"case-handed-over:{case.id}:{user.id}", now=now,
                      deadline=notify.iso(case.ack_due), kind=kind.value)
    return receivers


def hand_over_lost(session: orm.Session, actor: User | None, now: datetime,
                   user: User) -> None:
    """Hand on the open cases a person may no longer have after a change of roles (a sealed
    case without the VP role): as when a colleague leaves, never left with them."""
    for case in open_cases_of(session, user):
        if not may_receive(user.id, user.role_keys, case.about_user_id, case.confidential):
            hand_over(session, actor, now, case, user, None, "roles")
