"""Staff workspace: the queue ("Mijn werkvoorraad"), the case page and its actions."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from tracker.cases import forms as case_forms
from tracker.cases import queries
from tracker.cases import service as case_service
from tracker.cases.actions import ACKNOWLEDGED, ACTIONS, bound_form
from tracker.cases.page import render_case
from tracker.cases.service import record_view
from tracker.core.access import case_or_404, scope_of, viewer_of
from tracker.core.db import get_session, utcnow
from tracker.core.input_guard import id_arg
from tracker.core.labels import category_choices, queue_lines
from tracker.core.messages import translate_message
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


ROUTED = ",".join(name for name in ACTIONS if name != "meldcode")


@bp.post(f"/<int:case_id>/<any({ROUTED}):action>")
@bp.post("/<int:case_id>/meldcode/<int:step>", defaults={"action": "meldcode"})
@login_required
def act(case_id: int, action: str, step: int | None = None):
    db = get_session()
    case = case_or_404(db, case_id, current_user.model)
    page = queries.case_page(db, case, current_user.model)
    prefix = f"meldcode{step}" if step else action
    form = bound_form(action, prefix, page)
    if not form.validate_on_submit():
        return render_case(case, (prefix, form), 422)
    user = current_user.model
    return _run(case, prefix, form, lambda now: ACTIONS[action].run(db, case, user, now, form))


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
        done = ACKNOWLEDGED if prefix == "acknowledge" else ACTIONS[prefix.rstrip("12345")].done
        flash(str(done), "success")
        if not can_act(viewer_of(current_user.model), scope_of(case)):
            return redirect(url_for("cases.queue"), code=303)  # handed on, out of sight
    return redirect(url_for("cases.detail", case_id=case.id), code=303)


