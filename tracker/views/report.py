"""The public report form for parents at /melden."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _

from tracker.db import get_session, utcnow
from tracker.extensions import csrf
from tracker.forms import ParentReportForm, new_submission_key
from tracker.labels import category_choices
from tracker.models import Group, ReporterType
from tracker.services.reports import ReportInput, find_submission, submit_report
from tracker.views import no_store

bp = Blueprint("report", __name__)


def _form(**kwargs) -> ParentReportForm:
    form = ParentReportForm(**kwargs)
    form.category.choices = [("", _("Kies…"))] + category_choices("parent")
    groups = get_session().scalars(
        sa.select(Group).where(Group.active.is_(True)).order_by(Group.number))
    form.group.choices = [("", _("Weet ik niet / geen groep"))] + [
        (str(g.number), g.name) for g in groups]
    return form


@bp.get("/melden")
def form():
    return no_store(render_template("report/form.html",
                                    form=_form(submission_key=new_submission_key())))


# The form validates its own CSRF token so a stale one refills the form instead of a 400.
@csrf.exempt
@bp.post("/melden")
def submit():
    form = _form()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            flash(_("Het formulier was verlopen. Uw tekst staat er nog: controleer hem en "
                    "verstuur opnieuw."), "error")
        return no_store(render_template("report/form.html", form=form)), 422
    db = get_session()
    data = ReportInput(
        submission_key=form.submission_key.data, channel="web",
        reporter_type=ReporterType.PARENT, category=form.category.data,
        description=form.description.data.strip(),
        group_number=int(form.group.data) if form.group.data else None,
        reporter_email=(form.email.data or "").strip().lower() or None,
    )
    try:
        submit_report(db, data, utcnow())
        db.commit()
    except sa.exc.IntegrityError:
        # Two clicks raced past each other: the first one's report stands.
        db.rollback()
        if find_submission(db, data.submission_key) is None:
            raise
    session["last_report"] = data.submission_key
    return redirect(url_for("report.thanks"), code=303)


@bp.get("/melden/bedankt")
def thanks():
    if "last_report" not in session:
        return redirect(url_for("report.form"))
    return no_store(render_template("report/thanks.html"))
