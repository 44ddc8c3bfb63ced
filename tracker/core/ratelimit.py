"""Rate limits (Flask-Limiter): login, second factor, kiosk, /melden, code lookups, reset.

Lock-outs say in plain Dutch when to try again. Counts live in RATELIMIT_STORAGE_URI, so with
Redis they hold across gunicorn workers and hosts.
"""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime

from flask import Flask, current_app, g, request
from flask_babel import format_datetime, ngettext
from flask_babel import gettext as _
from flask_limiter import RateLimitExceeded
from limits import parse, storage, strategies

from tracker.core.errors import render_error
from tracker.core.extensions import limiter

DEFAULTS = {
    "LOGIN_LIMIT_PER_ADDRESS": "10 per 15 minutes",
    "LOGIN_LIMIT_PER_VISITOR": "30 per 15 minutes",
    "TWO_FACTOR_LIMIT": "5 per 5 minutes",
    "PASSWORD_RESET_LIMIT": "5 per hour",
    "KIOSK_SUBMIT_LIMIT": "20 per 10 minutes",
    # The public form: enough for a family, too few to bury the school's real reports.
    "REPORT_LIMIT_PER_ADDRESS": "10 per hour",
    "RATELIMIT_HEADERS_ENABLED": True,
}


def init_app(app: Flask) -> None:
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, value)
    limiter.init_app(app)
    app.register_error_handler(RateLimitExceeded, _too_many)
    app.add_template_global(lockout_text)
    app.after_request(_retry_after)


def _retry_after(response):
    # Limits counted inside a view (code lookups, kiosk) tell the browser the wait too.
    wait = g.get("rate_limit_wait")
    if wait and response.status_code == 429 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
    return response


def wait_text(seconds: float) -> str:
    """Return when to try again, in words: 'over 4 minuten (om 10:32)'."""
    seconds = max(1, math.ceil(seconds))
    at = format_datetime(datetime.fromtimestamp(time.time() + seconds, UTC), "HH:mm")
    if seconds < 60:
        return ngettext("over %(num)d seconde (om %(at)s)", "over %(num)d seconden (om %(at)s)",
                        seconds, at=at)
    minutes = max(1, round(seconds / 60))
    return ngettext("over %(num)d minuut (om %(at)s)", "over %(num)d minuten (om %(at)s)",
                    minutes, at=at)


def lockout_message(seconds: float) -> str:
    return _("Dit is te vaak geprobeerd. Om misbruik te voorkomen kan het even niet. "
             "Probeer het opnieuw %(when)s.", when=wait_text(seconds))


def too_many(seconds: float):
    """Return the 429 page that says when to try again, with Retry-After."""
    response, status = render_error(429, lockout_message(seconds))
    return response, status, {"Retry-After": str(max(1, math.ceil(seconds)))}


def _too_many(error: RateLimitExceeded):
    current = limiter.current_limit
    reset_at = current.reset_at if current is not None else None
    return too_many((reset_at - time.time()) if reset_at else 60)


def lockout_text() -> str:
    """Template helper: the lock-out message for a limit hit in this request."""
    return lockout_message(g.get("rate_limit_wait", 60))


def reset_key() -> str:
    """Limit password-reset requests per address too, not only per visitor."""
    return "reset:" + (request.form.get("email") or "").strip().lower()[:254]


def enabled() -> bool:
    """Return whether this app limits at all (tests and the benchmark switch it off)."""
    return bool(current_app.config.get("RATELIMIT_ENABLED", True))


def hit(limit: str, *identifiers: str) -> float:
    """Count one attempt against a limit shared by all workers; return seconds to wait (0 = ok).

    For places that limit inside a view (a code lookup) rather than per route.
    """
    if not enabled():
        return 0.0
    item = parse(limit)
    strategy = _strategy()
    prefix = current_app.config.get("RATELIMIT_KEY_PREFIX") or "tracker"
    if strategy.hit(item, prefix, *identifiers):
        return 0.0
    reset, _remaining = strategy.get_window_stats(item, prefix, *identifiers)
    g.rate_limit_wait = wait = max(1.0, reset - time.time())
    return wait


def _strategy() -> strategies.RateLimiter:
    # The same storage as Flask-Limiter (RATELIMIT_STORAGE_URI), built once per app: it
    # works even when the route limits were switched on after start-up.
    uri = current_app.config["RATELIMIT_STORAGE_URI"]
    cached = current_app.extensions.get("tracker.core.ratelimit")
    if cached is None or cached[0] != uri:
        cached = (uri, strategies.FixedWindowRateLimiter(storage.storage_from_string(uri)))
        current_app.extensions["tracker.core.ratelimit"] = cached
    return cached[1]


def visitor() -> str:
    """Return the visitor's address as the limiter sees it (honours a trusted proxy fix)."""
    return request.remote_addr or "-"


# Code look-ups at /volgen (the kiosk has its own, stricter limit).
WEB_LOOKUPS = "10/10 minutes"


def too_many_lookups(scope: str, ident: str, limit: str = WEB_LOOKUPS) -> bool:
    """Count one code lookup for this visitor; True when over the limit (then refuse it).

    Counted by Flask-Limiter's storage (Redis in production), so the limit holds across
    workers and hosts; the wait is kept for the page (`lockout_text()`).
    """
    return hit(limit, "code-lookup", scope, ident) > 0
