"""Friendly error pages in the user's language; never a stack trace in the browser."""

from __future__ import annotations

import logging

from flask import Flask, flash, g, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

log = logging.getLogger(__name__)


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Dat ging niet goed"),
              _("Het verzoek klopte niet. Ga terug en probeer het opnieuw.")),
        403: (_("Geen toegang"), _("Je hebt geen toegang tot deze pagina.")),
        404: (_("Niet gevonden"),
              _("Deze pagina bestaat niet, of je hebt er geen toegang toe.")),
        405: (_("Dat kan zo niet"), _("Deze pagina werkt niet op deze manier.")),
        413: (_("Te groot"), _("Wat je stuurde is te groot. Maak het korter en probeer opnieuw.")),
        429: (_("Even wachten"),
              _("Je hebt het te vaak geprobeerd. Probeer het over een paar minuten opnieuw.")),
        500: (_("Er ging iets mis"),
              _("Er ging bij ons iets mis. Wat al was opgeslagen blijft bewaard. "
                "Probeer het later opnieuw.")),
    }


# Pages anyone may use without logging in: their expired forms come back to them; any other
# expired page leads to the login.
PUBLIC_BLUEPRINTS = frozenset({"report", "follow_up", "kiosk", "auth", "password", "setup",
                               "privacy", "health"})
# Shown when even the error page cannot be rendered (a broken database session, a template).
BARE_500 = ("<!doctype html><html lang=\"nl\"><meta charset=\"utf-8\"><title>Er ging iets mis"
            "</title><h1>Er ging iets mis</h1><p>Wat al was opgeslagen blijft bewaard. Probeer "
            "het later opnieuw.</p></html>")


def render_error(code: int, detail: str | None = None, *, offer_login: bool = False):
    """Render the error page for a status code."""
    title, text = _messages().get(code, _messages()[400 if code < 500 else 500])
    return render_template("errors/error.html", code=code, title=title, text=detail or text,
                           offer_login=offer_login), code


def _expired_page():
    """An expired form (CSRF): keep what was typed and open its page again, filled in; a
    staff page asks for the login first (tracker/core/resume.py)."""
    from tracker.core import resume

    back = resume.return_page(request.path)
    if request.method == "POST" and resume.stash_form(back):
        flash(_("Deze pagina was verlopen. Wat je had getypt staat er nog: kijk het na en "
                "verstuur het opnieuw."), "info")
        return redirect(back, code=303)
    public = request.blueprint in PUBLIC_BLUEPRINTS or current_user.is_authenticated
    return render_error(400, _("Deze pagina was verlopen. Ga terug, vernieuw de pagina en "
                               "probeer het opnieuw.") if public else
                        _("Deze pagina was verlopen. Log opnieuw in en probeer het opnieuw."),
                        offer_login=not public)


def _broken_request_500():
    """Render the 500 page even when the database session is broken: roll it back first,
    and fall back to plain words when the page cannot be rendered at all."""
    session = g.get("db_session")
    if session is not None:
        try:
            session.rollback()
        except Exception:  # noqa: BLE001 - the connection itself may be gone
            g.pop("db_session", None)
    try:
        return render_error(InternalServerError.code)
    except Exception:  # noqa: BLE001 - never a traceback instead of the page
        log.exception("the error page could not be rendered")
        return BARE_500, 500, {"Content-Type": "text/html; charset=utf-8"}


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_error):
        return _expired_page()

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code is None or request.path.startswith("/static/"):
            return error
        return render_error(error.code)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return _http(error)
        log.exception("unhandled error on %s %s", request.method, request.path)
        return _broken_request_500()
