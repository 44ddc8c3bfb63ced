"""Words and moments as pages show them, each worked out once per language.

Babel's date formatting costs about a tenth of a millisecond per call, and Flask-Babel's
gettext looks up the request's locale and catalogue three times per string. A queue page
shows fifty deadlines, and deadlines fall on few distinct moments (17:00 on school days), so
formatted moments are kept per (moment, language, time zone) and translated template strings
per (language, message). Catalogues do not change while the process runs (Flask-Babel keeps
them loaded as well).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from functools import lru_cache

from babel.dates import format_date, format_datetime
from flask import Flask
from flask_babel import get_locale, get_timezone, get_translations
from flask_babel.speaklater import LazyString
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

DATE = "EEE d MMM yyyy"
DATETIME = f"{DATE} HH:mm"
NOTHING = Markup("—")
Moment = date | datetime | str | None


@lru_cache(maxsize=4096)
def _time_tag(moment: date | datetime, locale: str, zone: tzinfo) -> Markup:
    if isinstance(moment, datetime):
        text = format_datetime(moment, DATETIME, tzinfo=zone, locale=locale)
    else:
        text = format_date(moment, DATE, locale=locale)
    return Markup('<time datetime="{}">{}</time>').format(moment.isoformat(), text)


def _moment(value: date | datetime | str) -> date | datetime | str:
    """Return the date or moment an ISO string (as stored in event data) stands for."""
    if not isinstance(value, str):
        return value
    try:
        return date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    except ValueError:
        return value


def time_tagger() -> Callable[[Moment], Markup]:
    """Return time_tag for the reader's language and time zone, looked up once (a page of
    fifty deadlines asks for them fifty times otherwise)."""
    locale, zone = str(get_locale()), get_timezone()

    def tag(value: Moment) -> Markup:
        moment = _moment(value) if value else None
        if isinstance(moment, str):
            return Markup("{}").format(moment)  # not a date after all: shown as it is
        return _time_tag(moment, locale, zone) if moment else NOTHING
    return tag


def time_tag(moment: Moment) -> Markup:
    """Return a <time> element with the date or moment (an ISO string too) in the reader's
    language and time zone."""
    return time_tagger()(moment)


_TRANSLATED: dict[tuple[str, str], str] = {}
LOCALE_KEY = "_render_locale"


def _gettext(message: str, locale=None) -> str:
    locale = locale or get_locale()
    key = (str(locale.language) if locale else "", message)
    text = _TRANSLATED.get(key)
    if text is None:
        text = _TRANSLATED[key] = get_translations().ugettext(message)
    return text


def gettext(message: str, **variables) -> str:
    """Flask-Babel's gettext, remembering the translation per language."""
    text = _gettext(message)
    return text % variables if variables else text


def lazy_gettext(message: str, **variables) -> LazyString:
    """Flask-Babel's lazy_gettext (translated when shown), through the remembering gettext:
    form labels, choices and messages are shown on every page that has the form."""
    return LazyString(gettext, message, **variables)


def install_cached_gettext(app: Flask) -> None:
    """Make the templates' _() and gettext() remember translations (ngettext and the rest
    stay as Flask-Babel installed them)."""

    @pass_context
    def template_gettext(context: Context, message: str, **variables) -> str:
        # As jinja2.ext's newstyle gettext: the message (our own catalogue's text) is markup,
        # the variables are escaped as they are filled in.
        text = _gettext(message, context.get(LOCALE_KEY))
        if context.eval_ctx.autoescape:
            text = Markup(text)  # noqa: S704  # nosec B704
        return text % variables

    app.jinja_env.globals.update(gettext=template_gettext, _=template_gettext)

    @app.context_processor
    def _render_locale():
        # Looked up once per render (force_locale included), not once per string.
        return {LOCALE_KEY: get_locale()}
