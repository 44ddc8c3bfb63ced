"""Follow-up at /volgen: a reporter enters their code, reads the answers and replies."""

from __future__ import annotations

import time

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

from tracker.core.db import get_session, utcnow
from tracker.core.extensions import csrf
from tracker.core.forms import new_submission_key
from tracker.core.ratelimit import too_many_lookups
from tracker.core.web import no_store
from tracker.domain.evidence import EvidenceRefused
from tracker.evidence.forms import limits, refuse, uploads
from tracker.evidence.service import add_to_case
from tracker.models import Case
from tracker.reporting import receipts
from tracker.reporting.forms import FollowUpForm, ReplyForm

bp = Blueprint("follow_up", __name__, url_prefix="/volgen")
STATE = "follow_up"
OPEN_FOR = 30 * 60  # seconds a looked-up case stays open in this browser


def _case() -> Case | None:
    state = session.get(STATE) or {}
    if not state or time.time() - state.get("t", 0) > OPEN_FOR:
        session.pop(STATE, None)
        return None
    return get_session().get(Case, state["case"])


def _page(form, status=200, **context):
    return no_store(render_template("follow_up/enter.html", form=form, **context)), status


@bp.get("/")
def enter():
    session.pop(STATE, None)
    return _page(FollowUpForm())


# Validates its own token: a stale page shows the form again instead of an error.
@csrf.exempt
@bp.post("/")
def look_up():
    form = FollowUpForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            flash(_("De pagina was verlopen. Vul uw code nog een keer in."), "error")
        return _page(form, 422)
    if too_many_lookups("web", request.remote_addr or "-"):
        return _page(form, 429, wait=True)
    secret = receipts.receipt_key(current_app.config["SECRET_KEY"])
    # Picture codes are for the kiosk only: here one is a wrong code (issue 11.6).
    found = receipts.lookup(get_session(), secret, form.code.data, utcnow(), kinds=("text",))
    if found.expired:
        return _page(FollowUpForm(formdata=None), expired=True)
    if found.case is None:
        # The same words for every wrong code, however close it was.
        return _page(FollowUpForm(formdata=None), unknown=True)
    receipts.mark_used(get_session(), found.case, utcnow())
    get_session().commit()
    session[STATE] = {"case": found.case.id, "t": time.time()}
    return redirect(url_for("follow_up.case"), code=303)


@bp.get("/melding")
def case():
    found = _case()
    if found is None:
        return redirect(url_for("follow_up.enter"), code=303)
    return _status(found, ReplyForm(submission_key=new_submission_key()))


def _status(found: Case, form: ReplyForm, status: int = 200):
    return no_store(render_template(
        "follow_up/case.html", case=found, form=form,
        stage=receipts.reporter_stage(found),
        events=receipts.reporter_events(get_session(), found))), status


@csrf.exempt
@bp.post("/melding")
def reply():
    found = _case()
    if found is None:
        flash(_("Uw pagina was verlopen. Vul uw code opnieuw in; uw bericht is niet "
                "verstuurd."), "error")
        return redirect(url_for("follow_up.enter"), code=303)
    form = ReplyForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            flash(_("De pagina was verlopen. Uw bericht staat er nog: verstuur het opnieuw."),
                  "error")
        return _status(found, form, 422)
    db = get_session()
    label = found.reports[0].reporter_type.value if found.reports else "parent"
    files = uploads(form.evidence)
    if files and not receipts.reply_stored(db, form.submission_key.data):
        try:
            add_to_case(db, found, files, utcnow(), source="reply", actor_label=label,
                        limits=limits(current_app.config))
        except EvidenceRefused as refused:
            db.rollback()
            refuse(form, refused)
            return _status(found, form, 422)
    # One commit for the reply and its files; a second click stores neither again.
    receipts.store_reply(db, found, form.body.data, utcnow(), actor_label=label,
                         submission_key=form.submission_key.data)
    session[STATE] = {"case": found.id, "t": time.time()}
    flash(_("Uw bericht is verstuurd."), "success")
    return redirect(url_for("follow_up.case"), code=303)


@bp.post("/klaar")
def leave():
    session.pop(STATE, None)
    return redirect(url_for("follow_up.enter"), code=303)
