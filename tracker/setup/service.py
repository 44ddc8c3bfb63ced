"""First run: on an empty database a one-time token lets one person create the first admin."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.accounts.auth import find_user, hash_password
from tracker.accounts.tokens import MIN_PASSWORD, token_hash
from tracker.admin.role_grants import grant_first
from tracker.admin.service import AdminError, audit, set_setting, snapshot
from tracker.domain.messages import Message
from tracker.models import Role, Setting, User, UserRole

SETUP_KEY = "setup_token"
SETUP_LIFETIME = timedelta(hours=24)


def has_users(session: orm.Session) -> bool:
    """Return True once any account exists (setup is then over for good)."""
    return session.scalar(sa.select(User.id).limit(1)) is not None


def new_setup_token(session: orm.Session, now: datetime) -> str:
    """Create (or replace) the one-time setup token and return it; only its hash is kept."""
    if has_users(session):
        raise AdminError("Meldpunt is al ingericht: er bestaan al accounts.")
    token = secrets.token_urlsafe(18)
    value = {"hash": token_hash(token), "expires": (now + SETUP_LIFETIME).isoformat()}
    row = session.get(Setting, SETUP_KEY)
    if row is None:
        session.add(Setting(key=SETUP_KEY, value=value))
    else:
        row.value = value
    session.flush()
    return token


def setup_token_valid(session: orm.Session, now: datetime) -> bool:
    """Return True when an unexpired setup token exists."""
    row = session.get(Setting, SETUP_KEY)
    if row is None or not row.value:
        return False
    return datetime.fromisoformat(row.value["expires"]) > now


def create_first_admin(session: orm.Session, now: datetime, *, token: str, school_name: str,
                       name: str, email: str, password: str, directie: bool) -> User:
    """Create the first admin with the console token; refuse once anyone exists."""
    row = session.get(Setting, SETUP_KEY)
    if has_users(session):
        raise AdminError("Meldpunt is al ingericht. Log in met een bestaand account.")
    if row is None or not row.value or not setup_token_valid(session, now) \
            or not hmac.compare_digest(row.value["hash"], token_hash(token.strip())):
        raise AdminError("Deze installatiecode klopt niet of is verlopen. Kijk in de console "
                         "of maak een nieuwe met: .venv/bin/flask --app tracker setup-token")
    if len(password) < MIN_PASSWORD:
        raise AdminError(Message("Kies een wachtwoord van minstens %(n)d tekens.",
                                 n=MIN_PASSWORD))
    if find_user(session, email) is not None:  # pragma: no cover - no users exist here
        raise AdminError("Dit e-mailadres is al in gebruik.")
    roles = [Role.ADMIN] + ([Role.DIRECTIE] if directie else [])
    user = User(email=email.strip().lower(), name=name.strip(),
                password_hash=hash_password(password), workdays="12345", created_at=now,
                roles=[UserRole(role=r) for r in roles])
    session.add(user)
    session.delete(row)
    session.flush()
    audit(session, user, now, "setup.first_admin", f"user:{user.id}", None,
          {"name": user.name, "email": user.email, "roles": [r.value for r in roles]})
    if school_name.strip():
        set_setting(session, user, now, "school_name", school_name.strip())
    return user


def set_first_holders(session: orm.Session, admin: User, now: datetime,
                      holders: dict[str, tuple[str, str]]) -> list[User]:
    """Give the school's first vertrouwenspersoon, bestuur member and FG their roles directly.

    Only here, while setting up: later these roles take two people (tracker/domain/grants.py).
    The one who sets up is never a first holder. Return the new accounts, to be invited.
    """
    people: dict[str, User] = {}
    for role, (name, email) in holders.items():
        email = email.strip().lower()
        if email == admin.email:
            raise AdminError("Vul bij vertrouwenspersoon, bestuurslid en FG iemand anders in "
                             "dan uzelf: deze rollen vragen twee mensen.")
        user = people.get(email)
        if user is None:
            user = User(email=email, name=name.strip(), password_hash=None, workdays="12345",
                        created_at=now)
            session.add(user)
            session.flush()
            audit(session, admin, now, "staff.create", f"user:{user.id}", None, snapshot(user))
            people[email] = user
        grant_first(session, admin, now, user, role)
    return list(people.values())
