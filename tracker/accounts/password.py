"""Password reset and invitation links: one-time, expiring, the same answer for every address."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from tracker.accounts import login as auth
from tracker.accounts import twofactor
from tracker.accounts.auth import find_user
from tracker.accounts.tokens import TokenError, find_valid, send_link, use
from tracker.admin.forms import ForgotForm, NewPasswordForm
from tracker.core.db import get_session, utcnow
from tracker.core.extensions import limiter
from tracker.core.messages import translate_message
from tracker.core.ratelimit import reset_key
from tracker.core.web import no_store

bp = Blueprint("password", __name__)


@bp.get("/wachtwoord/vergeten")
def forgot():
    return no_store(render_template("password/forgot.html", form=ForgotForm()))


@bp.post("/wachtwoord/vergeten")
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT"])
@limiter.limit(lambda: current_app.config["PASSWORD_RESET_LIMIT"], key_func=reset_key)
def forgot_post():
    form = ForgotForm()
    if not form.validate_on_submit():
        return no_store(render_template("password/forgot.html", form=form)), 422
    db = get_session()
    user = find_user(db, form.email.data)
    if user is not None and user.active:
        send_link(db, user, "reset", utcnow())
        db.commit()
    # The same words whether or not the address exists: no way to probe for accounts.
    flash(_("Als dit adres bij ons bekend is, staat er binnen een paar minuten een mail met "
            "een link klaar. De link werkt één uur."), "info")
    return redirect(url_for("auth.login"), code=303)


def _page(token: str, purpose: str):
    try:
        find_valid(get_session(), token, purpose, utcnow())
    except TokenError as expired:
        return no_store(render_template("password/expired.html",
                                        message=translate_message(expired))), 410
    return no_store(render_template("password/new.html", form=NewPasswordForm(),
                                    purpose=purpose))


def _submit(token: str, purpose: str):
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return no_store(render_template("password/new.html", form=form, purpose=purpose)), 422
    db = get_session()
    try:
        user = use(db, token, purpose, form.password.data, utcnow())
        db.commit()
    except TokenError as expired:
        db.rollback()
        return no_store(render_template("password/expired.html",
                                        message=translate_message(expired))), 410
    # This browser opened a link from the person's mailbox: only here may a second factor be
    # set up (issue 11.5). A role that needs one continues to it at once.
    auth.prove_mailbox(user)
    if twofactor.required_for(user) and not twofactor.is_enrolled(user):
        flash(_("Je wachtwoord is ingesteld. Stel nu je tweestapsverificatie in."), "success")
        return auth.start_second_factor(user, None, 303)
    flash(_("Je wachtwoord is ingesteld. Log nu in."), "success")
    return redirect(url_for("auth.login"), code=303)


@bp.get("/wachtwoord/nieuw/<token>")
def reset(token: str):
    return _page(token, "reset")


@bp.post("/wachtwoord/nieuw/<token>")
def reset_post(token: str):
    return _submit(token, "reset")


@bp.get("/welkom/<token>")
def invite(token: str):
    return _page(token, "invite")


@bp.post("/welkom/<token>")
def invite_post(token: str):
    return _submit(token, "invite")
