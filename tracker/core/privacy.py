"""/privacy: the privacy statement for parents and staff, generated from the settings."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.core.db import get_session
from tracker.retention import service as retention

bp = Blueprint("privacy", __name__)


@bp.get("/privacy")
def statement():
    db = get_session()
    views = {v.key: v for v in retention.rule_views(db)}
    return render_template("privacy.html", rules=views,
                           fg=retention.fg_contact(db),
                           pupil_days=retention.setting_days(db, "retention_pupil_days"),
                           access_days=retention.setting_days(db, "retention_access_log_days"))
