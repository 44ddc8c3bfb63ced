"""Dutch sentences used in routing reasons and case notes."""

from __future__ import annotations

from tracker.domain.categories import REPORTER_NL
from tracker.domain.roles import Role, role_label

VEILIG_THUIS = "0800-2000"
VERTROUWENSINSPECTEUR = "0900-1113111"

CAUSE_SEXUAL = (
    "er een vermoeden is van seksueel grensoverschrijdend gedrag door een medewerker "
    "(wettelijke meld- en aangifteplicht)"
)
CAUSE_BREACH = (
    "de school mogelijk zelf een datalek heeft veroorzaakt; dit moet binnen 72 uur "
    "beoordeeld en zo nodig gemeld worden"
)
CAUSE_DANGER = "een kind mogelijk nu in gevaar is"
CAUSE_CONFIDENTIAL = "de melder vroeg om een vertrouwelijke melding"

NOT_CONFIDENTIAL = {
    "legal_sexual": (
        "Vertrouwelijk kan hier niet: bij een vermoeden van seksueel misbruik door een "
        "medewerker moet het bestuur het altijd weten, ook de vertrouwenspersoon mag dit "
        "niet geheimhouden."
    ),
    "legal_breach": (
        "Vertrouwelijk kan hier niet: een datalek moet door de FG en de directie worden "
        "beoordeeld."
    ),
    "legal_danger": (
        "Vertrouwelijk kan hier niet: bij acuut gevaar moeten de aandachtsfunctionaris en de "
        "directie meteen kunnen handelen."
    ),
}

NOTES_SEXUAL = (
    "Het bestuur overlegt direct met de vertrouwensinspecteur "
    f"({VERTROUWENSINSPECTEUR}) en doet bij een redelijk vermoeden aangifte bij de politie.",
    "Dit kan niet vertrouwelijk blijven; vertel de melder dat in gewone woorden.",
)
NOTE_BREACH = (
    "Mogelijk datalek: de FG beoordeelt binnen 72 uur of het gemeld moet worden bij de "
    "Autoriteit Persoonsgegevens."
)
NOTES_DANGER = (
    "Bel bij direct gevaar 112.",
    f"Veilig Thuis: {VEILIG_THUIS} (gratis, dag en nacht bereikbaar).",
    "Volg de meldcode huiselijk geweld en kindermishandeling.",
)
NOTE_POLICE_IMAGES = (
    "Seksueel beeldmateriaal van minderjarigen niet opslaan en niet doorsturen; "
    "betrek de politie."
)
NOTE_SEXUAL_OTHER_ADULT = (
    f"Seksueel grensoverschrijdend gedrag: overleg met Veilig Thuis ({VEILIG_THUIS}) "
    "of de politie."
)
NOTE_MELDCODE = "Volg de vijf stappen van de meldcode huiselijk geweld en kindermishandeling."
NOTE_CONFIDENTIAL = "Alleen de vertrouwenspersoon ziet deze melding."
UNNAMED_STAFF = (
    "De melding gaat over een medewerker van school zonder naam, dus gaat hij naar de "
    "directie en niet naar de leerkrachten van de groep."
)
NOBODY = "Er is niemand met deze rol beschikbaar; de beheerder moet dit oplossen."
NO_VP = (
    "Er is geen vertrouwenspersoon beschikbaar; stel een (externe) vertrouwenspersoon in."
)


def rule_cause(reporter_type: str, what: str) -> str:
    """Return e.g. 'een ouder meldde pesten'."""
    return f"{REPORTER_NL.get(reporter_type, 'iemand')} meldde {what}"


def target(role: str, group: int | None, count: int, route: str) -> str:
    """Return who the report went to, e.g. 'de leerkracht van groep 5'."""
    if role == Role.LEERKRACHT and group is not None:
        return f"de leerkracht{'en' if count > 1 else ''} van groep {group}"
    if route == "legal_danger" and role == Role.IB:
        return "de IB'er (aandachtsfunctionaris) en de directie"
    return role_label(role)


def passed_on(role: str, nxt: str, group: int | None, conflict: bool) -> str:
    """Explain why the report skipped role and went to nxt."""
    to = role_label(nxt)
    if conflict:
        return f"De melding gaat over {role_label(role)} zelf, dus gaat hij naar {to}."
    if role == Role.LEERKRACHT and group is None:
        return f"De groep van het kind is niet bekend, dus gaat hij naar {to}."
    if role == Role.LEERKRACHT:
        return f"Groep {group} heeft geen actieve leerkracht, dus gaat hij naar {to}."
    return f"Er is niemand actief als {role_label(role)}, dus gaat hij naar {to}."


def not_informed(role: str) -> str:
    """Explain why an informed role was skipped."""
    label = role_label(role)
    return f"{label[0].upper()}{label[1:]} wordt niet ingelicht: de melding gaat over {label}."


def nobody_works(role: str, had_assignees: bool) -> str:
    """Explain that the first escalation role was informed at once."""
    who = "Geen van de behandelaars werkt" if had_assignees else "Er is geen behandelaar"
    return f"{who} vóór de deadline, dus is {role_label(role)} meteen geïnformeerd."
