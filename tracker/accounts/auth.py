"""Password hashing and the Flask-Login glue."""

from __future__ import annotations

import sqlalchemy as sa
from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask
from flask_login import UserMixin
from sqlalchemy import orm

from tracker.core.db import get_session
from tracker.core.extensions import login_manager
from tracker.domain.addresses import lookup_key
from tracker.models import User, UserRole

_hasher = PasswordHasher()
# Verified when the e-mail is unknown, so a wrong address costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("meldpunt-dummy-password")


def use_cheap_hashing() -> None:
    """Switch to argon2's cheapest parameters: for test suites only, never in production."""
    global _hasher, _DUMMY_HASH
    _hasher = PasswordHasher.from_parameters(profiles.CHEAPEST)
    _DUMMY_HASH = _hasher.hash("meldpunt-dummy-password")


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password against its hash in constant-ish time."""
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


class LoginUser(UserMixin):
    """The logged-in person as Flask-Login sees it; wraps the model row."""

    def __init__(self, user: User) -> None:
        self.model = user
        self.id = user.id

    def get_id(self) -> str:
        return f"{self.model.id}:{self.model.session_epoch}"

    def __getattr__(self, name: str):
        return getattr(self.model, name)


def _load_user(identifier: str) -> LoginUser | None:
    user_id, _, epoch = identifier.partition(":")
    if not user_id.isdigit():
        return None
    # One query for the person and their roles: every staff page starts here.
    user = get_session().get(User, int(user_id), options=[orm.joinedload(User.roles)])
    if user is None or not user.active or str(user.session_epoch) != epoch:
        return None
    return LoginUser(user)


def end_sessions(user: User) -> None:
    """End every session of this person, on every device (the one place that does)."""
    # The epoch is part of every login id (LoginUser.get_id): bumping it ends all sessions.
    user.session_epoch = (user.session_epoch or 0) + 1


# Any change of a person's roles or active state ends their sessions, whoever makes it (admin
# page, import, group teachers, CLI): the next request must log in again with the new rights,
# and with a second factor when a new role needs one (issue 11.4).
@sa.event.listens_for(User.roles, "append")
@sa.event.listens_for(User.roles, "remove")
def _roles_changed(target: User, _value: UserRole, _initiator) -> None:
    end_sessions(target)


@sa.event.listens_for(User.active, "set")
def _active_changed(target: User, value: bool, oldvalue, _initiator) -> None:
    if value != oldvalue:
        end_sessions(target)


def _login_first():
    """Send someone who is not (or no longer) logged in to the login, then back. A form they
    sent meanwhile is kept and comes back filled in (tracker/core/resume.py)."""
    from flask import flash, redirect, request, url_for
    from flask_babel import gettext as _

    from tracker.core import resume

    back = request.full_path.rstrip("?")
    if request.method != "GET":
        back = resume.return_page(request.path)
        if resume.stash_form(back):
            flash(_("Je was uitgelogd. Log opnieuw in: wat je had getypt staat daarna weer "
                    "klaar om te versturen."), "info")
    return redirect(url_for("auth.login", next=back))


def init_app(app: Flask) -> None:
    login_manager.user_loader(_load_user)
    login_manager.unauthorized_handler(_login_first)


def find_user(session: orm.Session, email: str) -> User | None:
    """The one look-up of a person by e-mail address (any spelling of it: case, IDNA)."""
    return session.scalar(sa.select(User).where(sa.func.lower(User.email) == lookup_key(email)))
