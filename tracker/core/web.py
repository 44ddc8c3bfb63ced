"""Blueprints, one a module."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from flask import Response, flash, make_response
from sqlalchemy import orm

from tracker.admin.service import AdminError
from tracker.core.messages import translate_message


def no_store(body) -> Response:
    """Make a response the browser must not keep (reports, codes, follow-up)."""
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@contextmanager
def flash_refusal(session: orm.Session) -> Iterator[None]:
    """Run an admin change; when a service refuses it, roll back and show the user why."""
    try:
        yield
    except AdminError as refused:
        session.rollback()
        flash(translate_message(refused), "error")
