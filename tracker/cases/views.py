"""Staff workspace: the queue ("Mijn werkvoorraad"), the case page and its actions."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from tracker.cases import forms as case_forms
from tracker.cases import queries
from tracker.cases import service as case_service
from tracker.cases import work as case_work
from tracker.cases.page import render_case
from tracker.cases.service import record_view
from tracker.core.access import case_or_404, scope_of, viewer_of
from tracker.core.db import get_session, utcnow
from tracker.core.formatting import lazy_gettext as _l
from tracker.core.input_guard import id_arg
from tracker.core.labels import category_choices, queue_lines
from tracker.core.messages import translate_message
from tracker.core.urls import external_url
from tracker.core.web import no_store
from tracker.domain.categories import CATEGORY_BY_KEY
from tracker.domain.permissions import can_act
from tracker.pupils import repetition

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.get("/")
@login_required
def queue():
    args = request.args
    group = args.get("group", type=id_arg)
    category = args.get("category") if args.get("category") in CATEGORY_BY_KEY else None
    role = args.get("role") if args.get("role") in case_forms.ROLES else None
    view = queries.queue(get_session(), current_user.model, utcnow(),
                         page=max(args.get("page", 1, type=id_arg) or 1, 1),
                         status=args.get("status") or None, category=category, group=group,
                         role=role or None, sort=args.get("sort"))
    signals = repetition.for_queue(get_session(), current_user.model)
    return no_store(render_template("cases/queue.html", view=view, signals=signals,
                                    lines=queue_lines(view.cases, "cases.detail"),
                                    roles=case_forms.ROLES,
                                    categories=category_choices("staff")))


@bp.get("/<int:case_id>")
@login_required
def detail(case_id: int):
    db = get_session()
    case = case_or_404(db, case_id, current_user.model)
    # End the read before writing: a GET's transaction is deferred (see tracker.core.db).
    db.commit()
    record_view(db, case, current_user.model, utcnow())
    db.commit()
    return render_case(case)


@bp.post("/<int:case_id>/acknowledge")
@login_required
def acknowledge(case_id: int):
    db = get_session()
    case = case_or_404(db, case_id, current_user.model)
    form = case_forms.AcknowledgeForm()
    if form.validate_on_submit():
        return _run(case, "acknowledge", form, lambda now: case_service.acknowledge(
            db, case, current_user.model, now, form.version.data))
    return redirect(url_for("cases.detail", case_id=case_id), code=303)


ACTIONS = "start,note,message,assign,action,complete_action,refer,link,resolve," \
          "schedule_check,record_check,close,reopen"


@bp.post(f"/<int:case_id>/<any({ACTIONS}):action>")
@bp.post("/<int:case_id>/meldcode/<int:step>", defaults={"action": "meldcode"})
@login_required
def act(case_id: int, action: str, step: int | None = None):
    db = get_session()
    case = case_or_404(db, case_id, current_user.model)
    page = queries.case_page(db, case, current_user.model)
    prefix = f"meldcode{step}" if step else action
    form = case_forms.bound_form(action, prefix, page)
    if not form.validate_on_submit():
        return render_case(case, (prefix, form), 422)
    user = current_user.model
    return _run(case, prefix, form, lambda now: HANDLERS[action](db, case, user, now, form))


def _run(case, prefix: str, form, call):
    """Run one service call; commit once, or show why not."""
    db = get_session()
    try:
        call(utcnow())
        db.commit()
    except (case_service.StaleCase, StaleDataError):
        db.rollback()
        flash(translate_message(case_service.STALE_MESSAGE), "error")
        fresh = case_or_404(db, case.id, current_user.model)
        if getattr(form, "version", None) is not None:
            form.version.data = fresh.version  # the fresh page is what they now see
        return render_case(fresh, (prefix, form), 409)
    except case_service.ActionRefused as refused:
        db.rollback()
        flash(translate_message(refused), "error")
    else:
        flash(str(DONE.get(prefix.rstrip("12345"), _l("Opgeslagen."))), "success")
        if not can_act(viewer_of(current_user.model), scope_of(case)):
            return redirect(url_for("cases.queue"), code=303)  # handed on, out of sight
    return redirect(url_for("cases.detail", case_id=case.id), code=303)


def _follow_up_url() -> str:
    return external_url("follow_up.enter")


HANDLERS = {
    "start": lambda db, c, u, now, f: case_service.start(db, c, u, now, f.version.data),
    "note": lambda db, c, u, now, f: case_service.add_note(db, c, u, now, f.version.data,
                                                          f.body.data),
    "message": lambda db, c, u, now, f: case_service.message_reporter(
        db, c, u, now, f.version.data, f.body.data, follow_up_url=_follow_up_url()),
    "assign": lambda db, c, u, now, f: case_work.assign(
        db, c, u, now, f.version.data, reason=f.reason.data, user_id=f.user.data or None,
        role=f.role.data or None, keep_informed=f.keep_informed.data),
    "action": lambda db, c, u, now, f: case_work.add_action(
        db, c, u, now, f.version.data, title=f.title.data, owner_id=f.owner.data,
        due=f.due.data),
    "complete_action": lambda db, c, u, now, f: case_work.complete_action(
        db, c, u, now, f.version.data, f.action_id.data),
    "refer": lambda db, c, u, now, f: case_service.refer(
        db, c, u, now, f.version.data, to=f.to.data, on=f.on.data, note=f.note.data or ""),
    "link": lambda db, c, u, now, f: case_work.link(db, c, u, now, f.version.data,
                                                    f.other.data),
    "resolve": lambda db, c, u, now, f: case_service.resolve(
        db, c, u, now, f.version.data, f.outcome.data,
        closing_message=f.closing_message.data or "", follow_up_url=_follow_up_url()),
    "schedule_check": lambda db, c, u, now, f: case_service.schedule_check(
        db, c, u, now, f.version.data, f.on.data),
    "record_check": lambda db, c, u, now, f: case_service.record_check(
        db, c, u, now, f.version.data, f.result.data, f.note.data or ""),
    "close": lambda db, c, u, now, f: case_service.close(db, c, u, now, f.version.data),
    "reopen": lambda db, c, u, now, f: case_service.reopen(db, c, u, now, f.version.data,
                                                          f.reason.data),
    "meldcode": lambda db, c, u, now, f: case_work.record_meldcode_step(
        db, c, u, now, f.version.data, f.step.data, f.finding.data),
}

DONE = {
    "acknowledge": _l("Je hebt deze melding opgepakt."),
    "start": _l("De melding staat nu in behandeling."),
    "note": _l("Je notitie is opgeslagen."),
    "message": _l("Je bericht aan de melder is verstuurd."),
    "assign": _l("De melding is toegewezen."),
    "action": _l("De actie is toegevoegd."),
    "complete_action": _l("De actie is afgevinkt."),
    "refer": _l("De doorverwijzing is vastgelegd."),
    "link": _l("De meldingen zijn gekoppeld."),
    "resolve": _l("De melding is afgerond."),
    "schedule_check": _l("De controle is gepland."),
    "record_check": _l("De controle is vastgelegd."),
    "close": _l("De melding is gesloten."),
    "reopen": _l("De melding is heropend."),
    "meldcode": _l("De stap van de meldcode is vastgelegd."),
}
