"""Logging in (password, then a second factor where required) and out."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from tracker.accounts import twofactor
from tracker.accounts.auth import find_user, verify_password
from tracker.accounts.forms import LoginForm, TwoFactorForm
from tracker.accounts.login import (
    MAILBOX_PROOF,
    PENDING_NEXT,
    VERIFIED,
    complete_login,
    mailbox_proved,
    pending_key,
    pending_user,
    safe_next,
    start_second_factor,
)
from tracker.core.db import get_session, utcnow
from tracker.core.extensions import limiter
from tracker.core.forms import ButtonForm
from tracker.core.ratelimit import visitor
from tracker.core.web import no_store
from tracker.models import User

bp = Blueprint("auth", __name__)

# Pages a person may reach while their second factor is still asked for.
_OPEN_ENDPOINTS = frozenset({"static", "auth.login", "auth.login_post", "auth.logout",
                             "auth.two_factor", "auth.two_factor_post", "auth.enrol",
                             "auth.enrol_post", "auth.enrol_by_link"})


def _login_key() -> str:
    # Per account AND client address: guessing one password from one place is limited, but
    # nobody can lock a colleague out, who still logs in from their own address. Trying many
    # accounts from one address is stopped by the per-visitor limit below.
    email = (request.form.get("email") or "").strip().lower()[:254]
    return f"login:{email}:{visitor()}"


def _failed(response) -> bool:
    # Only failed attempts count: a colleague who logs in often is never locked out.
    return response.status_code != 302


def _wrong_code(response) -> bool:
    # A second factor that worked is no guess: only refused codes count towards the limit.
    return response.status_code >= 400



@bp.get("/login/tweestaps/via-mail")
def enrol_by_link():
    """Tell someone without a second factor to set it up through the link in their mail."""
    return no_store(render_template("auth/enrol_by_link.html"))


@bp.before_app_request
def _second_factor_on_every_request():
    """Two-factor is enforced on every request, not only at login (issue 11.4).

    A session that did not pass the second factor, for a person who now holds a role that
    needs one (granted during the session, or a second factor reset), reaches no page: the
    session ends and the person continues at the code or enrolment step.
    """
    if request.endpoint in _OPEN_ENDPOINTS or not current_user.is_authenticated:
        return None
    user = current_user.model
    if not twofactor.needs_second_factor(user) \
            or session.get(VERIFIED) == f"{user.id}:{user.session_epoch}":
        return None
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    logout_user()
    if twofactor.is_enrolled(user):
        flash(_("Voor je rol is een tweede stap nodig. Vul de code uit je app in."), "info")
    return start_second_factor(user, target)


@bp.get("/login")
def login():
    if current_user.is_authenticated:
        return redirect(url_for("cases.queue"))
    return no_store(render_template("auth/login.html", form=LoginForm()))


@bp.post("/login")
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_ADDRESS"], key_func=_login_key,
               deduct_when=_failed)
@limiter.limit(lambda: current_app.config["LOGIN_LIMIT_PER_VISITOR"], deduct_when=_failed)
def login_post():
    form = LoginForm()
    if form.validate_on_submit():
        user = find_user(get_session(), form.email.data)
        if verify_password(user.password_hash if user else None, form.password.data) \
                and user.active:
            if not twofactor.needs_second_factor(user):
                return complete_login(user, request.args.get("next"))
            return start_second_factor(user, request.args.get("next"))
        flash(_("Deze combinatie van e-mailadres en wachtwoord kennen we niet."), "error")
    return no_store(render_template("auth/login.html", form=form)), 200


def _restart():
    flash(_("Log opnieuw in: de vorige stap is verlopen."), "info")
    return redirect(url_for("auth.login"), code=303)


@bp.get("/login/tweestaps")
def two_factor():
    user = pending_user()
    if user is None or not twofactor.is_enrolled(user):
        return _restart()
    return no_store(render_template("auth/two_factor.html", form=TwoFactorForm()))


@bp.post("/login/tweestaps")
@limiter.limit(lambda: current_app.config["TWO_FACTOR_LIMIT"], key_func=pending_key,
               deduct_when=_wrong_code)
def two_factor_post():
    user = pending_user()
    if user is None or not twofactor.is_enrolled(user):
        return _restart()
    form = TwoFactorForm()
    db = get_session()
    if form.validate_on_submit():
        used = twofactor.verify(db, user, form.code.data, utcnow())
        if used:
            db.commit()
            if used == "recovery":
                flash(_("Je hebt een herstelcode gebruikt. Je hebt er nog %(n)d.",
                        n=len(user.recovery_codes or [])), "info")
            return complete_login(user, session.get(PENDING_NEXT), second_factor=True)
        form.code.errors = [_("Deze code klopt niet of is al gebruikt. Probeer de nieuwste "
                              "code uit je app, of een herstelcode.")]
    return no_store(render_template("auth/two_factor.html", form=form)), 422


def _enrol_page(user: User, form: TwoFactorForm, status: int = 200):
    db = get_session()
    secret = twofactor.pending_secret(db, user)
    db.commit()
    issuer = f"Meldpunt {current_app.config['TRACKER_SCHOOL_NAME']}"
    uri = twofactor.provisioning_uri(user, issuer)
    return no_store(render_template(
        "auth/enrol.html", form=form, secret=secret, qr=twofactor.qr_data_uri(uri),
        required=twofactor.required_for(user))), status


def _enrolling_user() -> User | None:
    # First login of a role that needs 2FA, or a logged-in person who opts in; either way
    # only in the browser that opened the link mailed to them.
    user = pending_user()
    if user is None and current_user.is_authenticated:
        user = current_user.model
    return None if user is None or twofactor.is_enrolled(user) else user


def _not_enrolling():
    user = pending_user()
    if user is None and current_user.is_authenticated:
        user = current_user.model
    if user is not None and not twofactor.is_enrolled(user):
        return redirect(url_for("auth.enrol_by_link"), code=303)  # no proof of the mailbox
    return _restart() if not current_user.is_authenticated \
        else redirect(url_for("cases.queue"))


@bp.get("/login/tweestaps/instellen")
def enrol():
    user = _enrolling_user()
    if user is None or not mailbox_proved(user):
        return _not_enrolling()
    return _enrol_page(user, TwoFactorForm())


@bp.post("/login/tweestaps/instellen")
@limiter.limit(lambda: current_app.config["TWO_FACTOR_LIMIT"], key_func=pending_key,
               deduct_when=_wrong_code)
def enrol_post():
    user = _enrolling_user()
    if user is None or not mailbox_proved(user):
        return _not_enrolling()
    form = TwoFactorForm()
    if not form.validate_on_submit():
        return _enrol_page(user, form, 422)
    db = get_session()
    codes = twofactor.confirm_enrolment(db, user, form.code.data, utcnow())
    if codes is None:
        form.code.errors = [_("Deze code klopt niet. Controleer de tijd op je telefoon en "
                              "vul de nieuwste code in.")]
        return _enrol_page(user, form, 422)
    db.commit()
    session.pop(MAILBOX_PROOF, None)
    target = safe_next(session.get(PENDING_NEXT))
    if not current_user.is_authenticated:
        complete_login(user, target, second_factor=True)
    else:  # an opt-in while logged in: this session has now proved the second factor
        session[VERIFIED] = f"{user.id}:{user.session_epoch}"
    # Shown once, never stored in plain text: the person must write them down now.
    return no_store(render_template("auth/recovery_codes.html", codes=codes, next=target))


@bp.post("/logout")
def logout():
    if ButtonForm().validate_on_submit():
        if current_user.is_authenticated:
            # Ends this person's sessions on every device: the epoch is part of the login id.
            db = get_session()
            user = db.get(User, current_user.model.id)
            user.session_epoch = (user.session_epoch or 0) + 1
            db.commit()
        logout_user()
        flash(_("Je bent uitgelogd, op al je apparaten."), "info")
    return redirect(url_for("auth.login"), code=303)
