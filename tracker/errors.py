"""Friendly error pages in the user's language; never a stack trace in the browser."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
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


def render_error(code: int, detail: str | None = None):
    """Render the error page for a status code."""
    title, text = _messages().get(code, _messages()[400 if code < 500 else 500])
    return render_template("errors/error.html", code=code, title=title,
                           text=detail or text), code


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(_error):
        return render_error(400, _("Deze pagina was verlopen. Ga terug, vernieuw de pagina "
                                   "en probeer het opnieuw."))

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
        return render_error(InternalServerError.code)
