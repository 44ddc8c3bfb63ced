"""The kiosk for children: one question per screen, taps only, nothing left for the next child.

What a child tapped lives in the session ("kiosk" key) until it is sent or the kiosk resets;
every step is POST-redirect-GET, so the back button after sending finds nothing.
"""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import (
    Blueprint,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import ValidationError, validate_csrf

from tracker.core import ratelimit
from tracker.core.db import get_session, utcnow
from tracker.core.extensions import LANGUAGES, csrf
from tracker.core.formatting import lazy_gettext as _l
from tracker.core.forms import new_submission_key
from tracker.core.labels import LOCATION, category_choices
from tracker.core.web import no_store
from tracker.domain.codes import PICTURE_BY_KEY
from tracker.domain.numbers import whole_number
from tracker.kiosk import service as kiosk_service
from tracker.models import Group
from tracker.reporting import receipts
from tracker.reporting.service import find_submission, submit_report

bp = Blueprint("kiosk", __name__, url_prefix="/kiosk")
# Kiosk posts check their own token and, when it is stale, show the same screen again.
csrf.exempt(bp)

STATE = "kiosk"
QUICK_REPLIES = {  # key: (pictogram, child words, what staff read)
    "thanks": ("check", _l("Dank je wel"), "Dank je wel"),
    "stopped": ("danger-no", _l("Het is gestopt"), "Het is gestopt."),
    "still": ("cat-bullying", _l("Het gebeurt nog steeds"), "Het gebeurt nog steeds."),
    "talk": ("talk-yes", _l("Ik wil praten"), "Ik wil graag praten."),
}


def _state() -> dict:
    state = session.get(STATE) or {}
    idle = current_app.config.get("KIOSK_IDLE_SECONDS", 60)
    if state and time.time() - state.get("t", 0) > idle + 15:
        state = {}  # the kiosk was left alone: whatever was there belongs to nobody now
    return state


def _save(state: dict) -> None:
    state["t"] = time.time()
    session[STATE] = state


def _reset() -> None:
    session.pop(STATE, None)
    session.pop("lang", None)


def _screen(template: str, **context):
    return no_store(render_template(f"kiosk/{template}", **context))


def _token_ok() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


@bp.before_request
def _only_enrolled_devices():
    if request.endpoint in ("kiosk.enrol", "kiosk.enrol_confirm"):
        return None
    device = kiosk_service.device_from_cookie(
        get_session(), current_app.config["SECRET_KEY"],
        request.cookies.get(kiosk_service.COOKIE_NAME))
    if device is None:
        return _screen("not_enrolled.html"), 403
    g.kiosk_device = device
    if request.method == "POST" and not _token_ok():
        # A stale page: show the same screen again with what was already chosen.
        return redirect(request.path, code=303)
    return None


@bp.after_request
def _never_cache(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.get("/aanmelden/<token>")
def enrol(token: str):
    device = kiosk_service.pending_enrolment(get_session(), token, utcnow())
    return _screen("enrol.html", device=device), 200 if device else 404


@bp.post("/aanmelden/<token>")
def enrol_confirm(token: str):
    db = get_session()
    device = kiosk_service.complete_enrolment(db, token, utcnow()) if _token_ok() else None
    if device is None:
        return _screen("enrol.html", device=None), 404
    value = kiosk_service.device_cookie(current_app.config["SECRET_KEY"], device)
    db.commit()
    response = redirect(url_for("kiosk.start"), code=303)
    response.set_cookie(kiosk_service.COOKIE_NAME, value, max_age=kiosk_service.COOKIE_MAX_AGE,
                        httponly=True, samesite="Lax", path="/kiosk",
                        secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.get("/opnieuw")
def restart():
    _reset()
    return redirect(url_for("kiosk.start"), code=303)


@bp.get("/taal/<lang>")
def language(lang: str):
    if lang in LANGUAGES:
        session["lang"] = lang
    step = request.args.get("stap", "")
    # Back to the same screen; a child reading an answer keeps it (status needs no redo).
    target = url_for(f"kiosk.{step}") if step in ("start", "where", "who", "name", "danger",
                                                  "talk", "code", "status") \
        else url_for("kiosk.start")
    return redirect(target, code=303)


def _choice(value: str, picto: str, words) -> dict:
    return {"value": value, "picto": picto, "words": words}


def _categories() -> list[dict]:
    return [_choice(key, f"cat-{key}", words) for key, words in category_choices("child")]


@bp.get("/")
def start():
    state = _state()
    if "done" in state or "case" in state:
        _reset()
    return _screen("step.html", step="start", question=_l("Wat is er gebeurd?"),
                   choices=_categories(), wide=True)


@bp.post("/")
def choose_category():
    choice = request.form.get("choice")
    if choice not in kiosk_service.KIOSK_CATEGORIES:
        return redirect(url_for("kiosk.start"), code=303)
    state = {"key": new_submission_key(), "category": choice,
             "lang": session.get("lang", "nl")}
    _save(state)
    return redirect(url_for("kiosk.where"), code=303)


def _draft_or_start(needs: str):
    state = _state()
    if not state.get("key") or needs not in state:
        return None
    return state


STEPS = {  # step: (what the draft must hold already, question, choices)
    "where": ("category", _l("Waar gebeurde het?"),
              [_choice(k, f"loc-{k}", w) for k, w in LOCATION.items()]),
    "who": ("location", _l("Wil je zeggen wie je bent?"),
            [_choice("name", "who-name", _l("Ja, ik zeg wie ik ben")),
             _choice("anonymous", "who-anonymous", _l("Ik blijf liever anoniem"))]),
    "danger": ("anonymous", _l("Ben je nu in gevaar?"),
               [_choice("yes", "danger-yes", _l("Ja, ik ben nu in gevaar")),
                _choice("no", "danger-no", _l("Nee"))]),
    "talk": ("danger", _l("Wil je dat iemand met je praat?"),
             [_choice("yes", "talk-yes", _l("Ja, graag")),
              _choice("no", "talk-no", _l("Nee, dat hoeft niet"))]),
}
BACK = {"where": "start", "who": "where", "name": "who", "danger": "who", "talk": "danger"}


def _render_step(step: str, state: dict, error=None, text: str = ""):
    needs, question, choices = STEPS[step]
    return _screen("step.html", step=step, question=question, choices=choices,
                   back=url_for(f"kiosk.{BACK[step]}"), error=error, text=text,
                   text_max=kiosk_service.TEXT_MAX)


def _step_view(step: str):
    state = _draft_or_start(STEPS[step][0])
    if state is None:
        return redirect(url_for("kiosk.start"), code=303)
    return _render_step(step, state)


def _answer(step: str):
    state = _draft_or_start(STEPS[step][0])
    choice = request.form.get("choice")
    if state is None:
        return redirect(url_for("kiosk.start"), code=303)
    if choice not in {c["value"] for c in STEPS[step][2]}:
        return redirect(url_for(f"kiosk.{step}"), code=303)
    if step == "where":
        state["location"], target = choice, "who"
    elif step == "who":
        state["anonymous"] = choice == "anonymous"
        target = "name" if choice == "name" else "danger"
    elif step == "danger":
        state["danger"] = choice == "yes"
        if state["danger"]:  # a child in danger is not kept on the screen: send at once
            state["talk"] = True
            return _send(state, "")
        target = "talk"
    else:
        text = request.form.get("text", "").strip()
        if len(text) > kiosk_service.TEXT_MAX:
            _save(state)
            return _render_step("talk", state, text=text, error=_l(
                "Dat is te lang. Je mag %(max)d tekens gebruiken.",
                max=kiosk_service.TEXT_MAX)), 422
        state["talk"] = choice == "yes"
        return _send(state, text)
    _save(state)
    return redirect(url_for(f"kiosk.{target}"), code=303)


def _step_rule(step: str):
    def view():
        return _step_view(step) if request.method == "GET" else _answer(step)
    return view


for _step, _path in {"where": "waar", "who": "wie", "danger": "gevaar", "talk": "praten"}.items():
    bp.add_url_rule(f"/{_path}", _step, _step_rule(_step), methods=["GET", "POST"])


@bp.get("/naam")
def name():
    state = _draft_or_start("location")
    if state is None:
        return redirect(url_for("kiosk.start"), code=303)
    groups = get_session().scalars(sa.select(Group).where(Group.active.is_(True))
                                   .order_by(Group.number))
    return _screen("name.html", step="name", groups=list(groups), back=url_for("kiosk.who"),
                   name_max=kiosk_service.NAME_MAX, name=state.get("name") or "")


@bp.post("/naam")
def name_answer():
    state = _draft_or_start("location")
    if state is None:
        return redirect(url_for("kiosk.start"), code=303)
    state["name"] = " ".join(request.form.get("name", "").split())[:kiosk_service.NAME_MAX]
    group = request.form.get("group", "")
    state["group"] = whole_number(group, maximum=999)
    state["anonymous"] = False
    _save(state)
    return redirect(url_for("kiosk.danger"), code=303)


def _send(state: dict, text: str):
    wait = ratelimit.hit(current_app.config["KIOSK_SUBMIT_LIMIT"], "kiosk-send",
                         str(g.kiosk_device.id))
    if wait:
        _save(state)  # the child's choices stay; a grown-up can help send it later
        return ratelimit.too_many(wait)
    draft = kiosk_service.Draft(
        key=state["key"], category=state["category"], location=state.get("location"),
        name=state.get("name"), group=state.get("group"), anonymous=state.get("anonymous"),
        danger=state.get("danger"), talk=state.get("talk"), language=state.get("lang", "nl"))
    db = get_session()
    secret = receipts.receipt_key(current_app.config["SECRET_KEY"])
    try:
        done = submit_report(db, draft.to_input(text), utcnow(),
                             kiosk_device_id=g.kiosk_device.id)
        code = receipts.issue_code(db, done.case, secret, draft.key, "picture")
        db.commit()
    except sa.exc.IntegrityError:
        db.rollback()  # a double tap raced the first one: show the first one's code
        report = find_submission(db, draft.key)
        if report is None:
            raise
        code = receipts.issue_code(db, report.case, secret, draft.key, "picture")
    # What comes next depends on what the child said: a named child who wants to talk is sought
    # out; an anonymous one can only be answered through the picture code.
    after = "talk" if draft.talk and not draft.anonymous else (
        "code" if draft.anonymous else "named")
    session[STATE] = {"done": {"code": code, "danger": bool(draft.danger), "after": after},
                      "t": time.time()}
    return redirect(url_for("kiosk.done"), code=303)


@bp.get("/klaar")
def done():
    result = _state().pop("done", None)
    session.pop(STATE, None)  # shown once: reload or back finds nothing
    if result is None:
        return redirect(url_for("kiosk.start"), code=303)
    pictures = [PICTURE_BY_KEY[k] for k in result["code"].split("-")]
    return _screen("done.html", pictures=pictures, danger=result["danger"],
                   after=result.get("after", "named"))
