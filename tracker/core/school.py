"""The school's settings as every page shows them (name, vertrouwenspersoon), cached per process.

Every page shows the school's name, so reading the Setting rows on each request would add a
query to every page. Instead each app keeps the page settings for CACHE_TTL seconds (one query
at most per TTL per process). set_setting() invalidates this process's copy at once and again
when its transaction commits, so the admin who saves the settings sees them on the next page.
Other processes (other gunicorn workers, the tick) keep their copy until its TTL runs out:
there a school name or vp contact may be up to 30 seconds stale, which is acceptable for what
is only shown. Settings that change what the app DOES (quiet hours, follow-up days, default
deadlines) are never read from this cache: the services read them in their own transaction.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import Flask, current_app
from sqlalchemy import orm

from tracker.models import Setting

log = logging.getLogger(__name__)

CACHE_TTL = 30.0  # seconds; see the module docstring for why staleness is acceptable
PAGE_KEYS = ("school_name", "vp_contact", "logo")
_EXTENSION = "tracker.school_settings"
_PENDING = "tracker.school_settings_changed"

_lock = threading.Lock()
_generation = 0


@dataclass(frozen=True)
class _Entry:
    values: dict[str, Any]
    loaded_at: float
    generation: int


def invalidate() -> None:
    """Drop every app's cached page settings in this process."""
    global _generation
    with _lock:
        _generation += 1


def changed(session: orm.Session) -> None:
    """Note a setting change in `session`: invalidate now and again once it commits.

    The second invalidation matters: a request that reloads between the change and its
    commit still reads the old value and must not keep it for a whole TTL.
    """
    invalidate()
    if not session.info.get(_PENDING):
        session.info[_PENDING] = True
        sa.event.listen(session, "after_commit", _after_commit, once=True)


def _after_commit(session: orm.Session) -> None:
    session.info.pop(_PENDING, None)
    invalidate()


def page_settings(session: orm.Session | None = None) -> dict[str, Any]:
    """Return the cached page settings (key -> value, unset keys absent)."""
    app = current_app._get_current_object()
    entry: _Entry | None = app.extensions.get(_EXTENSION)
    now = time.monotonic()
    if entry is not None and entry.generation == _generation and \
            now - entry.loaded_at < CACHE_TTL:
        return entry.values
    generation = _generation  # read before loading: a change meanwhile forces a reload
    if session is None:
        from tracker.core.db import get_session

        session = get_session()
    try:
        with session.no_autoflush:
            rows = session.execute(sa.select(Setting.key, Setting.value)
                                   .where(Setting.key.in_(PAGE_KEYS))).all()
    except sa.exc.SQLAlchemyError:
        # E.g. the error page while the database is away: show the configured name.
        log.warning("school settings unavailable; using the configured defaults", exc_info=True)
        return {}
    values = {key: value for key, value in rows if value is not None}
    app.extensions[_EXTENSION] = _Entry(values, now, generation)
    return values


def school_name(session: orm.Session | None = None) -> str:
    """Return the school's name: the admin's setting, else TRACKER_SCHOOL_NAME."""
    name = page_settings(session).get("school_name")
    return name if isinstance(name, str) and name.strip() else \
        current_app.config["TRACKER_SCHOOL_NAME"]


def vp_contact(session: orm.Session | None = None) -> dict[str, str] | None:
    """Return the vertrouwenspersoon's filled-in contact fields, or None when none are."""
    from tracker.core.settings import vp_contact as filled_in

    return filled_in(page_settings(session).get("vp_contact"))


def has_logo(session: orm.Session | None = None) -> bool:
    """Return whether the admin uploaded a school logo (served at /school/logo)."""
    return bool(page_settings(session).get("logo"))


def register(app: Flask) -> None:
    """Give every template school_name(), vp_contact() and has_logo() (lazy: only pages that
    call them read the settings)."""
    @app.context_processor
    def _school():
        return {"school_name": school_name, "vp_contact": vp_contact, "school_logo": has_logo}
