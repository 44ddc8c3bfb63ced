"""Links that leave the app: in mail, on the console, in a QR code. Each is built from its route
(never a hand-written path) on the school's public address, TRACKER_BASE_URL, with or without a
request (the worker and the CLI have none)."""

from __future__ import annotations

from flask import Flask, current_app, has_app_context
from werkzeug.routing import Map

from tracker import config

_routes: Map | None = None  # the last app's routes, for code that runs without an app context


def base_url() -> str:
    """The public address of the app, without a trailing slash."""
    url = current_app.config.get("TRACKER_BASE_URL") if has_app_context() else None
    return (url or config.default_base_url()).rstrip("/")


def install(app: Flask) -> None:
    """Remember the app's routes (create_app calls this once its blueprints are registered)."""
    global _routes
    _routes = app.url_map


def external_url(endpoint: str, **values: object) -> str:
    """The absolute link to a page, e.g. external_url("auth.login")."""
    routes = current_app.url_map if has_app_context() else _routes
    if routes is None:
        raise RuntimeError("external_url needs an app: call create_app() first")
    # The host given to bind() is never used: build() returns the path only.
    return base_url() + routes.bind("meldpunt.invalid").build(endpoint, values)
