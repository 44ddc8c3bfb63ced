"""The demo school "De Regenboog": fictional staff, groups and calendar. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.accounts import twofactor
from tracker.accounts.auth import find_user, hash_password
from tracker.core.calendar import seed_school_year
from tracker.core.db import utcnow
from tracker.models import Group, Role, User, UserRole

DEMO_PASSWORD = "meldpunt-demo"  # noqa: S105 - published demo password
# The demo's roles that need two-factor login are set up already, with this published key
# (type it into an authenticator app): a real account sets its own up through a mailed link.
DEMO_TOTP_SECRET = "MELDPUNTDEMOTWEESTAPSLOGIN234567"  # noqa: S105 - published demo key
DOMAIN = "demo.meldpunt.test"


@dataclass(frozen=True)
class DemoPerson:
    local: str
    name: str
    roles: tuple[Role, ...]
    workdays: str = "12345"
    groups: tuple[int, ...] = ()

    @property
    def email(self) -> str:
        return f"{self.local}@{DOMAIN}"


PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("directie", "Marieke de Vries", (Role.DIRECTIE, Role.ADMIN)),
    DemoPerson("ib", "Fatima El Amrani", (Role.IB,)),
    DemoPerson("antipest", "Jeroen Bakker", (Role.ANTI_PEST,)),
    DemoPerson("vp", "Els Janssen", (Role.VERTROUWENSPERSOON,)),
    DemoPerson("bestuur", "Hans Visser", (Role.BESTUUR,)),
    DemoPerson("bestuur2", "Ingrid Smit", (Role.BESTUUR,)),
    DemoPerson("fg", "Pieter Mulder", (Role.FG,)),
    DemoPerson("admin", "Sanne Koster", (Role.ADMIN,)),
    DemoPerson("leerkracht1", "Anouk Peters", (Role.LEERKRACHT,), groups=(1,)),
    DemoPerson("leerkracht2", "Bram Hendriks", (Role.LEERKRACHT,), groups=(2,)),
    DemoPerson("leerkracht3", "Chantal Dekker", (Role.LEERKRACHT,), groups=(3,)),
    DemoPerson("leerkracht4", "Daan van Dijk", (Role.LEERKRACHT,), groups=(4,)),
    DemoPerson("leerkracht5", "Esra Yilmaz", (Role.LEERKRACHT,), groups=(5,)),
    DemoPerson("leerkracht6", "Floor Willems", (Role.LEERKRACHT,), groups=(6,)),
    DemoPerson("leerkracht7a", "Gijs Bos", (Role.LEERKRACHT,), workdays="12", groups=(7,)),
    DemoPerson("leerkracht7b", "Hanna Vos", (Role.LEERKRACHT,), workdays="3", groups=(7,)),
    DemoPerson("leerkracht8", "Ivo Jacobs", (Role.LEERKRACHT,), groups=(8,)),
)


def load_demo(session: orm.Session) -> list[DemoPerson]:
    """Create or refresh the demo school; running it twice changes nothing."""
    groups = {}
    for number in range(1, 9):
        group = session.scalar(sa.select(Group).where(Group.number == number))
        if group is None:
            group = Group(number=number, name=f"Groep {number}")
            session.add(group)
        groups[number] = group
    password_hash = None
    for person in PEOPLE:
        user = find_user(session, person.email)
        if user is None:
            password_hash = password_hash or hash_password(DEMO_PASSWORD)
            user = User(email=person.email, name=person.name, password_hash=password_hash)
            session.add(user)
        user.workdays = person.workdays
        user.active = True
        have = {r.role for r in user.roles}
        for role in person.roles:
            if role not in have:
                user.roles.append(UserRole(role=role))
        if twofactor.required_for(user) and not twofactor.is_enrolled(user):
            user.totp_secret = DEMO_TOTP_SECRET
            user.totp_enabled_at = utcnow()
        for number in person.groups:
            if user not in groups[number].teachers:
                groups[number].teachers.append(user)
    session.flush()
    # School year 2026-2027, regio midden, with the national holidays (kerstvakantie 19 Dec-3 Jan).
    seed_school_year(session, "2026-2027", "midden")
    return list(PEOPLE)
