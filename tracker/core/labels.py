"""Words shown for keys: statuses, roles, timeline events (translated at render time)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from flask import Flask, url_for
from flask_babel import get_locale
from flask_babel.speaklater import LazyString

from tracker.core.fields import plain_field
from tracker.core.formatting import lazy_gettext as _l
from tracker.core.formatting import time_tag, time_tagger
from tracker.core.messages import translate_message
from tracker.domain.categories import categories_for, get_category
from tracker.domain.events import EventKind

if TYPE_CHECKING:
    from markupsafe import Markup

    from tracker.cases.queries import QueueRow

STATUS = {
    "new": _l("Nieuw"),
    "acknowledged": _l("Opgepakt"),
    "in_progress": _l("In behandeling"),
    "referred": _l("Doorverwezen"),
    "resolved": _l("Afgerond"),
    "closed": _l("Gesloten"),
    "reopened": _l("Heropend"),
}

ROLE = {
    "leerkracht": _l("leerkracht"),
    "ib": _l("IB'er"),
    "anti_pest": _l("anti-pestcoördinator"),
    "directie": _l("directie"),
    "vertrouwenspersoon": _l("vertrouwenspersoon"),
    "bestuur": _l("bestuur"),
    "fg": _l("functionaris gegevensbescherming"),
    "admin": _l("beheerder"),
}

# Every kind in EventKind has words here (tests/domain/test_events.py holds it to that).
EVENT: dict[str, LazyString] = {
    EventKind.CREATED: _l("Melding ontvangen"),
    EventKind.ROUTED: _l("Doorgestuurd"),
    EventKind.ACKNOWLEDGED: _l("Opgepakt"),
    EventKind.STARTED: _l("In behandeling genomen"),
    EventKind.ASSIGNED: _l("Toegewezen"),
    EventKind.REASSIGNED: _l("Overgedragen aan een collega"),
    EventKind.ACTION_ADDED: _l("Actie toegevoegd"),
    EventKind.ACTION_DONE: _l("Actie afgevinkt"),
    EventKind.ACTION_OVERDUE: _l("Actie over tijd"),
    EventKind.NOTE: _l("Interne notitie"),
    EventKind.MESSAGE_TO_REPORTER: _l("Bericht aan de melder"),
    EventKind.REPORTER_MESSAGE: _l("Bericht van de melder"),
    EventKind.REFERRED: _l("Doorverwezen"),
    EventKind.LINKED: _l("Gekoppeld aan melding"),
    EventKind.RESOLVED: _l("Afgerond"),
    EventKind.CHECK_SCHEDULED: _l("Controle gepland: is het gestopt?"),
    EventKind.CHECK_RECORDED: _l("Controle vastgelegd"),
    EventKind.CLOSED: _l("Gesloten"),
    EventKind.REOPENED: _l("Heropend"),
    EventKind.MELDCODE_STEP: _l("Meldcode-stap vastgelegd"),
    EventKind.CORRECTION: _l("Correctie vastgelegd (inzageverzoek)"),
    EventKind.ESCALATED: _l("Geëscaleerd: niemand had het op tijd opgepakt"),
    EventKind.DEADLINE_PASSED: _l("Termijn om af te ronden verstreken"),
    EventKind.LEGAL_DEADLINE_NEAR: _l("Wettelijke termijn nadert"),
    EventKind.LEGAL_DEADLINE_PASSED: _l("Wettelijke termijn verstreken"),
    EventKind.FOLLOWUP_SCHEDULED: _l("Nacontrole gepland: is het gestopt?"),
    EventKind.FOLLOWUP_DUE: _l("Nacontrole is nu aan de beurt"),
    EventKind.PUPIL_LINKED: _l("Kind gekoppeld"),
    EventKind.PUPIL_UNLINKED: _l("Kind ontkoppeld"),
    EventKind.REPETITION_SIGNAL: _l("Herhaling gesignaleerd"),
    EventKind.CLOSING_MESSAGE: _l("Slotbericht aan de melder"),
    EventKind.REOPENED_BY_REPORTER: _l("Heropend: de melder laat weten dat het nog steeds gebeurt"),
    EventKind.INFORMED: _l("Geïnformeerd"),
    EventKind.EVIDENCE_ADDED: _l("Bewijs toegevoegd"),
}
SIGNAL = {"repeat_affected": _l("hetzelfde kind opnieuw getroffen bij pesten"),
          "repeat_pair": _l("dezelfde twee kinderen opnieuw"),
          "place": _l("meerdere meldingen van dezelfde plek")}
PUPIL_ROLE = {"affected": _l("getroffen"), "involved": _l("betrokken"),
              "causing": _l("genoemd als veroorzaker")}

PARTICIPANT = {"assignee": _l("Behandelaars"), "informed": _l("Geïnformeerd"),
               "escalated": _l("Via escalatie")}
CHECK = {"stopped": _l("het is gestopt"), "not_stopped": _l("het is niet gestopt")}
CHANNEL = {"kiosk": _l("kiosk"), "web": _l("webformulier"), "staff": _l("medewerker")}

# Where it happened, as the kiosk asks it; a parent's own words are shown as typed.
LOCATION = {"school": _l("Op school"), "online": _l("Online"), "onderweg": _l("Onderweg"),
            "thuis": _l("Thuis"), "elders": _l("Ergens anders")}
REPORTER = {"child": _l("een kind"), "parent": _l("een ouder"), "staff": _l("een medewerker")}


def _lang() -> str:
    locale = get_locale()
    return "en" if locale is not None and locale.language == "en" else "nl"


def category_choices(audience: str) -> list[tuple[str, str]]:
    """Return (key, wording) pairs of the categories this audience may choose."""
    lang = _lang()
    return [(c.key, c.wording(audience, lang)) for c in categories_for(audience)]


def category_label(key: str, audience: str = "staff") -> str:
    """Return the wording of a category for an audience in the current language."""
    return get_category(key).wording(audience, _lang())


def _referral_label(key: str) -> str:
    from tracker.cases.forms import REFERRAL_BODIES

    return str(REFERRAL_BODIES.get(key, key))


# Translated tables per language, filled on first use: a queue page asks for the same few
# words 150 times, and each lazy string would look its translation up again.
_RESOLVED: dict[tuple[int, str], dict[str, str]] = {}


def _words(table: dict[str, LazyString], lang: str) -> dict[str, str]:
    words = _RESOLVED.get((id(table), lang))
    if words is None:
        words = _RESOLVED[id(table), lang] = {k: str(v) for k, v in table.items()}
    return words


def _label_of(table: dict[str, LazyString]):
    def label(key) -> str:
        key = str(key)
        return _words(table, _lang()).get(key, key)
    return label


status_label = _label_of(STATUS)
role_label = _label_of(ROLE)


class QueueLine(NamedTuple):
    """A queue row in words: what one line of /cases or /vertrouwelijk shows."""

    id: int
    url: str
    category: str
    status: str
    role: str
    group: str
    urgent: bool
    overdue: bool
    due: Markup
    news: bool = False


def queue_lines(rows: Iterable[QueueRow], endpoint: str) -> list[QueueLine]:
    """Put a page of queue rows into words once, instead of per cell in the template."""
    lang = _lang()
    statuses, roles = _words(STATUS, lang), _words(ROLE, lang)
    # The case URL ends in its id: build it once, not fifty times (url_for ~10 µs a call).
    prefix = url_for(endpoint, case_id=0).removesuffix("0")
    time_tag = time_tagger()
    return [QueueLine(row.id, f"{prefix}{row.id}",
                      get_category(row.category).wording("staff", lang),
                      statuses.get(row.status, row.status),
                      roles.get(row.primary_role, row.primary_role),
                      row.group_name or "—", row.urgent, row.overdue, time_tag(row.due),
                      row.news)
            for row in rows]


def register(app: Flask) -> None:
    app.add_template_global(time_tag)
    labels = {
        "status_label": status_label,
        "role_label": role_label,
        "event_label": _label_of(EVENT),
        "reporter_label": _label_of(REPORTER),
        "category_label": category_label,
        "participant_label": _label_of(PARTICIPANT),
        "check_label": _label_of(CHECK),
        "pupil_role_label": _label_of(PUPIL_ROLE),
        "signal_label": _label_of(SIGNAL),
        "channel_label": _label_of(CHANNEL),
        "location_label": _label_of(LOCATION),
        "referral_label": _referral_label,
        "current_locale": _lang,
        "translate_message": translate_message,
        "plain_field": plain_field,  # for the form macros (tracker/core/fields.py)
    }
    app.jinja_env.globals.update(labels)
