"""The login's state in the browser session: password passed, second factor, mailbox proof.

The login pages (tracker/accounts/views.py), the invitation and reset links
(tracker/accounts/password.py) and the first run (tracker/setup/views.py) all start a
second factor through here.
"""

from __future__ import annotations

import time

from flask import redirect, session, url_for
from flask_login import login_user

from tracker.accounts import twofactor
from tracker.accounts.auth import LoginUser
from tracker.core.db import get_session
from tracker.core.security import start_idle_clock
from tracker.domain.redirects import safe_redirect_path
from tracker.models import User

PENDING = "_2fa_pending"  # "user_id:session_epoch" after the password, before the code
PENDING_SINCE = "_2fa_since"
PENDING_NEXT = "_2fa_next"
PENDING_SECONDS = 10 * 60
# "user_id:session_epoch" once this session passed the second factor; checked on every request.
VERIFIED = "_2fa_verified"
# "user_id:session_epoch" once this browser proved the person's mailbox (an invitation or
# reset link, or the console's setup code): only then may a second factor be set up.
MAILBOX_PROOF = "_2fa_mailbox"
MAILBOX_PROOF_SINCE = "_2fa_mailbox_since"
MAILBOX_PROOF_SECONDS = 60 * 60
def safe_next(target: str | None) -> str:
    # Only local paths: never redirect a login to another site.
    return safe_redirect_path(target) or url_for("cases.queue")


def pending_user() -> User | None:
    """Return who passed the password step in this browser, if recent and still valid."""
    ident, since = session.get(PENDING), session.get(PENDING_SINCE)
    if not isinstance(ident, str) or not isinstance(since, int) \
            or time.time() - since > PENDING_SECONDS:
        return None
    user_id, _sep, epoch = ident.partition(":")
    user = get_session().get(User, int(user_id)) if user_id.isdigit() else None
    if user is None or not user.active or str(user.session_epoch) != epoch:
        return None
    return user


def pending_key() -> str:
    return f"2fa:{session.get(PENDING, '-')}"


def complete_login(user: User, target: str | None, *, second_factor: bool = False):
    for key in (PENDING, PENDING_SINCE, PENDING_NEXT):
        session.pop(key, None)
    if second_factor:
        session[VERIFIED] = f"{user.id}:{user.session_epoch}"
    else:
        session.pop(VERIFIED, None)
    login_user(LoginUser(user))
    start_idle_clock()
    return redirect(safe_next(target))


def prove_mailbox(user: User) -> None:
    """Record that this browser opened a link mailed to the person (or ran the first setup)."""
    session[MAILBOX_PROOF] = f"{user.id}:{user.session_epoch}"
    session[MAILBOX_PROOF_SINCE] = int(time.time())


def mailbox_proved(user: User) -> bool:
    since = session.get(MAILBOX_PROOF_SINCE)
    return session.get(MAILBOX_PROOF) == f"{user.id}:{user.session_epoch}" \
        and isinstance(since, int) and time.time() - since <= MAILBOX_PROOF_SECONDS


def start_second_factor(user: User, target: str | None, code: int = 302):
    """Continue to the code (or to enrolment) for someone who passed the password step.

    A second factor is set up only after proof of the mailbox, never by password alone
    (issue 11.5): without it the person is told to use the link in their mail.
    """
    if not twofactor.is_enrolled(user) and not mailbox_proved(user):
        for key in (PENDING, PENDING_SINCE, PENDING_NEXT):
            session.pop(key, None)
        return redirect(url_for("auth.enrol_by_link"), code=303)
    session[PENDING] = f"{user.id}:{user.session_epoch}"
    session[PENDING_SINCE] = int(time.time())
    session[PENDING_NEXT] = target or ""
    endpoint = "auth.two_factor" if twofactor.is_enrolled(user) else "auth.enrol"
    return redirect(url_for(endpoint), code=code)
