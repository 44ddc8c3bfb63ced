"""First run: while no account exists, every page leads to /setup (docs/DESIGN.md §1, issue 7)."""

from __future__ import annotations

import base64
import logging
import sys

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_user

from tracker.accounts.auth import LoginUser
from tracker.accounts.tokens import send_link
from tracker.admin.forms import SetupForm
from tracker.admin.service import AdminError, get_setting
from tracker.core.db import get_session, utcnow
from tracker.core.messages import translate_message
from tracker.core.web import no_store
from tracker.setup.service import (
    create_first_admin,
    has_users,
    new_setup_token,
    set_first_holders,
    setup_token_valid,
)

bp = Blueprint("setup", __name__)
log = logging.getLogger(__name__)
_OPEN_PREFIXES = ("/setup", "/static/", "/health", "/school/logo")


def _installed() -> bool:
    # Once someone exists it stays so: remember it and stop asking the database.
    if current_app.extensions.get("tracker.installed"):
        return True
    if has_users(get_session()):
        current_app.extensions["tracker.installed"] = True
        return True
    return False


@bp.before_app_request
def _to_setup():
    if request.path.startswith(_OPEN_PREFIXES) or _installed():
        return None
    return redirect(url_for("setup.form"))


def _announce_token() -> None:
    # Nobody can read a token from the page: it goes to the console of whoever started us.
    db = get_session()
    if setup_token_valid(db, utcnow()):
        return
    token = new_setup_token(db, utcnow())
    db.commit()
    message = f"Meldpunt first run: open /setup and enter the setup code {token}"
    log.warning(message)
    print(message, file=sys.stderr, flush=True)


@bp.get("/setup")
def form():
    if _installed():
        return redirect(url_for("auth.login"))
    _announce_token()
    return no_store(render_template("setup/form.html", form=SetupForm()))


@bp.post("/setup")
def submit():
    if _installed():
        return redirect(url_for("auth.login"))
    form = SetupForm()
    if form.validate_on_submit():
        db = get_session()
        try:
            user = create_first_admin(
                db, utcnow(), token=form.token.data, school_name=form.school_name.data,
                name=form.name.data, email=form.email.data, password=form.password.data,
                directie=form.directie.data)
            for holder in set_first_holders(db, user, utcnow(), form.first_holders()):
                send_link(db, holder, "invite", utcnow())
            db.commit()
        except AdminError as refused:
            db.rollback()
            flash(translate_message(refused), "error")
        else:
            current_app.extensions["tracker.installed"] = True
            flash(_("Meldpunt is ingericht. Zet nu de school klaar."), "success")
            return _sign_in(user)
    return no_store(render_template("setup/form.html", form=form)), 422


def _sign_in(user):
    # An admin needs a second factor: continue to its enrolment exactly as a login would.
    from tracker.accounts import login as auth
    from tracker.accounts import twofactor

    if twofactor.needs_second_factor(user):
        # The console's setup code stands in for a mailed link: whoever started Meldpunt.
        auth.prove_mailbox(user)
        return auth.start_second_factor(user, url_for("admin.index"), 303)
    login_user(LoginUser(user))
    return redirect(url_for("admin.index"), code=303)


@bp.get("/school/logo")
def logo():
    # Public: the parents' form and the kiosk may show the school's logo.
    value = get_setting(get_session(), "logo")
    if not value:
        abort(404)
    response = Response(base64.b64decode(value["data"]), mimetype=value["mime"])
    response.headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
