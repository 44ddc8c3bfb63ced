"""What a request may carry, checked once before any view: ids that fit the database, form
bodies only, files only where a form takes one, no characters we cannot store.

Each refusal is a page in the reader's language with a 4xx status, never a 500: a number past
PostgreSQL's integer, a JSON body where a form is expected, a file sent under a text field's
name or a body that cannot be read are all things no person filling in our pages sends.
"""

from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from tracker.domain.evidence import Limits
from tracker.domain.numbers import ID_MAX, whole_number

FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
# The only file fields: (endpoint, field name). A file part under any other name is refused
# before a form could read it as text.
# The forms that take evidence (issue 17), under the field name "evidence"; their bodies may
# be as large as the evidence limits allow (tracker.domain.evidence.Limits.request_bytes).
EVIDENCE_ENDPOINTS = frozenset({"report.submit", "staff_report.submit", "follow_up.reply",
                                "evidence.upload"})
FILE_FIELDS = frozenset({("admin_import.preview", "file"), ("admin_pupils.preview", "file"),
                         ("admin.settings_post", "logo")}
                        | {(endpoint, "evidence") for endpoint in EVIDENCE_ENDPOINTS})


class IdConverter(IntegerConverter):
    """<int:...> in a route: ASCII digits up to PostgreSQL's integer, else no such page (404)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", ID_MAX)
        super().__init__(map, *args, **kwargs)


def id_arg(text: str) -> int:
    """Read a query-string id or page number (`type=id_arg`): a bad one counts as absent."""
    number = whole_number(text)
    if number is None:
        raise ValueError(text)
    return number


def init_app(app: Flask) -> None:
    """Install the id converter (before any route is added) and the request check (first)."""
    app.url_map.converters["int"] = IdConverter
    app.before_request_funcs.setdefault(None, []).insert(0, _check_request)


def _refuse(code: int, text: str):
    from tracker.core.errors import render_error

    return render_error(code, text)


def _check_request():
    if request.method == "OPTIONS":
        # Answered here, before any login check: flask-login lets OPTIONS through
        # @login_required, and guards written for a logged-in person then failed.
        from flask import current_app

        return current_app.make_default_options_response()
    values = [request.path, *request.args.values(), *request.args.keys()]
    if request.endpoint in EVIDENCE_ENDPOINTS and request.mimetype == "multipart/form-data":
        # Only a body that can carry files; its text fields keep their own limit.
        from flask import current_app

        request.max_content_length = Limits.from_settings(current_app.config).request_bytes
    if request.method in BODY_METHODS and _has_body():
        if request.mimetype not in FORM_TYPES:
            return _refuse(415, _("Dit formulier kon niet worden gelezen. Ga terug, vernieuw "
                                  "de pagina en probeer het opnieuw."))
        try:
            form, files = request.form, request.files
        except HTTPException:
            raise
        except (OSError, ValueError):  # a body cut off or malformed (a bad chunk, a bad part)
            return _refuse(400, _("Dit formulier kon niet worden gelezen. Ga terug, vernieuw "
                                  "de pagina en probeer het opnieuw."))
        if any((request.endpoint, name) not in FILE_FIELDS for name in files):
            return _refuse(400, _("Hier hoort geen bestand bij. Ga terug en vul het formulier "
                                  "opnieuw in."))
        for key, items in form.lists():
            values.append(key)
            values.extend(items)
    if any("\x00" in v for v in values):
        # No browser sends NUL when a person types, and PostgreSQL cannot store it.
        return _refuse(400, _("Er stond een teken in dat we niet kunnen verwerken. "
                              "Ga terug, haal het weg en probeer het opnieuw."))
    return None


def _has_body() -> bool:
    return bool(request.content_length) or "chunked" in (
        request.headers.get("Transfer-Encoding") or "").lower()
