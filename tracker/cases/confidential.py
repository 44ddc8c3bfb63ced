"""The sealed area /vertrouwelijk: the vertrouwenspersoon's confidential cases
(docs/DESIGN.md §4, rule 3).

Confidential cases appear in no ordinary list, count or page query (`access.visible_clause`
leaves them out); here the VP role gets its own queue and case page, built from the same
queries, services and templates as the triage workspace. Everyone else gets the same 404 as
for a case that does not exist.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, g, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import orm

from tracker.cases import queries
from tracker.cases import views as cases_view
from tracker.cases.service import record_view
from tracker.core.access import case_or_404, may_see_access_log, sealed_clause
from tracker.core.db import get_session, utcnow
from tracker.core.input_guard import id_arg
from tracker.core.labels import queue_lines
from tracker.core.web import no_store
from tracker.domain.permissions import VP_ROLE
from tracker.models import Case, User

bp = Blueprint("confidential", __name__, url_prefix="/vertrouwelijk")


@bp.before_request
@login_required
def _vp_only():
    # A 404, not a 403: the area does not exist for anyone else.
    if VP_ROLE not in current_user.model.role_keys:
        abort(404)


def sealed_queue(session: orm.Session, user: User, now, *, page: int,
                 status: str | None, sort: str | None = None) -> queries.QueueView:
    """Return one page of the confidential cases, overdue first, then by deadline."""
    status = queries.known_status(status)
    rows, counts, page, pages, news = queries.queue_page(
        session, now, where=[sealed_clause(user)], page=page, status=status, sort=sort)
    filters = {"sort": sort} if sort == "news" else {}
    return queries.QueueView(rows, counts, page, pages, status, now, filters, news=news)


@bp.get("/")
def queue():
    view = sealed_queue(get_session(), current_user.model, utcnow(),
                        page=request.args.get("page", 1, type=id_arg) or 1,
                        status=request.args.get("status") or None,
                        sort=request.args.get("sort"))
    return no_store(render_template("confidential/queue.html", view=view,
                                    lines=queue_lines(view.cases, "confidential.case")))


@bp.get("/<int:case_id>")
def case(case_id: int):
    db = get_session()
    found = case_or_404(db, case_id, current_user.model)
    if not found.confidential:
        abort(404)
    record_view(db, found, current_user.model, utcnow(), via="sealed")
    db.commit()
    # The triage case page and its tools; for a sealed case it uses confidential/detail.html.
    return cases_view.render_case(found)


@bp.app_template_global("may_see_access_log")
def _may_see_access_log(case: Case) -> bool:
    return current_user.is_authenticated and may_see_access_log(current_user.model, case)


@bp.after_app_request
def _back_into_the_sealed_area(response):
    """After a case action on a sealed case, land on its sealed page, not under /cases."""
    case_id = g.get("sealed_case_id")
    if case_id and request.method == "POST" and response.status_code in (302, 303):
        if urlsplit(response.location or "").path == url_for("cases.detail", case_id=case_id):
            response.location = url_for("confidential.case", case_id=case_id)
    return response
