"""Liveness and database check for load balancers and monitoring."""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, jsonify

from tracker.db import get_session

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)


@bp.get("/healthz")
def healthz():
    try:
        get_session().execute(sa.text("SELECT 1"))
    except Exception:  # any database failure means "not ready"
        log.exception("health check: database unreachable")
        return jsonify(status="error", database="error"), 503
    return jsonify(status="ok", database="ok")
