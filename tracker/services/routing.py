"""Adapter between the database and the routing rules (hard-wired first rule for now)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import orm

from tracker.models import Group, role_members


@dataclass(frozen=True)
class Decision:
    primary_role: str
    assignee_ids: tuple[int, ...]
    assignees: tuple[str, ...]
    reason: str
    informed_ids: tuple[int, ...] = ()
    informed: tuple[str, ...] = ()
    confidential: bool = False
    urgent: bool = False
    ack_due: datetime | None = None
    resolve_due: datetime | None = None
    legal_due: datetime | None = None
    escalation_chain: tuple[str, ...] = field(default_factory=tuple)
    rule_id: int | None = None
    route: str = "rule"


def decide(session: orm.Session, data, group: Group | None, now: datetime) -> Decision:
    """Route to the group's teachers, else the IB'er."""
    teachers = [t for t in (group.teachers if group else []) if t.active]
    if teachers:
        reason = f"Doorgestuurd naar de leerkracht van {group.name}."
        people, role = teachers, "leerkracht"
    else:
        people, role = role_members(session, "ib"), "ib"
        reason = "Doorgestuurd naar de IB'er omdat de groep niet bekend is."
    return Decision(primary_role=role, assignee_ids=tuple(p.id for p in people),
                    assignees=tuple(p.email for p in people), reason=reason,
                    ack_due=now + timedelta(days=1), escalation_chain=("ib", "directie"))
