"""Response headers, idle sessions, and the append-only access log (docs/DESIGN.md §8)."""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import Flask, Response, flash, request, session
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from tracker.models import AccessLog

# No inline script or style anywhere: every script is a file served by the app (no CDN).
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"
LAST_SEEN = "_last_seen"
# Seconds a browser may reuse a static file unasked. Short, because the URLs carry no
# version: after an upgrade a tablet may show old styles for at most this long.
STATIC_MAX_AGE = 600
# The idle clock is written back at most once a minute, so not every request sets a cookie.
TOUCH_EVERY = 60


def init_app(app: Flask) -> None:
    app.config.setdefault("SESSION_IDLE_MINUTES", 30)
    app.before_request(_end_idle_session)
    app.after_request(_security_headers)
    app.session_interface = StaticBlindSession()


class StaticBlindSession(SecureCookieSessionInterface):
    """The session as Flask keeps it, except that a static file never saves it: Flask-Login
    reads the session after every request, which would add Vary: Cookie to a stylesheet and
    keep browsers from reusing it once the (kiosk's, per-tap) cookie changes."""

    def save_session(self, app: Flask, session, response: Response) -> None:
        if request.endpoint == "static" and not session.modified:
            return
        super().save_session(app, session, response)


def _security_headers(response: Response) -> Response:
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if _is_production():
        headers.setdefault("Strict-Transport-Security", HSTS)
    if request.endpoint == "static":
        # Stylesheets, scripts and pictograms hold nothing personal: a browser keeps them
        # for STATIC_MAX_AGE without asking (a kiosk's next screen loads only its page), then
        # revalidates with the ETag. Never touch the session here: that adds Vary: Cookie,
        # and a kiosk's cookie changes with every tap.
        if response.status_code in (200, 304):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = STATIC_MAX_AGE
        return response
    if current_user and current_user.is_authenticated:
        # Staff pages show case data: never keep them in a shared browser's cache.
        headers.setdefault("Cache-Control", "no-store")
    return response


def _is_production() -> bool:
    from flask import current_app

    return current_app.config.get("TRACKER_ENV") == "production"


def _end_idle_session() -> None:
    """Log staff out after SESSION_IDLE_MINUTES without a request."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return
    from flask import current_app

    now = int(time.time())
    idle = int(current_app.config["SESSION_IDLE_MINUTES"]) * 60
    last = session.get(LAST_SEEN)
    if isinstance(last, int) and now - last > idle:
        logout_user()
        session.pop(LAST_SEEN, None)
        flash(_("Je was %(minutes)d minuten niet actief en bent daarom uitgelogd. "
                "Log opnieuw in.", minutes=idle // 60), "info")
        return
    if not isinstance(last, int) or now - last >= TOUCH_EVERY:
        session[LAST_SEEN] = now


def start_idle_clock() -> None:
    """Start the idle clock at login."""
    session[LAST_SEEN] = int(time.time())


class AccessLogIsAppendOnly(RuntimeError):
    """Raised when code tries to change or remove an access log line."""


@sa.event.listens_for(AccessLog, "before_update")
@sa.event.listens_for(AccessLog, "before_delete")
def _refuse_changes(_mapper, _connection, target: AccessLog) -> None:
    raise AccessLogIsAppendOnly(f"access log line {target.id} cannot be changed or removed")
