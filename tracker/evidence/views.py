"""Evidence on the case page: a staff upload, and each file shown only to who may see the case.

A file is served with its own type (never sniffed), a Content-Disposition, and a CSP that
sandboxes it: an image opened in a tab runs nothing, a PDF is always a download. Every view
is a line in the access log, as a case read is.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import orm

from tracker.cases.service import record_view
from tracker.core.access import case_or_404
from tracker.core.db import get_session, utcnow
from tracker.domain.categories import CATEGORIES
from tracker.domain.evidence import (
    EXTENSIONS,
    IMAGE_KINDS,
    MEDIA_TYPES,
    EvidenceRefused,
    Kind,
    Limits,
    uploads_forbidden,
)
from tracker.evidence import words
from tracker.evidence.forms import EvidenceForm, limits, uploads
from tracker.evidence.service import add_to_case
from tracker.models import Evidence

bp = Blueprint("evidence", __name__)
SANDBOX = "sandbox; default-src 'none'"


@bp.app_template_global("evidence_limits")
def _evidence_limits() -> Limits:
    return limits(current_app.config)


@bp.app_template_global("evidence_forbidden")
def _evidence_forbidden() -> list[str]:
    """The categories whose reports take no files (the form's script switches the input off)."""
    return [c.key for c in CATEGORIES if uploads_forbidden(c.key, sexual=False)]


@bp.get("/cases/<int:case_id>/bewijs/<int:evidence_id>")
@login_required
def show(case_id: int, evidence_id: int):
    db = get_session()
    case = case_or_404(db, case_id, current_user.model)
    found = db.scalar(sa.select(Evidence)
                      .where(Evidence.id == evidence_id, Evidence.case_id == case.id)
                      .options(orm.undefer(Evidence.content)))
    if found is None:
        abort(404)
    kind, content = Kind(found.kind), found.content
    db.commit()  # end the read before writing (see tracker.db)
    record_view(db, case, current_user.model, utcnow(), via="evidence")
    db.commit()
    attachment = kind not in IMAGE_KINDS or request.args.get("download") == "1"
    return file_response(content, kind, f"bewijs-{case.id}-{found.id}", attachment)


def file_response(content: bytes, kind: Kind, stem: str, attachment: bool) -> Response:
    """Return a stored file with headers that keep a browser from running anything in it."""
    response = Response(content, mimetype=MEDIA_TYPES[kind])
    disposition = "attachment" if attachment else "inline"
    headers = response.headers
    headers["Content-Disposition"] = f'{disposition}; filename="{stem}.{EXTENSIONS[kind]}"'
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Content-Security-Policy"] = SANDBOX
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["Cache-Control"] = "no-store"
    return response


@bp.post("/cases/<int:case_id>/bewijs")
@login_required
def upload(case_id: int):
    db = get_session()
    case = case_or_404(db, case_id, current_user.model)
    form = EvidenceForm()
    back = redirect(url_for("cases.detail", case_id=case.id), code=303)
    if not form.validate_on_submit():  # an expired page: files cannot be kept for later
        flash(str(words.EXPIRED), "error")
        return back
    files = uploads(form.evidence)
    if not files:
        flash(str(words.NO_FILE), "error")
        return back
    try:
        added = add_to_case(db, case, files, utcnow(), source="staff",
                            actor=current_user.model, limits=limits(current_app.config))
        db.commit()
    except EvidenceRefused as refused:
        db.rollback()
        flash(words.refusal(refused), "error")
        return back
    flash(words.added(len(added)), "success")
    return back
