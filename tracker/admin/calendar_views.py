"""Admin: the school calendar (holidays and study days per school year)."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.admin import calendar as service
from tracker.admin.forms import ClosedDayForm, RegionImportForm
from tracker.admin.service import AdminError
from tracker.core.access import admin_required
from tracker.core.db import get_session, utcnow
from tracker.core.forms import ButtonForm
from tracker.core.web import flash_refusal
from tracker.domain.calendar import local_date, school_years

bp = Blueprint("admin_calendar", __name__, url_prefix="/admin/kalender")


def _year() -> str:
    year = request.values.get("jaar") or service.default_school_year(local_date(utcnow()))
    try:
        service.year_bounds(year)
    except AdminError:
        year = service.default_school_year(local_date(utcnow()))
    return year


def _years(current: str) -> list[str]:
    return sorted(set(school_years()) | {current})


def _page(year: str, day_form=None, region_form=None, status: int = 200):
    region_form = region_form or RegionImportForm(school_year=year)
    region_form.school_year.choices = [(y, y) for y in school_years()]
    return render_template(
        "admin/calendar.html", year=year, years=_years(year),
        days=service.closed_days(get_session(), year), day_form=day_form or ClosedDayForm(),
        region_form=region_form, button=ButtonForm()), status


@bp.get("/")
@admin_required
def index():
    return _page(_year())


@bp.post("/dagen")
@admin_required
def add_days():
    form = ClosedDayForm()
    db = get_session()
    if form.validate_on_submit():
        with flash_refusal(db):
            start = _parse(form.start.data)
            end = _parse(form.end.data) if form.end.data else None
            added = service.add_closed_days(db, current_user.model, utcnow(), start, end,
                                            form.name.data, form.kind.data)
            db.commit()
            flash(_("%(n)d schooldagen zijn nu vrij.", n=added), "success")
            return redirect(url_for("admin_calendar.index",
                                    jaar=service.school_year_of(start)), code=303)
    return _page(_year(), day_form=form, status=422)


@bp.post("/dagen/<day>/weg")
@admin_required
def remove_day(day: str):
    db = get_session()
    if ButtonForm().validate_on_submit():
        with flash_refusal(db):
            removed = _parse(day)
            service.remove_closed_day(db, current_user.model, utcnow(), removed)
            db.commit()
            flash(_("Die dag is weer een schooldag."), "success")
            return redirect(url_for("admin_calendar.index",
                                    jaar=service.school_year_of(removed)), code=303)
    return redirect(url_for("admin_calendar.index"), code=303)


@bp.post("/importeren")
@admin_required
def import_region():
    form = RegionImportForm()
    form.school_year.choices = [(y, y) for y in school_years()]
    db = get_session()
    if form.validate_on_submit():
        with flash_refusal(db):
            added = service.import_region(db, current_user.model, utcnow(), form.region.data,
                                          form.school_year.data)
            db.commit()
            flash(_("Vakanties en feestdagen zijn ingelezen: %(n)d nieuwe vrije dagen.",
                    n=added), "success")
            return redirect(url_for("admin_calendar.index", jaar=form.school_year.data),
                            code=303)
    return _page(_year(), region_form=form, status=422)


def _parse(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise AdminError("Deze datum begrijpen we niet. Gebruik jjjj-mm-dd.") from None
