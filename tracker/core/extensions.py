"""Unbound extensions, initialised in create_app."""

from __future__ import annotations

from flask import request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_wtf.csrf import CSRFProtect

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = None
login_manager.session_protection = "strong"

mail = Mail()
csrf = CSRFProtect()
# Storage from RATELIMIT_STORAGE_URI: memory:// in development, Redis when several workers
# or hosts serve (the counts must be shared). Limits and the 429 page: tracker/core/ratelimit.py.
limiter = Limiter(get_remote_address, headers_enabled=True)

LANGUAGES = ("nl", "en")


def select_locale() -> str:
    """Pick the language: an explicit choice in the session, else Dutch."""
    from flask import session

    lang = request.args.get("lang") or session.get("lang")
    return lang if lang in LANGUAGES else "nl"


babel = Babel()
