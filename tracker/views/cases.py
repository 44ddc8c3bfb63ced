"""Staff workspace: the queue ("Mijn werkvoorraad") and the case page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker import queries
from tracker.access import case_or_404
from tracker.db import get_session, utcnow
from tracker.forms import ButtonForm
from tracker.services import cases as case_service
from tracker.services.cases import record_view
from tracker.views import no_store

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.get("/")
@login_required
def queue():
    page = request.args.get("page", 1, type=int) or 1
    view = queries.queue(get_session(), current_user.model, utcnow(), page=max(page, 1),
                         status=request.args.get("status") or None)
    return no_store(render_template("cases/queue.html", view=view))


@bp.get("/<int:case_id>")
@login_required
def detail(case_id: int):
    db = get_session()
    case = case_or_404(db, case_id, current_user.model)
    record_view(db, case, current_user.model, utcnow())
    db.commit()
    page = queries.case_page(db, case)
    return no_store(render_template("cases/detail.html", case=case, page=page,
                                    form=ButtonForm(), now=utcnow()))


@bp.post("/<int:case_id>/acknowledge")
@login_required
def acknowledge(case_id: int):
    db = get_session()
    case = case_or_404(db, case_id, current_user.model)
    if ButtonForm().validate_on_submit():
        try:
            case_service.acknowledge(db, case, current_user.model, utcnow())
            db.commit()
            flash(_("Je hebt deze melding opgepakt."), "success")
        except case_service.ActionRefused as refused:
            db.rollback()
            flash(str(refused), "error")
    return redirect(url_for("cases.detail", case_id=case_id), code=303)
