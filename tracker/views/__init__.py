"""Blueprints, one a module."""

from __future__ import annotations

from flask import Response, make_response


def no_store(body) -> Response:
    """Make a response the browser must not keep (reports, codes, follow-up)."""
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
