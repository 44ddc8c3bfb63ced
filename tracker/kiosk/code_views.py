"""Kiosk screens for "Ik heb een code": tap the picture code, read the answer, reply by taps."""

from __future__ import annotations

import time

from flask import current_app, g, redirect, request, session, url_for

from tracker.core.db import get_session, utcnow
from tracker.core.forms import new_submission_key
from tracker.core.ratelimit import too_many_lookups
from tracker.domain.codes import PICTURE_BY_KEY, PICTURE_CODE_LENGTH, PICTURES
from tracker.kiosk import views as kiosk
from tracker.models import Case
from tracker.reporting import receipts

# No `bp` name here: the routes belong to the kiosk blueprint (discovery registers `bp`s).
_bp = kiosk.bp
KIOSK_LOOKUPS = "30/10 minutes"  # one tablet serves a whole school: per device, generous


@_bp.get("/code")
def code():
    state = kiosk._state()
    if "done" in state or "case" in state or "key" in state:
        state = {}
        session.pop(kiosk.STATE, None)
    taps = [PICTURE_BY_KEY[k] for k in state.get("code", []) if k in PICTURE_BY_KEY]
    return kiosk._screen("code.html", step="code", pictures=PICTURES, taps=taps,
                         slots=PICTURE_CODE_LENGTH, error=request.args.get("fout"))


@_bp.post("/code")
def code_tap():
    state = kiosk._state()
    taps = [k for k in state.get("code", []) if k in PICTURE_BY_KEY]
    picture = request.form.get("picture")
    if request.form.get("undo"):
        taps = taps[:-1]
    elif picture in PICTURE_BY_KEY and len(taps) < PICTURE_CODE_LENGTH:
        taps.append(picture)
    if len(taps) < PICTURE_CODE_LENGTH:
        kiosk._save({"code": taps})
        return redirect(url_for("kiosk.code"), code=303)
    session.pop(kiosk.STATE, None)
    if too_many_lookups("kiosk", str(g.kiosk_device.id), KIOSK_LOOKUPS):
        return redirect(url_for("kiosk.code", fout="wait"), code=303)
    secret = receipts.receipt_key(current_app.config["SECRET_KEY"])
    found = receipts.lookup(get_session(), secret, tuple(taps), utcnow(), kinds=("picture",))
    if found.case is None:
        return redirect(url_for("kiosk.code", fout="expired" if found.expired else "unknown"),
                        code=303)
    receipts.mark_used(get_session(), found.case, utcnow())
    get_session().commit()
    kiosk._save({"case": found.case.id})
    return redirect(url_for("kiosk.status"), code=303)


def _case() -> Case | None:
    case_id = kiosk._state().get("case")
    return get_session().get(Case, case_id) if case_id else None


@_bp.get("/code/melding")
def status():
    case = _case()
    if case is None:
        return redirect(url_for("kiosk.start"), code=303)
    kiosk._save({"case": case.id})  # reading counts as a touch
    return _status_screen(case, submission_key=new_submission_key())


def _status_screen(case: Case, **context):
    return kiosk._screen("status.html", step="status", stage=receipts.reporter_stage(case),
                         events=receipts.reporter_events(get_session(), case),
                         replies=kiosk.QUICK_REPLIES, text_max=receipts.REPLY_MAX, **context)


@_bp.post("/code/melding")
def reply():
    case = _case()
    if case is None:
        return redirect(url_for("kiosk.start"), code=303)
    tap = request.form.get("reply")
    text = request.form.get("text", "").strip()
    submission_key = request.form.get("submission_key", "")[:64] or None
    if tap in kiosk.QUICK_REPLIES:
        body, taps = kiosk.QUICK_REPLIES[tap][2], tap
    elif text and len(text) <= receipts.REPLY_MAX:
        body, taps = text, None
    else:
        return _status_screen(case, text=text, error=True,
                              submission_key=submission_key or new_submission_key()), 422
    db = get_session()
    receipts.store_reply(db, case, body, utcnow(), actor_label="child", taps=taps,
                         submission_key=submission_key, still_happening=taps == "still")
    session[kiosk.STATE] = {"replied": True, "t": time.time()}
    return redirect(url_for("kiosk.replied"), code=303)


@_bp.get("/code/verstuurd")
def replied():
    shown = kiosk._state().get("replied")
    session.pop(kiosk.STATE, None)
    if not shown:
        return redirect(url_for("kiosk.start"), code=303)
    return kiosk._screen("replied.html")
