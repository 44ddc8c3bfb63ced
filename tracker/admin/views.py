"""Admin area home, the admin audit log and school settings."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.admin import audit_words
from tracker.admin.forms import SettingsForm
from tracker.admin.service import get_setting
from tracker.core import settings as settings_service
from tracker.core.access import admin_required, require_roles
from tracker.core.db import get_session, utcnow
from tracker.core.input_guard import id_arg
from tracker.core.web import flash_refusal
from tracker.models import AdminAudit

bp = Blueprint("admin", __name__, url_prefix="/admin")
AUDIT_PAGE = 50


@bp.get("/")
@admin_required
def index():
    return render_template("admin/index.html")


@bp.get("/audit")
@require_roles("directie", "admin")
def audit():
    page = max(request.args.get("page", 1, type=id_arg) or 1, 1)
    rows = get_session().scalars(sa.select(AdminAudit).order_by(AdminAudit.id.desc())
                                 .offset((page - 1) * AUDIT_PAGE).limit(AUDIT_PAGE + 1)).all()
    # In words: action labels, people by name, "veld: oud → nieuw" (tracker/admin/audit_words.py).
    rows = audit_words.entries(get_session(), rows[:AUDIT_PAGE + 1])
    return render_template("admin/audit.html", rows=rows[:AUDIT_PAGE], page=page,
                           more=len(rows) > AUDIT_PAGE)


@bp.get("/instellingen")
@admin_required
def settings():
    form = SettingsForm(data=settings_service.current(get_session()))
    return render_template("admin/settings.html", form=form,
                           has_logo=bool(get_setting(get_session(), "logo")))


@bp.post("/instellingen")
@admin_required
def settings_post():
    db = get_session()
    form = SettingsForm()
    if form.validate_on_submit():
        with flash_refusal(db):
            settings_service.save(db, current_user.model, utcnow(), form.data,
                                  request.files.get("logo"))
            db.commit()
            flash(_("De instellingen zijn opgeslagen."), "success")
            return redirect(url_for("admin.settings"), code=303)
    return render_template("admin/settings.html", form=form,
                           has_logo=bool(get_setting(db, "logo"))), 422


_DAY_ABBR = {"1": "ma", "2": "di", "3": "wo", "4": "do", "5": "vr", "6": "za", "7": "zo"}
_DAY_ABBR_EN = {"1": "Mon", "2": "Tue", "3": "Wed", "4": "Thu", "5": "Fri", "6": "Sat", "7": "Sun"}


@bp.app_context_processor
def _admin_helpers():
    def weekday_names(digits: str) -> str:
        from tracker.core.labels import _lang

        names = _DAY_ABBR_EN if _lang() == "en" else _DAY_ABBR
        return " ".join(names.get(d, d) for d in digits or "")

    def role_names(keys, sep: str = ", ") -> str:
        from tracker.core.labels import ROLE

        # A set is shown sorted; a chain ("a → b") keeps its order.
        ordered = sorted(keys, key=str) if isinstance(keys, set | frozenset) else keys
        return sep.join(str(ROLE.get(str(k), k)) for k in ordered)

    def reporter_names(keys) -> str:
        from tracker.core.labels import REPORTER

        return ", ".join(str(REPORTER.get(str(k), k)) for k in keys)

    return {"weekday_names": weekday_names, "role_names": role_names,
            "reporter_names": reporter_names}
