"""Logging in people whose role needs a second factor (admins, directie) in tests."""

from __future__ import annotations

import pyotp
import sqlalchemy as sa
from conftest import login, post_form

from tracker.models import User


def login_2fa(client, session, who: str, password: str | None = None):
    """Log in; when a second factor is asked, enrol or answer it with the stored secret."""
    email = who if "@" in who else f"{who}@demo.meldpunt.test"
    response = login(client, email, password) if password else login(client, email)
    target = response.location or ""
    if "/login/tweestaps" not in target:
        return response
    path = target.split("?")[0].removeprefix("http://meldpunt.test")
    page = client.get(path)
    session.expire_all()
    user = session.scalar(sa.select(User).where(User.email == email))
    code = pyotp.TOTP(user.totp_secret).now()
    response = post_form(client, path, {"code": code}, page=page)
    assert response.status_code in (200, 302, 303), response.status_code
    return response


__all__ = ["login_2fa", "post_form"]
