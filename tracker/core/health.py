"""Liveness and database check for load balancers and monitoring.

Ready means the database answers AND can write: a read-only file, a read-only PostgreSQL
transaction or replica, or (for an SQLite file) a full disk answers 503, because every report
and every login writes. The write probe inserts a row and rolls it back: it leaves no trace.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import sqlalchemy as sa
from flask import Blueprint, jsonify
from sqlalchemy import orm

from tracker.core.db import get_session
from tracker.models import Setting

bp = Blueprint("health", __name__)
log = logging.getLogger(__name__)

PROBE_KEY = "health.write-probe"  # never committed
MIN_FREE_BYTES = 1024 * 1024  # an SQLite file with less room than this cannot take a report


def _sqlite_file(session: orm.Session) -> Path | None:
    url = session.get_bind().engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database.removeprefix("file:").split("?", 1)[0])


def database_state(session: orm.Session) -> str:
    """Return "ok", "error" (does not answer), "read-only" or "disk-full"."""
    try:
        session.execute(sa.text("SELECT 1"))
    except Exception:  # any database failure means "not ready"
        log.exception("health check: database unreachable")
        session.rollback()
        return "error"
    session.rollback()
    try:
        session.execute(sa.insert(Setting).values(key=PROBE_KEY, value={}))
    except Exception as exc:
        log.error("health check: database cannot write: %s", type(exc).__name__)
        return "read-only"
    finally:
        session.rollback()
    path = _sqlite_file(session)
    if path is not None and shutil.disk_usage(path.parent).free < MIN_FREE_BYTES:
        log.error("health check: no room left for the database file")
        return "disk-full"
    return "ok"


@bp.get("/healthz")
def healthz():
    state = database_state(get_session())
    if state != "ok":
        return jsonify(status="error", database=state), 503
    return jsonify(status="ok", database="ok")
