"""Staff report a concern themselves at /cases/new (about a pupil, a colleague, anyone)."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.core.extensions import csrf
from tracker.core.forms import new_submission_key
from tracker.core.web import no_store
from tracker.evidence.forms import checked_files
from tracker.models import ReporterType
from tracker.reporting.forms import StaffReportForm
from tracker.reporting.views import fill_choices, report_input, save_report

bp = Blueprint("staff_report", __name__, url_prefix="/cases")


@bp.get("/new")
@login_required
def form():
    form = fill_choices(StaffReportForm(submission_key=new_submission_key()), "staff")
    return no_store(render_template("staff_report/form.html", form=form))


@csrf.exempt  # validated by the form itself: a stale token refills the form
@bp.post("/new")
@login_required
def submit():
    form = fill_choices(StaffReportForm(), "staff")
    valid = form.validate_on_submit()
    evidence = checked_files(form, category=form.category.data,
                             sexual=form.sexual.data) if valid else None
    if evidence is None:
        if form.csrf_token.errors:
            flash(_("Het formulier was verlopen. Je tekst staat er nog: controleer hem en "
                    "verstuur opnieuw."), "error")
        return no_store(render_template("staff_report/form.html", form=form)), 422
    data = report_input(form, channel="staff", reporter_type=ReporterType.STAFF)
    code, case = save_report(data, actor=current_user.model, evidence=evidence)
    session["staff_receipt_code"] = code
    session["staff_report_sealed"] = case.confidential  # the thanks page says who reads it
    return redirect(url_for("staff_report.thanks"), code=303)


@bp.get("/new/bedankt")
@login_required
def thanks():
    code = session.pop("staff_receipt_code", None)
    return no_store(render_template("staff_report/thanks.html", code=code,
                                    sealed=session.get("staff_report_sealed", False)))
