"""/overzicht/jaarverslag: the yearly overview as a page and as PDF (issue 14.2).

Meant for outside eyes (the Inspectie, the MR, the bestuur): the school's ordinary cases, small
numbers suppressed, never a sealed case. The directie writes its sections until it marks the
year final.
"""

from __future__ import annotations

from pathlib import Path

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from tracker.core.access import require_roles
from tracker.core.db import get_session, utcnow
from tracker.core.forms import ButtonForm
from tracker.core.messages import translate_message
from tracker.core.school import school_name, vp_contact
from tracker.core.web import flash_refusal, no_store
from tracker.domain.calendar import local_date
from tracker.domain.insight import PeriodError, school_year, school_year_of
from tracker.domain.permissions import INSIGHT_ROLES
from tracker.insight import annual_report
from tracker.insight.forms import AnnualReportForm
from tracker.insight.service import figures
from tracker.insight.views import annual_view
from tracker.models import Case, Role, role_members

bp = Blueprint("annual_report", __name__, url_prefix="/overzicht/jaarverslag")
readers_required = require_roles(*INSIGHT_ROLES)
directie_required = require_roles("directie")


def _year() -> tuple[str, str | None]:
    label = request.args.get("schooljaar") or school_year_of(local_date(utcnow()))
    try:
        school_year(label)
    except PeriodError as bad:
        return label, translate_message(bad)
    return label.strip(), None


def _page(year: str, form: AnnualReportForm | None = None, status: int = 200,
          pdf: bool = False):
    db = get_session()
    sections = annual_report.load(db, year)
    period = school_year(year)
    threshold = annual_report.threshold(db)
    # The school's document: every ordinary case; sealed ones never, not even as a count.
    f = figures(db, period, Case.confidential.is_(False), utcnow())
    form = form or AnnualReportForm(data={k: sections[k] for k in annual_report.SECTIONS})
    context = annual_view(f, threshold) | {
        "year": year, "sections": sections, "form": form, "final_form": ButtonForm(),
        "coordinators": [u.name for u in role_members(db, Role.ANTI_PEST)],
        "vp": vp_contact(db), "school": school_name(db), "pdf": pdf,
        "may_edit": current_user.model.has_role("directie") and not sections["final"]}
    return render_template("insight/annual.html", **context), status


@bp.get("/")
@readers_required
def show():
    year, error = _year()
    if error:
        return render_template("insight/annual_missing.html", error=error, year=year), 404
    if request.args.get("format") == "pdf":
        return _pdf(year)
    return _page(year)


def _pdf(year: str) -> Response:
    """Render the page with WeasyPrint: our own stylesheets from disk, nothing fetched."""
    from weasyprint import CSS, HTML

    html, _status = _page(year, pdf=True)
    static = Path(current_app.static_folder or "") / "css"
    sheets = [CSS(string=(static / name).read_text(encoding="utf-8"))
              for name in ("app.css", "print.css")]
    document = HTML(string=html).write_pdf(stylesheets=sheets)
    return no_store(Response(document, mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="jaarverslag-{year}.pdf"'}))


@bp.post("/")
@directie_required
def save():
    year, error = _year()
    if error:
        return render_template("insight/annual_missing.html", error=error, year=year), 404
    form = AnnualReportForm()
    if not form.validate_on_submit():
        return _page(year, form, 422)
    db = get_session()
    with flash_refusal(db):
        annual_report.save(db, current_user.model, utcnow(), year,
                           {k: getattr(form, k).data for k in annual_report.SECTIONS})
        db.commit()
        flash(_("Het jaarverslag %(year)s is opgeslagen.", year=year), "success")
    return redirect(url_for("annual_report.show", schooljaar=year), code=303)


@bp.post("/definitief")
@directie_required
def finalize():
    year, error = _year()
    if error:
        return render_template("insight/annual_missing.html", error=error, year=year), 404
    db = get_session()
    if ButtonForm().validate_on_submit():
        with flash_refusal(db):
            annual_report.finalize(db, current_user.model, utcnow(), year)
            db.commit()
            flash(_("Het jaarverslag %(year)s is definitief.", year=year), "success")
    return redirect(url_for("annual_report.show", schooljaar=year), code=303)
