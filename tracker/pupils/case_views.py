"""Children on a case page: search the pupils one may see, link and unlink them (issue 15.2)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user, login_required

from tracker.cases.forms import PupilLinkForm, PupilSearchForm, PupilUnlinkForm
from tracker.cases.page import render_case
from tracker.cases.service import ActionRefused, record_view
from tracker.core.access import case_or_404
from tracker.core.db import get_session, utcnow
from tracker.core.formatting import lazy_gettext as _l
from tracker.core.messages import translate_message
from tracker.pupils import case_links as case_pupils

bp = Blueprint("case_pupils", __name__, url_prefix="/cases")


@bp.post("/<int:case_id>/kinderen/zoeken")
@login_required
def search(case_id: int):
    # A POST, so that a child's name never ends up in a URL (and in the web server's log).
    db = get_session()
    case = case_or_404(db, case_id, current_user.model)
    form = PupilSearchForm(prefix="pupil_search")
    query = form.name.data.strip() if form.validate_on_submit() and form.name.data else ""
    record_view(db, case, current_user.model, utcnow())
    db.commit()
    return render_case(case, pupil_query=query)


@bp.post("/<int:case_id>/kinderen")
@login_required
def link(case_id: int):
    db = get_session()
    case = case_or_404(db, case_id, current_user.model)
    form = PupilLinkForm(prefix="pupil_link")
    query = (form.query.data or "")[:100]
    if not form.validate_on_submit():
        return render_case(case, ("pupil_link", form), 422, pupil_query=query)
    try:
        case_pupils.link(db, case, current_user.model, utcnow(), form.pupil.data,
                         form.role.data)
        db.commit()
    except ActionRefused as refused:
        db.rollback()
        flash(translate_message(refused), "error")
        return render_case(case, ("pupil_link", form), 422, pupil_query=query)
    flash(str(_l("Het kind is aan de melding gekoppeld.")), "success")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="kinderen"), code=303)


@bp.post("/<int:case_id>/kinderen/ontkoppelen")
@login_required
def unlink(case_id: int):
    db = get_session()
    case = case_or_404(db, case_id, current_user.model)
    form = PupilUnlinkForm()
    try:
        if not form.validate_on_submit():
            raise ActionRefused("Deze leerling is niet aan deze melding gekoppeld.")
        case_pupils.unlink(db, case, current_user.model, utcnow(), form.pupil.data)
        db.commit()
    except ActionRefused as refused:
        db.rollback()
        flash(translate_message(refused), "error")
    else:
        flash(str(_l("Het kind is van de melding losgekoppeld.")), "success")
    return redirect(url_for("cases.detail", case_id=case.id, _anchor="kinderen"), code=303)
