"""One-time, expiring links for invitations and password resets; only hashes are stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.accounts.auth import end_sessions, hash_password
from tracker.core.urls import external_url
from tracker.domain.messages import Message
from tracker.escalation.notify import enqueue_mail
from tracker.models import User, UserToken

LIFETIME = {"invite": timedelta(days=7), "reset": timedelta(hours=1)}
TEMPLATE = {"invite": "invite", "reset": "password_reset"}
MIN_PASSWORD = 10


class TokenError(ValueError):
    """The link is unknown, used or expired (one message for all: no oracle)."""


def token_hash(token: str) -> str:
    """Return the stored form of a token (tokens are random, so a plain hash suffices)."""
    return hashlib.sha256(token.encode()).hexdigest()


def issue(session: orm.Session, user: User, purpose: str, now: datetime) -> str:
    """Create a one-time token for the user, ending earlier ones of the same purpose."""
    session.execute(
        sa.update(UserToken)
        .where(UserToken.user_id == user.id, UserToken.purpose == purpose,
               UserToken.used_at.is_(None))
        .values(used_at=now))
    token = secrets.token_urlsafe(32)
    session.add(UserToken(user_id=user.id, purpose=purpose, token_hash=token_hash(token),
                          expires_at=now + LIFETIME[purpose]))
    session.flush()
    return token


def send_link(session: orm.Session, user: User, purpose: str, now: datetime) -> str:
    """Issue a token and queue the mail that carries its link; return the link."""
    token = issue(session, user, purpose, now)
    link = external_url("password.invite" if purpose == "invite" else "password.reset",
                        token=token)
    enqueue_mail(session, key=f"{purpose}-{token_hash(token)[:32]}", to=user.email,
                 recipient_kind="staff", template=TEMPLATE[purpose], now=now,
                 context={"link": link, "hours": int(LIFETIME[purpose].total_seconds() // 3600)},
                 urgent=True, language=user.language or "nl")
    return link


def find_valid(session: orm.Session, token: str, purpose: str, now: datetime) -> UserToken:
    """Return the unused, unexpired token row, or raise TokenError."""
    row = session.scalar(sa.select(UserToken).where(UserToken.token_hash == token_hash(token),
                                                    UserToken.purpose == purpose))
    if row is None or row.used_at is not None or row.expires_at <= now:
        raise TokenError("Deze link werkt niet meer. Vraag een nieuwe aan.")
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        raise TokenError("Deze link werkt niet meer. Vraag een nieuwe aan.")
    return row


def use(session: orm.Session, token: str, purpose: str, password: str, now: datetime) -> User:
    """Set the password through a one-time link; the link then stops working."""
    row = find_valid(session, token, purpose, now)
    if len(password) < MIN_PASSWORD:
        raise TokenError(Message("Kies een wachtwoord van minstens %(n)d tekens.",
                                 n=MIN_PASSWORD))
    # Claim the row atomically: two tabs posting at once cannot both use it.
    claimed = session.execute(
        sa.update(UserToken).where(UserToken.id == row.id, UserToken.used_at.is_(None))
        .values(used_at=now)).rowcount
    if claimed != 1:
        raise TokenError("Deze link werkt niet meer. Vraag een nieuwe aan.")
    user = session.get(User, row.user_id)
    user.password_hash = hash_password(password)
    end_sessions(user)
    session.flush()
    return user
