"""Working on a case: (re)assigning, actions with owners, links and the meldcode steps."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.cases.service import (
    ActionRefused,
    ack_deadline,
    add_participant,
    apply_state,
    ensure_can_receive,
    next_state,
    record_step,
    required_text,
    user_by_id,
)
from tracker.core.access import sealed_clause, visible_clause
from tracker.core.timeline import add_event
from tracker.domain.events import EventKind
from tracker.domain.messages import Message
from tracker.domain.roles import CASE_ROLES
from tracker.domain.states import MELDCODE_STEPS
from tracker.domain.states import CaseAction as Act
from tracker.escalation import notify
from tracker.models import (
    Case,
    CaseAction,
    CaseLink,
    CaseStatus,
    MeldcodeStep,
    ParticipantKind,
    User,
    role_members,
)


def _role_people(session: orm.Session, case: Case, role: str) -> list[User]:
    if role == "leerkracht":
        return [t for t in (case.group.teachers if case.group else []) if t.active]
    return role_members(session, role)


def assign(session: orm.Session, case: Case, actor: User, now: datetime, version: int, *,
           reason: str, user_id: int | None = None, role: str | None = None,
           keep_informed: bool = True) -> None:
    """Hand the case to a person or to everyone holding a role, with a reason."""
    reason = required_text(reason)
    state = next_state(case, Act.ASSIGN, version)
    if user_id:
        targets = [user_by_id(session, user_id)]
        ensure_can_receive(case, targets[0])
    elif role in CASE_ROLES:
        from tracker.domain.permissions import role_may_hold

        if not role_may_hold(role, case.confidential):
            raise ActionRefused("Een vertrouwelijke melding kan alleen naar een "
                                "vertrouwenspersoon.")
        everyone = _role_people(session, case, role)
        targets = [u for u in everyone if u.id != case.about_user_id]
        if case.confidential:
            targets = [u for u in targets if u.has_role("vertrouwenspersoon")]
        if not targets:
            raise ActionRefused("Er is niemand met deze rol die deze melding kan krijgen.")
        case.primary_role = role
    else:
        raise ActionRefused("Kies een persoon of een rol.")
    target_ids = {u.id for u in targets}
    previous = [p for p in case.participants
                if p.kind is ParticipantKind.ASSIGNEE and p.user_id not in target_ids]
    for p in previous:
        if keep_informed:
            p.kind = ParticipantKind.INFORMED
        else:
            case.participants.remove(p)
    for user in targets:
        add_participant(session, case, user, ParticipantKind.ASSIGNEE, now)
    if case.status in (CaseStatus.NEW, CaseStatus.REOPENED):
        # The new person gets time to take it on; never less than what was left.
        new_due = ack_deadline(session, now)
        case.ack_due = max(case.ack_due, new_due) if case.ack_due else new_due
    apply_state(case, state, now)
    event = add_event(session, case, EventKind.ASSIGNED, now, actor=actor, body=reason,
                      to=[u.name for u in targets], role=role,
                      previous=[p.user.name for p in previous if p.user])
    session.flush()
    notify.mail_staff(session, targets, case, template="case_created",
                      key=f"case-assigned:{case.id}:{event.id}", now=now,
                      deadline=notify.iso(case.ack_due), kind="assignee")


def add_action(session: orm.Session, case: Case, actor: User, now: datetime, version: int, *,
               title: str, owner_id: int, due: date) -> CaseAction:
    """Add a small task with an owner and a due date. Another owner is chosen explicitly:
    they get to see the case, the timeline says so, and they get a content-free mail."""
    title = required_text(title)
    state = next_state(case, Act.ADD_ACTION, version)
    owner = user_by_id(session, owner_id)
    ensure_can_receive(case, owner)
    added = all(p.user_id != owner.id for p in case.participants)
    add_participant(session, case, owner, ParticipantKind.INFORMED, now)
    action = CaseAction(case_id=case.id, title=title, owner_id=owner.id, due=due)
    session.add(action)
    apply_state(case, state, now)
    session.flush()
    add_event(session, case, EventKind.ACTION_ADDED, now, actor=actor, body=title,
              action_id=action.id, owner=owner.name, due=due.isoformat(), added=added)
    session.flush()
    if owner.id != actor.id:
        notify.mail_staff(session, [owner], case, template="action_assigned",
                          key=f"action-assigned:{action.id}", now=now)
    return action


def complete_action(session: orm.Session, case: Case, actor: User, now: datetime,
                    version: int, action_id: int) -> None:
    """Tick an action off."""
    action = session.get(CaseAction, action_id)
    if action is None or action.case_id != case.id:
        raise ActionRefused("Deze actie bestaat niet.")
    if action.done_at is not None:
        raise ActionRefused("Deze actie is al afgevinkt.")
    record_step(session, case, Act.COMPLETE_ACTION, actor, now, version, EventKind.ACTION_DONE,
          body=action.title, action_id=action.id)
    action.done_at, action.done_by_id = now, actor.id
    session.flush()


def link(session: orm.Session, case: Case, actor: User, now: datetime, version: int,
         other_id: int) -> None:
    """Link two cases (both ways), e.g. several reports about the same incident."""
    state = next_state(case, Act.LINK, version)
    other = session.scalar(sa.select(Case).where(
        Case.id == other_id, sa.or_(visible_clause(actor, few=True), sealed_clause(actor))))
    if other is None or other.id == case.id:
        raise ActionRefused(Message("Melding #%(n)d kun je niet koppelen: niet gevonden.",
                                    n=other_id))
    if other.confidential != case.confidential:
        raise ActionRefused("Een vertrouwelijke melding kan alleen aan een andere "
                            "vertrouwelijke melding worden gekoppeld.")
    if session.get(CaseLink, (case.id, other.id)) is not None:
        raise ActionRefused(Message("Melding #%(n)d is al gekoppeld.", n=other.id))
    session.add_all([CaseLink(case_id=case.id, other_case_id=other.id),
                     CaseLink(case_id=other.id, other_case_id=case.id)])
    apply_state(case, state, now)
    add_event(session, case, EventKind.LINKED, now, actor=actor, other=other.id)
    add_event(session, other, EventKind.LINKED, now, actor=actor, other=case.id)
    session.flush()


def record_meldcode_step(session: orm.Session, case: Case, actor: User, now: datetime,
                         version: int, step: int, finding: str) -> None:
    """Record what a meldcode step found or decided (home_concern cases)."""
    finding = required_text(finding)
    if case.category != "home_concern":
        raise ActionRefused("De meldcode hoort bij zorgen over de thuissituatie.")
    if step not in {s.number for s in MELDCODE_STEPS}:
        raise ActionRefused("Deze stap van de meldcode bestaat niet.")
    # Recording a step is work on the case, like an action: it starts an acknowledged case.
    state = next_state(case, Act.COMPLETE_ACTION, version)
    row = session.get(MeldcodeStep, (case.id, step))
    if row is None:
        row = MeldcodeStep(case_id=case.id, step=step, finding=finding, by_id=actor.id, at=now)
        session.add(row)
    else:
        row.finding, row.by_id, row.at = finding, actor.id, now
    apply_state(case, state, now)
    add_event(session, case, EventKind.MELDCODE_STEP, now, actor=actor, body=finding, step=step)
    session.flush()
