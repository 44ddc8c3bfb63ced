"""Logging in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from tracker.auth import LoginUser, verify_password
from tracker.db import get_session
from tracker.forms import ButtonForm, LoginForm
from tracker.models import User

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    # Only local paths: never redirect a login to another site.
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc:
        return target
    return url_for("cases.queue")


@bp.get("/login")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("cases.queue"))
    return render_template("auth/login.html", form=LoginForm())


@bp.post("/login")
def login_post():
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = get_session().scalar(sa.select(User).where(sa.func.lower(User.email) == email))
        if verify_password(user.password_hash if user else None, form.password.data) \
                and user.active:
            login_user(LoginUser(user))
            return redirect(_safe_next(request.args.get("next")))
        flash(_("Deze combinatie van e-mailadres en wachtwoord kennen we niet."), "error")
    return render_template("auth/login.html", form=form), 200


@bp.post("/logout")
def logout():
    if ButtonForm().validate_on_submit():
        logout_user()
        flash(_("Je bent uitgelogd."), "info")
    return redirect(url_for("auth.login"))
