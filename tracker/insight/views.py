"""/overzicht: a period's figures for the people who analyse them (issue 14)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import Blueprint, Response, abort, render_template, request
from flask_babel import format_date, format_decimal, format_percent
from flask_babel import gettext as _
from flask_login import current_user

from tracker.admin.service import audit
from tracker.core.access import insight_clause, require_roles, viewer_of
from tracker.core.db import get_session, utcnow
from tracker.core.formatting import lazy_gettext as _l
from tracker.core.labels import CHANNEL, LOCATION, REPORTER, category_choices, category_label
from tracker.core.messages import translate_message
from tracker.domain.calendar import local_date
from tracker.domain.insight import (
    PeriodError,
    checked_period,
    hidden_cells,
    parse_day,
    school_year,
    school_year_of,
    suppress_share,
)
from tracker.domain.permissions import INSIGHT_ROLES, VP_ROLE, overviews
from tracker.insight import charts, exports
from tracker.insight.forms import OverviewForm
from tracker.insight.service import EXPORT_COLUMNS, Figures, Filters, export_rows, figures
from tracker.models import Group

bp = Blueprint("insight", __name__, url_prefix="/overzicht")
overview_required = require_roles(*INSIGHT_ROLES, VP_ROLE)
ROUTES = {"legal_sexual": _l("vermoeden van seksueel misbruik door een medewerker"),
          "legal_breach": _l("datalek"), "legal_danger": _l("acuut gevaar of onthulling")}


@bp.app_template_global()
def overview_allowed() -> bool:
    """Return whether the menu shows "Overzicht" (the same rule as the route's)."""
    return current_user.is_authenticated and bool(overviews(viewer_of(current_user.model)))


def share(part: int, whole: int) -> str:
    """Return '67% (4 van 6)', or words when there is nothing to divide."""
    if not whole:
        return _("geen gegevens")
    return _("%(percent)s (%(part)d van %(whole)d)",
             percent=format_percent(part / whole), part=part, whole=whole)


def hours(value: float | None) -> str:
    if value is None:
        return _("geen gegevens")
    if value >= 48:
        return _("%(n)s dagen", n=format_decimal(round(value / 24, 1)))
    return _("%(n)s uur", n=format_decimal(round(value, 1)))


def day(value: date) -> str:
    return format_date(value, "long")


def _form() -> OverviewForm:
    groups = get_session().execute(sa.select(Group.number, Group.name)
                                   .order_by(Group.number)).all()
    this_year = school_year(school_year_of(local_date(utcnow())))
    return OverviewForm(request.args, data={"van": this_year.start.isoformat(),
                                            "tot": this_year.end.isoformat()},
                        categories=category_choices("staff"),
                        groups=[(str(n), name) for n, name in groups],
                        channels=[(k, str(v)) for k, v in CHANNEL.items()],
                        reporters=[(k, str(v)) for k, v in REPORTER.items()])


def _filters(form: OverviewForm) -> Filters:
    return Filters(category=form.categorie.data or None,
                   group=int(form.groep.data) if form.groep.data else None,
                   channel=form.kanaal.data or None, reporter_type=form.melder.data or None)


def _ranked(counts: dict, label) -> list[tuple[str, int]]:
    """Most first; equal counts by their words (the database returns groups in any order)."""
    return sorted(((label(k), n) for k, n in counts.items()), key=lambda ln: (-ln[1], ln[0]))


def _charts(f: Figures, cells=charts.plain, only: int | None = None) -> list[charts.Chart]:
    """Return the overview's charts; `cells` turns (label, count) rows into chart cells (the
    yearly overview hides small counts there)."""
    unknown = _("onbekend")
    made = [
        (charts.columns, "per-month", _("Meldingen per maand"), _("Maand"),
         [(format_date(d, "MMM yyyy"), n) for d, n in f.by_month]),
        (charts.bars, "per-category", _("Meldingen per soort"), _("Soort melding"),
         _ranked(f.by_category, category_label)),
        (charts.bars, "per-channel", _("Hoe er gemeld is"), _("Kanaal"),
         _ranked(f.by_channel, lambda k: str(CHANNEL.get(k, k)))),
        (charts.bars, "per-reporter", _("Wie er meldde"), _("Melder"),
         _ranked(f.by_reporter_type, lambda k: str(REPORTER.get(k, k)))),
        (charts.bars, "per-group", _("Meldingen per groep"), _("Groep"),
         _ranked(f.by_group, lambda k: _("Groep %(n)d", n=k) if k else unknown)),
        (charts.bars, "per-place", _("Waar het gebeurde"), _("Plaats"),
         _ranked(f.by_location, lambda k: str(LOCATION.get(k, k)) if k else unknown)),
    ]
    return [draw(id_, caption, head, cells(data)) for draw, id_, caption, head, data in made[:only]]


class _Asked:
    """What a request to /overzicht asks for: period, filters and which overview."""

    def __init__(self) -> None:
        self.allowed = overviews(viewer_of(current_user.model))
        # The vertrouwenspersoon's own overview counts the sealed cases; nothing else does.
        self.sealed = "sealed" in self.allowed and (
            "ordinary" not in self.allowed or request.args.get("vertrouwelijk") == "1")
        self.form, self.error, self.period = _form(), None, None
        if self.form.validate():
            try:
                self.period = checked_period(parse_day(self.form.van.data, "begindatum"),
                                             parse_day(self.form.tot.data, "einddatum"))
            except PeriodError as bad:
                self.error = translate_message(bad)

    @property
    def scope(self) -> sa.ColumnElement[bool]:
        return insight_clause(current_user.model, sealed=self.sealed)

    @property
    def filters(self) -> Filters:
        return _filters(self.form)


@bp.get("/")
@overview_required
def index():
    asked = _Asked()
    f = None
    if asked.period is not None:
        f = figures(get_session(), asked.period, asked.scope, utcnow(), asked.filters)
    context = {}
    if f is not None and f.reports:
        context = {"charts": _charts(f), "comparison": [
            (key, f.by_category.get(key, 0), f.year_before_by_category.get(key, 0))
            for key in sorted(f.by_category.keys() | f.year_before_by_category.keys())]}
    return render_template(
        "insight/index.html", form=asked.form, f=f, error=asked.error, sealed=asked.sealed,
        allowed=asked.allowed, share=share, hours=hours, day=day,
        route_label=lambda r: ROUTES.get(r, r), filtered=asked.filters.any,
        export_args=request.args.to_dict(), **context), 200 if f is not None else 422


EXPORTS = {"csv": ("text/csv; charset=utf-8", exports.to_csv),
           "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    exports.to_xlsx)}


@bp.get("/export.<kind>")
@overview_required
def export(kind: str):
    if kind not in EXPORTS:
        abort(404)
    asked = _Asked()
    if asked.period is None:
        return index()  # the page, with the words saying what to change
    db, now = get_session(), utcnow()
    rows = export_rows(db, asked.period, asked.scope, now, asked.filters)
    # Every export is in the audit log: who took which cases' metadata out, and when.
    audit(db, current_user.model, now, "insight.export", f"export.{kind}", None, {
        "from": asked.period.start.isoformat(), "to": asked.period.end.isoformat(),
        "sealed": asked.sealed, "filters": {k: v for k, v in vars(asked.filters).items() if v},
        "rows": len(rows)})
    db.commit()
    mimetype, write = EXPORTS[kind]
    name = f"meldingen-{asked.period.start}-{asked.period.end}.{kind}"
    return Response(write(EXPORT_COLUMNS, rows), mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"})


def annual_view(f: Figures, threshold: int) -> dict:
    """Return what the yearly overview shows: small counts hidden (tracker.domain.insight)."""
    below = _("minder dan %(n)d", n=threshold)

    def show(n: int) -> str:
        return below if 0 < n < threshold else str(n)

    def cells(rows) -> list[charts.Cell]:
        hidden = hidden_cells([n for _, n in rows], threshold)
        return [(label, None if h else n,
                 below if 0 < n < threshold else _("niet getoond") if h else str(n))
                for (label, n), h in zip(rows, hidden, strict=True)]

    def safe_share(part: int, whole: int) -> str:
        if whole == 0:
            return _("geen gegevens")
        value = suppress_share(part, whole, threshold)
        return _("niet getoond: te weinig meldingen") if value is None else format_percent(value)

    def spread(s) -> str:
        return hours(s.median) if s.n >= threshold else _("niet getoond: te weinig meldingen")

    return {
        "f": f, "show": show, "share": safe_share, "spread": spread, "day": day,
        "route_label": lambda r: ROUTES.get(r, r), "threshold": threshold,
        # Month, category, channel, reporter type: one dimension each, never combined.
        "charts": _charts(f, cells, only=4) if f.reports else [],
    }
