"""School administration: staff, groups, settings and the admin audit log.

Services take (session, actor, now, data), flush, never commit. Every change writes one
AdminAudit row with before and after.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.accounts.auth import end_sessions, find_user
from tracker.cases.hand_over import HandOver, hand_over, hand_over_lost, open_cases_of
from tracker.core import school
from tracker.domain.grants import needs_confirmation
from tracker.domain.messages import Message
from tracker.models import (
    AdminAudit,
    Group,
    Role,
    Setting,
    User,
    UserRole,
)

# Roles that must always have at least one active holder (docs/DESIGN.md §1, issue 7).
GUARDED_ROLES = (Role.ADMIN.value, Role.VERTROUWENSPERSOON.value)
ROLE_KEYS = tuple(r.value for r in Role)
WORKDAY_DIGITS = "1234567"


class AdminError(ValueError):
    """A refused admin change; the message is Dutch and shown to the admin."""


# --- audit ----------------------------------------------------------------------------------

def audit(session: orm.Session, actor: User | None, now: datetime, action: str, target: str,
          before: dict[str, Any] | None, after: dict[str, Any] | None) -> AdminAudit | None:
    """Record one admin change; a change that changes nothing is not recorded."""
    if before is not None and before == after:
        return None
    row = AdminAudit(at=now, actor_id=actor.id if actor else None, action=action,
                     target=target[:120], before=before, after=after)
    session.add(row)
    return row


# --- settings -------------------------------------------------------------------------------

def get_setting(session: orm.Session, key: str, default: Any = None) -> Any:
    """Return a school setting's value, or default when it was never set."""
    if not school.changed_here(session):
        return school.current(session).setting(key, default)
    row = session.get(Setting, key)
    return default if row is None or row.value is None else row.value


def set_setting(session: orm.Session, actor: User | None, now: datetime, key: str,
                value: Any) -> None:
    """Store a school setting, recording the change."""
    row = session.get(Setting, key)
    before = None if row is None else row.value
    if row is None:
        row = Setting(key=key, value=value)
        session.add(row)
    else:
        row.value = value
    if before != value:
        audit(session, actor, now, "setting.update", f"setting:{key}",
              {"value": _auditable(key, before)}, {"value": _auditable(key, value)})
        school.changed(session)  # pages show the new value at once (tracker/core/school.py)
    session.flush()


def _auditable(key: str, value: Any) -> Any:
    # A logo is a data blob: the log keeps its kind and size, not the bytes.
    if key == "logo" and isinstance(value, dict):
        return {"mime": value.get("mime"), "size": len(value.get("data", ""))}
    return value


# --- staff ----------------------------------------------------------------------------------

def snapshot(user: User) -> dict[str, Any]:
    """Return the audited view of a staff member."""
    return {"name": user.name, "email": user.email, "roles": sorted(user.role_keys),
            "workdays": user.workdays, "active": user.active}


def normalize_workdays(days: Iterable[str | int]) -> str:
    """Return ISO weekday digits, sorted and unique; refuse anything else."""
    digits = {str(d) for d in days}
    if not digits or not digits <= set(WORKDAY_DIGITS):
        raise AdminError("Kies minstens één werkdag.")
    return "".join(sorted(digits))


def held_guarded_roles(session: orm.Session) -> set[str]:
    """Return the guarded roles that have an active holder now (before a change)."""
    return {role for role in GUARDED_ROLES if _active_holders(session, role)}


def _active_holders(session: orm.Session, role: str) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(User).join(UserRole)
                          .where(UserRole.role == role, User.active.is_(True)))


def check_guarded_roles(session: orm.Session, roles: Iterable[str] = GUARDED_ROLES) -> None:
    """Refuse a state without an active admin or vertrouwenspersoon (call after changes).

    Pass the guarded roles the change could have emptied: a school whose vertrouwenspersoon
    is still a proposal (tracker/admin/role_grants.py) can go on editing its staff.
    """
    session.flush()
    for role in roles:
        if not _active_holders(session, role):
            label = "beheerder" if role == Role.ADMIN else "vertrouwenspersoon"
            raise AdminError(Message("Dit kan niet: dan is er geen enkele actieve %(role)s "
                                     "meer. Geef eerst iemand anders de rol %(role)s.",
                                     role=label))


def create_staff(session: orm.Session, actor: User | None, now: datetime, *, name: str,
                 email: str, roles: Iterable[str], workdays: str = "12345",
                 language: str = "nl") -> User:
    """Create a staff account without a password (an invitation sets it)."""
    email = email.strip().lower()
    if find_user(session, email) is not None:
        raise AdminError(Message("Er is al een account met het e-mailadres %(email)s.",
                                 email=email))
    role_list = _valid_roles(roles)
    user = User(email=email, name=name.strip(), password_hash=None, active=True,
                workdays=normalize_workdays(workdays), language=language, created_at=now,
                roles=[UserRole(role=Role(r)) for r in role_list if not needs_confirmation(r)])
    session.add(user)
    session.flush()
    audit(session, actor, now, "staff.create", f"user:{user.id}", None, snapshot(user))
    _two_person_roles(session, actor, now, user,
                      proposed=[r for r in role_list if needs_confirmation(r)])
    return user


def update_staff(session: orm.Session, actor: User | None, now: datetime, user: User, *,
                 name: str | None = None, roles: Iterable[str] | None = None,
                 workdays: str | None = None, check: bool = True) -> User:
    """Change a staff member's name, roles or working weekdays."""
    before = snapshot(user)
    if name is not None and name.strip():
        user.name = name.strip()
    if workdays is not None:
        user.workdays = normalize_workdays(workdays)
    proposed: list[str] = []
    removed: list[str] = []
    if roles is not None:
        wanted = set(_valid_roles(roles))
        for row in list(user.roles):
            if row.role.value not in wanted:
                user.roles.remove(row)  # removing a role is safe: at once, and told below
                removed.append(row.role.value)
        have = user.role_keys
        for role in sorted(wanted - have):
            if needs_confirmation(role):
                proposed.append(role)  # a second person confirms it (issue 11.3)
            else:
                user.roles.append(UserRole(role=Role(role)))
    if check:  # an import checks once, after all its lines
        check_guarded_roles(session, set(removed) & set(GUARDED_ROLES))
    if removed:
        hand_over_lost(session, actor, now, user)
    audit(session, actor, now, "staff.update", f"user:{user.id}", before, snapshot(user))
    _two_person_roles(session, actor, now, user, proposed=proposed,
                      taken=[role for role in removed if needs_confirmation(role)])
    return user


def _two_person_roles(session: orm.Session, actor: User | None, now: datetime, user: User, *,
                      proposed: Iterable[str], taken: Iterable[str] = ()) -> None:
    # Vertrouwenspersoon, bestuur and FG are never given by one person: a tick proposes them.
    # Taking one away is safe and happens at once, but their holders are told.
    proposed, taken = list(proposed), list(taken)
    if not proposed and not taken:
        return
    from tracker.admin import role_grants  # it audits through this module: a cycle

    for role in proposed:
        role_grants.propose(session, actor, now, user, role)
    for role in taken:
        role_grants.removed(session, user, role, now)


def _valid_roles(roles: Iterable[str]) -> list[str]:
    role_list = list(dict.fromkeys(str(r) for r in roles))
    unknown = [r for r in role_list if r not in ROLE_KEYS]
    if unknown:
        raise AdminError(Message("Onbekende rol: %(roles)s.", roles=", ".join(unknown)))
    if not role_list:
        raise AdminError("Kies minstens één rol.")
    return role_list


def deactivate_staff(session: orm.Session, actor: User | None, now: datetime, user: User,
                     successor: User | None) -> HandOver:
    """Deactivate a staff member, handing their open cases on: to the successor when they may
    receive a case, else as routing would (HAND_OVER_FALLBACK)."""
    cases = open_cases_of(session, user)
    ordinary = [c for c in cases if not c.confidential]
    if ordinary and (successor is None or not successor.active or successor.id == user.id):
        raise AdminError("Kies een actieve collega die de open meldingen overneemt.")
    result = HandOver()
    for case in cases:
        receivers = hand_over(session, actor, now, case, user, successor, "deactivated")
        if case.confidential:
            continue
        if not receivers:
            result.unassigned.append(case.id)
        elif receivers == [successor]:
            result.moved.append(case.id)
        else:
            result.rerouted.append((case.id, [u.name for u in receivers]))
    before = snapshot(user)
    user.active = False
    end_sessions(user)
    for group in session.scalars(sa.select(Group).where(Group.teachers.any(User.id == user.id))):
        group.teachers.remove(user)
    check_guarded_roles(session, user.role_keys & set(GUARDED_ROLES))
    after = snapshot(user) | {"cases_to": successor.id if successor else None,
                              "cases_moved": [c.id for c in ordinary]}
    audit(session, actor, now, "staff.deactivate", f"user:{user.id}", before, after)
    return result


def reactivate_staff(session: orm.Session, actor: User | None, now: datetime,
                     user: User) -> None:
    """Let a deactivated staff member back in."""
    before = snapshot(user)
    user.active = True
    audit(session, actor, now, "staff.reactivate", f"user:{user.id}", before, snapshot(user))
    session.flush()


# --- groups ---------------------------------------------------------------------------------

def group_snapshot(group: Group) -> dict[str, Any]:
    """Return the audited view of a group."""
    return {"number": group.number, "name": group.name, "active": group.active,
            "teachers": sorted(t.id for t in group.teachers)}


def save_group(session: orm.Session, actor: User | None, now: datetime, group: Group | None,
               *, number: int, name: str, teacher_ids: Iterable[int],
               active: bool = True) -> Group:
    """Create or change a group and its teachers (a duo is two teachers)."""
    clash = session.scalar(sa.select(Group).where(Group.number == number))
    if clash is not None and clash is not group:
        raise AdminError(Message("Er is al een groep met nummer %(n)d (%(name)s).", n=number,
                                 name=clash.name))
    if not 1 <= number <= 999:
        raise AdminError("Een groepsnummer ligt tussen 1 en 999 (bijvoorbeeld 78 voor groep 7/8).")
    teachers = [session.get(User, i) for i in dict.fromkeys(teacher_ids)]
    if any(t is None or not t.active for t in teachers):
        raise AdminError("Kies alleen actieve medewerkers als leerkracht.")
    before = group_snapshot(group) if group else None
    if group is None:
        group = Group(number=number, name=name.strip() or f"Groep {number}")
        session.add(group)
    group.number, group.name, group.active = number, name.strip() or f"Groep {number}", active
    group.teachers = sorted(teachers, key=lambda t: t.name)
    for teacher in teachers:
        if Role.LEERKRACHT.value not in teacher.role_keys:
            teacher.roles.append(UserRole(role=Role.LEERKRACHT))
    session.flush()
    audit(session, actor, now, "group.create" if before is None else "group.update",
          f"group:{group.number}", before, group_snapshot(group))
    return group
