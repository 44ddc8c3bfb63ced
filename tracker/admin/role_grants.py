"""Sealed and legal roles take two people (issue 11.3): proposals, decisions, first holders.

An admin's tick on vertrouwenspersoon, bestuur or FG becomes a RoleGrant proposal; a current
holder of that role or a bestuur member confirms or declines it (tracker.domain.grants). Every
step is audited and mailed, content-free, to the people who hold the role or may decide.
Services take (session, actor, now, data), flush, never commit.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.admin.service import AdminError, audit
from tracker.core.urls import external_url
from tracker.domain.grants import (
    Proposal,
    may_propose,
    needs_confirmation,
    refusal,
    someone_may_confirm,
)
from tracker.domain.roles import Role
from tracker.escalation.notify import enqueue_mail
from tracker.models import RoleGrant, User, UserRole, role_members

OPEN, CONFIRMED, DECLINED = "open", "confirmed", "declined"
PAGE = "/admin/medewerkers/voorstellen"


def proposal_of(grant: RoleGrant) -> Proposal:
    """Return the domain view of a grant."""
    return Proposal(role=grant.role, person_id=grant.user_id, proposer_id=grant.proposed_by_id)


def open_grants(session: orm.Session, user: User | None = None) -> list[RoleGrant]:
    """Return the open proposals, oldest first (of one person when given)."""
    stmt = sa.select(RoleGrant).where(RoleGrant.status == OPEN).order_by(RoleGrant.id)
    if user is not None:
        stmt = stmt.where(RoleGrant.user_id == user.id)
    return list(session.scalars(stmt))


def propose(session: orm.Session, actor: User | None, now: datetime, user: User,
            role: str) -> RoleGrant:
    """Propose a sealed or legal role for a person; an open proposal is not made twice."""
    if not needs_confirmation(role):
        raise ValueError(f"{role} is granted directly")
    if actor is not None and not may_propose(actor.role_keys):
        raise AdminError("Alleen een beheerder stelt deze rol voor.")
    for grant in open_grants(session, user):
        if grant.role == role:
            return grant
    grant = RoleGrant(user_id=user.id, role=role, status=OPEN,
                      proposed_by_id=actor.id if actor else None, proposed_at=now)
    session.add(grant)
    session.flush()
    audit(session, actor, now, "role.propose", f"user:{user.id}", None,
          {"role": role, "grant": grant.id})
    _tell(session, role, "proposed", now, f"role-grant:{grant.id}:proposed")
    return grant


def decide(session: orm.Session, actor: User, now: datetime, grant: RoleGrant, *,
           confirm: bool) -> RoleGrant:
    """Confirm (the role is given: the person's sessions end) or decline a proposal."""
    if grant.status != OPEN:
        raise AdminError("Over dit voorstel is al beslist.")
    why = refusal(actor.id, actor.role_keys, proposal_of(grant))
    if why:
        raise AdminError(why)
    return _decide(session, actor, now, grant, confirm=confirm)


def confirm_from_console(session: orm.Session, now: datetime, grant: RoleGrant) -> RoleGrant:
    """Confirm a proposal from the server's console, only when nobody in the school may.

    A new school without a holder of the role and without a bestuur member has no second
    person in the app; whoever runs the server is then that person (audited as the system).
    """
    if grant.status != OPEN:
        raise AdminError("Over dit voorstel is al beslist.")
    people = [(u.id, u.role_keys) for u in session.scalars(
        sa.select(User).where(User.active.is_(True)))]
    if someone_may_confirm(proposal_of(grant), people):
        raise AdminError("Er is iemand in de school die dit voorstel kan bevestigen: een "
                         "huidige houder van de rol of een bestuurslid. Die beslist.")
    return _decide(session, None, now, grant, confirm=True)


def _decide(session: orm.Session, actor: User | None, now: datetime, grant: RoleGrant, *,
            confirm: bool) -> RoleGrant:
    person = grant.user
    # The grant's status is part of both sides: a decline changes no role, and audit() drops
    # a change whose two sides are equal.
    before = {"roles": sorted(person.role_keys), "status": grant.status}
    if confirm and grant.role not in person.role_keys:
        # Appending a role ends the person's sessions (tracker/accounts/auth.py): they log in again,
        # with a second factor.
        person.roles.append(UserRole(role=Role(grant.role)))
    grant.status = CONFIRMED if confirm else DECLINED
    grant.decided_by_id = actor.id if actor else None
    grant.decided_at = now
    session.flush()
    audit(session, actor, now, "role.confirm" if confirm else "role.decline", f"user:{person.id}",
          before | {"grant": grant.id},
          {"roles": sorted(person.role_keys), "grant": grant.id, "status": grant.status})
    _tell(session, grant.role, grant.status, now, f"role-grant:{grant.id}:{grant.status}")
    return grant


def grant_first(session: orm.Session, actor: User | None, now: datetime, user: User,
                role: str) -> None:
    """Give a first holder their role directly (the first-run page; audited)."""
    if role in user.role_keys:
        return
    user.roles.append(UserRole(role=Role(role)))
    session.flush()
    audit(session, actor, now, "role.first_holder", f"user:{user.id}", None, {"role": role})


def granted_from_console(session: orm.Session, user: User, now: datetime) -> None:
    """Audit and tell the sealed and legal roles `flask user create` gave (server access)."""
    for role in sorted(r for r in user.role_keys if needs_confirmation(r)):
        audit(session, None, now, "role.console", f"user:{user.id}", None, {"role": role})
        _tell(session, role, CONFIRMED, now, f"role-console:{user.id}:{role}:{now.isoformat()}")


def removed(session: orm.Session, user: User, role: str, now: datetime) -> None:
    """Tell the holders that a sealed or legal role was taken from someone (content-free)."""
    _tell(session, role, "removed", now, f"role-removed:{user.id}:{role}:{now.isoformat()}")


def _tell(session: orm.Session, role: str, event: str, now: datetime, key: str) -> None:
    # Holders of the role and the bestuur (who may decide on every grant). The mail names
    # neither person: it says what happened to which role and links to the proposals page.
    people = {u.id: u for u in role_members(session, role) + role_members(session, "bestuur")}
    for user in people.values():
        if user.email:
            enqueue_mail(session, key=f"{key}:{user.id}", to=user.email,
                         recipient_kind="staff", template="role_grant", now=now,
                         context={"role": role, "event": event,
                                  "link": external_url("admin_grants.index")},
                         urgent=True, language=user.language or "nl")
