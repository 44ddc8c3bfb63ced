"""Settings from environment variables, with safe development defaults.

No Flask import: Alembic and the CLI read this module too.
"""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def instance_dir() -> Path:
    """Where the SQLite database and uploads live: TRACKER_INSTANCE_DIR, else the checkout's
    instance/ folder, else (an installed wheel) instance/ in the current directory."""
    if os.environ.get("TRACKER_INSTANCE_DIR"):
        return Path(os.environ["TRACKER_INSTANCE_DIR"]).resolve()
    if (BASE_DIR / "pyproject.toml").is_file():
        return BASE_DIR / "instance"
    return Path.cwd() / "instance"


INSTANCE_DIR = instance_dir()

DEV_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - refused in production
DEV_CONFIDENTIAL_KEY = "ZGV2LW9ubHktaW5zZWN1cmUtY29uZmlkZW50aWFsLWs="  # noqa: S105


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def default_base_url() -> str:
    """Return the address `make run` / `flask run` serves on: links follow PORT (issue 12.9).

    Never the request's Host header: a forged one would put an attacker's address in a
    password-reset link. Set TRACKER_BASE_URL for any address other than this one.
    """
    port = os.environ.get("PORT") or os.environ.get("FLASK_RUN_PORT") or "5000"
    return f"http://127.0.0.1:{port.strip()}"


def from_env() -> dict:
    """Return the application settings read from the environment."""
    env = os.environ.get("TRACKER_ENV", "development")
    production = env == "production"
    return {
        "TRACKER_ENV": env,
        "SECRET_KEY": os.environ.get("SECRET_KEY", DEV_SECRET_KEY),
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'meldpunt.sqlite3'}"
        ),
        "TRACKER_BASE_URL": os.environ.get("TRACKER_BASE_URL") or default_base_url(),
        "TRACKER_CONFIDENTIAL_KEY": os.environ.get(
            "TRACKER_CONFIDENTIAL_KEY", "" if production else DEV_CONFIDENTIAL_KEY
        ),
        "TRACKER_SCHOOL_NAME": os.environ.get("TRACKER_SCHOOL_NAME", "Basisschool De Regenboog"),
        "TRACKER_TIMEZONE": "Europe/Amsterdam",
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "1025")),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME") or None,
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD") or None,
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Meldpunt <meldpunt@localhost>"
        ),
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        # How many reverse proxies in front of us set X-Forwarded-*; 0 trusts none.
        "TRACKER_PROXY_COUNT": os.environ.get("TRACKER_PROXY_COUNT", "0"),
        "BABEL_DEFAULT_LOCALE": "nl",
        "BABEL_DEFAULT_TIMEZONE": "Europe/Amsterdam",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", production),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
        # Evidence with a report (issue 17); a form with files may be larger than the above.
        "EVIDENCE_MAX_FILES": int(os.environ.get("TRACKER_EVIDENCE_MAX_FILES", "5")),
        "EVIDENCE_MAX_BYTES": int(os.environ.get("TRACKER_EVIDENCE_MAX_MB", "10")) * 1024 * 1024,
    }


def production_problems(settings: dict) -> list[str]:
    """Return why these settings are unsafe for production (empty when fine)."""
    problems = []
    if settings["SECRET_KEY"] in ("", DEV_SECRET_KEY):
        problems.append(
            "SECRET_KEY is not set: set a long random value (e.g. `openssl rand -hex 32`)."
        )
    url = settings["DATABASE_URL"]
    if url.startswith("sqlite") and (str(BASE_DIR) in url or ":memory:" in url or url == "sqlite://"):
        problems.append(
            "DATABASE_URL points inside the application's own folder: use PostgreSQL "
            "or an SQLite file outside it (e.g. /var/lib/meldpunt/meldpunt.sqlite3)."
        )
    if settings["TRACKER_CONFIDENTIAL_KEY"] in ("", DEV_CONFIDENTIAL_KEY):
        problems.append(
            "TRACKER_CONFIDENTIAL_KEY is not set: generate one with "
            "`flask --app tracker keys new`."
        )
    return problems
