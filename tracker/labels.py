"""Words shown for keys: statuses, roles, timeline events (translated at render time)."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from tracker.domain.categories import categories_for, get_category
from tracker.domain_messages import translate_message

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

EVENT = {
    "created": _l("Melding ontvangen"),
    "routed": _l("Doorgestuurd"),
    "acknowledged": _l("Opgepakt"),
    "started": _l("In behandeling genomen"),
    "assigned": _l("Toegewezen"),
    "action_added": _l("Actie toegevoegd"),
    "action_done": _l("Actie afgevinkt"),
    "note": _l("Interne notitie"),
    "message_to_reporter": _l("Bericht aan de melder"),
    "reporter_message": _l("Bericht van de melder"),
    "referred": _l("Doorverwezen"),
    "linked": _l("Gekoppeld aan melding"),
    "resolved": _l("Afgerond"),
    "check_scheduled": _l("Controle gepland: is het gestopt?"),
    "check_recorded": _l("Controle vastgelegd"),
    "closed": _l("Gesloten"),
    "reopened": _l("Heropend"),
    "meldcode_step": _l("Meldcode-stap vastgelegd"),
}

PARTICIPANT = {"assignee": _l("Behandelaars"), "informed": _l("Geïnformeerd"),
               "escalated": _l("Via escalatie")}
CHECK = {"stopped": _l("het is gestopt"), "not_stopped": _l("het is niet gestopt")}
CHANNEL = {"kiosk": _l("kiosk"), "web": _l("webformulier"), "staff": _l("medewerker")}

REPORTER = {"child": _l("een kind"), "parent": _l("een ouder"), "staff": _l("een medewerker")}


def _lang() -> str:
    return "en" if str(get_locale() or "nl") == "en" else "nl"


def category_choices(audience: str) -> list[tuple[str, str]]:
    """Return (key, wording) pairs of the categories this audience may choose."""
    lang = _lang()
    return [(c.key, c.wording(audience, lang)) for c in categories_for(audience)]


def category_label(key: str, audience: str = "staff") -> str:
    """Return the wording of a category for an audience in the current language."""
    return get_category(key).wording(audience, _lang())


def _referral_label(key: str) -> str:
    from tracker.case_forms import REFERRAL_BODIES

    return str(REFERRAL_BODIES.get(key, key))


def register(app: Flask) -> None:
    @app.context_processor
    def _labels():
        return {
            "status_label": lambda key: STATUS.get(str(key), key),
            "role_label": lambda key: ROLE.get(str(key), key),
            "event_label": lambda key: EVENT.get(str(key), key),
            "reporter_label": lambda key: REPORTER.get(str(key), key),
            "category_label": category_label,
            "participant_label": lambda key: PARTICIPANT.get(str(key), key),
            "check_label": lambda key: CHECK.get(str(key), key),
            "channel_label": lambda key: CHANNEL.get(str(key), key),
            "referral_label": _referral_label,
            "current_locale": _lang,
            "translate_message": translate_message,
        }
