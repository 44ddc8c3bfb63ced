"""The application: settings checked, keys installed, every feature's blueprints, commands and
templates registered (tracker.FEATURES)."""

from __future__ import annotations

import importlib
import logging
import pkgutil
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from flask import Blueprint, Flask
from jinja2 import ChoiceLoader, FileSystemLoader

from tracker import FEATURES, PACKAGE, ConfigurationError, config
from tracker.core import db, errors, formatting, input_guard, labels, redact, school, urls
from tracker.core.extensions import babel, csrf, login_manager, mail, select_locale

log = logging.getLogger(__name__)

def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Create and configure the Meldpunt application."""
    redact.install_log_redaction()
    app = Flask("tracker", instance_path=str(config.INSTANCE_DIR))
    app.jinja_loader = template_loader()
    app.config.from_mapping(config.from_env())
    if overrides:
        app.config.update(overrides)
    check_settings(app.config)
    install_keys(app.config)
    trust_proxies(app)
    register_extensions(app)
    register_blueprints(app)
    urls.install(app)
    errors.register(app)
    labels.register(app)
    school.register(app)
    register_cli(app)
    return app


def check_settings(settings: dict[str, Any]) -> None:
    """Refuse to start production with development secrets."""
    if settings["TRACKER_ENV"] != "production":
        return
    problems = config.production_problems(settings)
    if problems:
        raise ConfigurationError(
            "Meldpunt will not start in production:\n  - " + "\n  - ".join(problems)
        )


def trust_proxies(app: Flask) -> None:
    """Believe X-Forwarded-For/-Proto/-Host/-Port from TRACKER_PROXY_COUNT proxies (default none).

    Without it every visitor behind a TLS proxy has the proxy's address, so per-address limits
    would count the whole school as one; with too high a count anyone could pick an address.
    """
    raw = str(app.config.get("TRACKER_PROXY_COUNT") or "0").strip()
    if not raw.isdigit():
        raise ConfigurationError(
            f"Meldpunt will not start: TRACKER_PROXY_COUNT must be a whole number, not {raw!r}")
    count = int(raw)
    app.config["TRACKER_PROXY_COUNT"] = count
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count,
                                x_port=count)


def install_keys(settings: dict[str, Any]) -> None:
    """Install the at-rest encryption keys for this process (web, CLI and worker alike)."""
    from tracker.core import crypto

    try:
        crypto.install(settings["TRACKER_CONFIDENTIAL_KEY"])
    except crypto.KeyConfigError as error:
        raise ConfigurationError(f"Meldpunt will not start: {error}") from None


def register_extensions(app: Flask) -> None:
    input_guard.init_app(app)  # first: the id converter and the request check
    db.init_app(app)
    login_manager.init_app(app)
    mail.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    formatting.install_cached_gettext(app)
    from tracker.accounts import auth
    from tracker.core import ratelimit, security

    auth.init_app(app)
    security.init_app(app)
    ratelimit.init_app(app)


def feature_modules() -> Iterator[ModuleType]:
    """Every module of every feature package, in a fixed order (imports them)."""
    for feature in FEATURES:
        package = importlib.import_module(f"tracker.{feature}")
        yield package
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            yield importlib.import_module(f"tracker.{feature}.{info.name}")


def template_loader() -> ChoiceLoader:
    """Each feature keeps its templates in tracker/<feature>/templates/ (names are unique)."""
    return ChoiceLoader([FileSystemLoader(PACKAGE / feature / "templates") for feature in FEATURES
                         if (PACKAGE / feature / "templates").is_dir()])


def register_blueprints(app: Flask) -> None:
    # A module with a module-level `bp` is a blueprint; a blueprint shared by two modules
    # (the kiosk's code screens) is registered once.
    seen: set[int] = set()
    for module in feature_modules():
        blueprint = getattr(module, "bp", None)
        if isinstance(blueprint, Blueprint) and id(blueprint) not in seen:
            seen.add(id(blueprint))
            app.register_blueprint(blueprint)


def register_cli(app: Flask) -> None:
    from tracker.core import cli

    cli.register(app)
