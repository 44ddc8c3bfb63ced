"""English for the Dutch messages that the domain and the services raise.

tracker/domain/ stays free of Flask, so the domain and the use cases refuse in Dutch (AdminError,
ActionRefused, TokenError, ActionNotAllowed, PeriodError): a fixed sentence, or a sentence with
values as a `tracker.domain.messages.Message` (its template and its values kept apart). A view
passes a refusal through `translate_message()` where it shows it. Every sentence is listed here
with N_() so that `make translations` extracts it; tests/test_translations.py checks that every
message the services and the state machine raise is listed here.
"""

from __future__ import annotations

from flask_babel import force_locale, gettext

from tracker.domain.messages import Message


def N_(message: str) -> str:
    """Mark a message for extraction; translate_message() translates it when it is shown."""
    return message


FIXED = (
    # tracker/domain/states.py
    N_("Deze casus is gesloten. Heropen hem eerst."),
    N_("Pak de melding eerst op (ontvangst bevestigen)."),
    N_("Er staat al een controle gepland."),
    N_("Er staat geen controle gepland."),
    N_("Leg eerst de geplande controle vast."),
    N_("Een pestmelding kan pas worden gesloten als bij de controle is vastgesteld dat het "
       "pesten is gestopt."),
    N_("Kies of het gestopt is of niet."),
    # tracker/cases/service.py, case_work.py
    N_("Iemand anders heeft deze melding intussen gewijzigd. Je ziet hieronder de nieuwe "
       "stand; kijk of je actie nog nodig is en probeer het dan opnieuw."),
    N_("Deze melding is al opgepakt."),
    N_("Kies een datum vanaf vandaag."),
    N_("Vul de tekst in."),
    N_("Een vertrouwelijke melding kan alleen naar een vertrouwenspersoon."),
    N_("Deze persoon bestaat niet."),
    N_("Deze actie bestaat niet."),
    N_("Deze actie is al afgevinkt."),
    N_("Een vertrouwelijke melding kan alleen aan een andere vertrouwelijke melding worden "
       "gekoppeld."),
    N_("De meldcode hoort bij zorgen over de thuissituatie."),
    N_("Deze stap van de meldcode bestaat niet."),
    N_("Kies een persoon of een rol."),
    N_("Er is niemand met deze rol die deze melding kan krijgen."),
    N_("Een vertrouwelijke melding kan alleen naar een vertrouwenspersoon."),
    # tracker/setup/service.py, user_tokens.py
    N_("Meldpunt is al ingericht: er bestaan al accounts."),
    N_("Meldpunt is al ingericht. Log in met een bestaand account."),
    N_("Deze installatiecode klopt niet of is verlopen. Kijk in de console of maak een nieuwe "
       "met: .venv/bin/flask --app tracker setup-token"),
    N_("Dit e-mailadres is al in gebruik."),
    N_("Deze link werkt niet meer. Vraag een nieuwe aan."),
    # tracker/services/admin*.py, school_settings.py, staff_import.py, admin views
    N_("Kies studiedag, vakantie of feestdag."),
    N_("De einddatum ligt vóór de begindatum."),
    N_("Dat zijn meer dan 120 dagen; voer een vakantie per keer in."),
    N_("Deze dag staat niet in de kalender."),
    N_("Onbekend schooljaar."),
    N_("Voor deze regio en dit schooljaar hebben we geen vakanties."),
    N_("Het logo-bestand is leeg."),
    N_("Het logo is te groot: ten hoogste 200 kB."),
    N_("Stille uren lopen 's avonds door tot de volgende ochtend: het begin moet later op de "
       "dag liggen dan het einde."),
    N_("Het logo moet een PNG- of SVG-afbeelding zijn (zonder scripts)."),
    N_("Kies minstens één werkdag."),
    N_("Kies minstens één rol."),
    N_("Kies een actieve collega die de open meldingen overneemt."),
    N_("Een groepsnummer ligt tussen 1 en 999 (bijvoorbeeld 78 voor groep 7/8)."),
    N_("Kies alleen actieve medewerkers als leerkracht."),
    N_("Onbekende soort melding."),
    N_("Onbekend soort melder."),
    N_("Het bestand bevat fouten; er is niets opgeslagen."),
    N_("Deze datum begrijpen we niet. Gebruik jjjj-mm-dd."),
    N_("Geef het apparaat een naam van 1 tot 80 tekens."),
    # tracker/domain/routing_text.py: the notes shown with a case and in the routing try-out
    N_("Vertrouwelijk kan hier niet: bij een vermoeden van seksueel misbruik door een "
       "medewerker moet het bestuur het altijd weten, ook de vertrouwenspersoon mag dit niet "
       "geheimhouden."),
    N_("Vertrouwelijk kan hier niet: een datalek moet door de FG en de directie worden "
       "beoordeeld."),
    N_("Vertrouwelijk kan hier niet: bij acuut gevaar moeten de aandachtsfunctionaris en de "
       "directie meteen kunnen handelen."),
    N_("Het bestuur overlegt direct met de vertrouwensinspecteur (0900-1113111) en doet bij "
       "een redelijk vermoeden aangifte bij de politie."),
    N_("Dit kan niet vertrouwelijk blijven; vertel de melder dat in gewone woorden."),
    N_("Mogelijk datalek: de FG beoordeelt binnen 72 uur of het gemeld moet worden bij de "
       "Autoriteit Persoonsgegevens."),
    N_("Bel bij direct gevaar 112."),
    N_("Veilig Thuis: 0800-2000 (gratis, dag en nacht bereikbaar)."),
    N_("Volg de meldcode huiselijk geweld en kindermishandeling."),
    N_("Seksueel beeldmateriaal van minderjarigen niet opslaan en niet doorsturen; betrek de "
       "politie."),
    N_("Seksueel grensoverschrijdend gedrag: overleg met Veilig Thuis (0800-2000) of de "
       "politie."),
    N_("Volg de vijf stappen van de meldcode huiselijk geweld en kindermishandeling."),
    N_("Alleen de vertrouwenspersoon ziet deze melding."),
    N_("Er is niemand met deze rol beschikbaar; de beheerder moet dit oplossen."),
    N_("Er is geen vertrouwenspersoon beschikbaar; stel een (externe) vertrouwenspersoon in."),
    # tracker/domain/grants.py, services/role_grants.py, services/first_run.py (issue 11.3)
    N_("Alleen een beheerder stelt deze rol voor."),
    N_("Over dit voorstel is al beslist."),
    N_("Over een rol voor jezelf beslis je niet: dat doet een ander."),
    N_("Je hebt dit zelf voorgesteld: een tweede persoon beslist."),
    N_("Alleen een huidige houder van deze rol of een bestuurslid beslist over dit voorstel."),
    N_("Er is iemand in de school die dit voorstel kan bevestigen: een huidige houder van de "
       "rol of een bestuurslid. Die beslist."),
    N_("Vul bij vertrouwenspersoon, bestuurslid en FG iemand anders in dan uzelf: deze rollen "
       "vragen twee mensen."),
    # tracker/domain/retention.py, services/retention.py, services/subject_access.py
    N_("Een bewaartermijn van minder dan één dag kan niet: dan verdwijnt een melding bij het "
       "sluiten."),
    N_("Een bewaartermijn van meer dan honderd jaar kan niet."),
    N_("Deze bewaarregel bestaat niet."),
    N_("Deze instelling bestaat niet."),
    N_("Alleen de FG of de directie kan een bewaarplicht instellen."),
    N_("Geef een reden voor de bewaarplicht."),
    N_("Kies een einddatum na vandaag, of laat hem leeg."),
    N_("Alleen de FG of de directie kan een bewaarplicht opheffen."),
    N_("Deze bewaarplicht is al opgeheven."),
    N_("Alleen de FG keurt een verwijderlijst goed."),
    N_("De lijst is veranderd sinds u hem zag. Er is niets verwijderd; bekijk de nieuwe lijst "
       "en keur die goed."),
    N_("Er is niets te verwijderen."),
    N_("Vul een e-mailadres of een naam in."),
    N_("Zoek op een naam van minstens drie tekens."),
    N_("Onbekend soort verzoek."),
    # tracker/domain/insight.py, services/annual_report.py
    N_("Het jaarverslag is definitief en kan niet meer worden gewijzigd."),
    N_("De einddatum ligt vóór de begindatum: kies een periode van minstens één dag."),
    # tracker/pupils/case_links.py
    N_("Kies wat het kind in deze melding is."),
    N_("Deze leerling kun je niet koppelen: niet gevonden, of niet in jouw groep."),
    N_("Deze leerling is al aan deze melding gekoppeld. Ontkoppel eerst om de rol te "
       "veranderen."),
    N_("Deze leerling is niet aan deze melding gekoppeld."),
)

# Sentences with values, raised as Message(template, **values). Values named in
# TRANSLATED_VALUES are words from LABELS and are translated too.
PATTERNS = (
    N_("'%(action)s' kan niet bij een casus met status '%(state)s'."),
    N_("%(name)s is niet meer actief."),
    N_("Deze melding gaat over %(name)s; die kan hem niet krijgen."),
    N_("Melding #%(n)d kun je niet koppelen: niet gevonden."),
    N_("Melding #%(n)d is al gekoppeld."),
    N_("Melding #%(n)d bestaat niet."),
    N_("Melding #%(n)d is al verwijderd; er valt niets meer te bewaren."),
    N_("Kies een wachtwoord van minstens %(n)d tekens."),
    N_("Termijn '%(value)s' begrijpen we niet. Gebruik bijvoorbeeld 1d (schooldag), 4h (uur), "
       "7cd (kalenderdagen) of 3m."),
    N_("Er is al een account met het e-mailadres %(email)s."),
    N_("Onbekende rol: %(roles)s. Gebruik: %(known)s."),
    N_("Onbekende rol: %(roles)s."),
    N_("Er is al een groep met nummer %(n)d (%(name)s)."),
    N_("Dit kan niet: dan is er geen enkele actieve %(role)s meer. Geef eerst iemand anders de "
       "rol %(role)s."),
    N_("Deze regel stuurt meldingen naar niemand: niemand heeft de rol %(role)s, en ook "
       "verderop in de escalatie is niemand. Geef eerst iemand die rol, of kies een andere rol."),
    N_("De termijn voor %(action)s ('%(value)s') begrijpen we niet. Gebruik bijvoorbeeld 1d, "
       "same_day, 4h, 7cd of 3m."),
    N_("De begindatum '%(value)s' is geen datum: schrijf JJJJ-MM-DD, bijvoorbeeld 2026-08-01."),
    N_("De einddatum '%(value)s' is geen datum: schrijf JJJJ-MM-DD, bijvoorbeeld 2026-08-01."),
    N_("Kies een periode van hoogstens %(n)d jaar."),
    N_("Schooljaar '%(value)s' bestaat niet: schrijf bijvoorbeeld 2026-2027."),
    N_("Er is geen kiosk met de naam %(name)s."),
)

# Words that appear inside PATTERNS: the state machine's state and action words
# (tracker/domain/states.py) and the domain's role labels (tracker/domain/roles.py).
LABELS = (
    N_("nieuw"), N_("opgepakt"), N_("in behandeling"), N_("doorverwezen"), N_("afgerond"),
    N_("gesloten"), N_("heropend"),
    N_("oppakken"), N_("in behandeling nemen"), N_("toewijzen"), N_("actie toevoegen"),
    N_("actie afronden"), N_("interne notitie"), N_("bericht aan melder"), N_("doorverwijzen"),
    N_("koppelen"), N_("afronden"), N_("controle plannen"), N_("controle vastleggen"),
    N_("sluiten"), N_("heropenen"),
    N_("beheerder"), N_("vertrouwenspersoon"),
    N_("de leerkracht"), N_("de IB'er"), N_("de anti-pestcoördinator"), N_("de directie"),
    N_("de vertrouwenspersoon"), N_("het bestuur"), N_("de FG"), N_("de beheerder"),
)
TRANSLATED_VALUES = frozenset({"action", "state", "role"})

def _value(name: str, value: object) -> object:
    """A value as the sentence shows it: the state machine's and the roles' words translated."""
    if name not in TRANSLATED_VALUES or not isinstance(value, str):
        return value
    if value[:1].isupper() and value[:1].lower() + value[1:] in LABELS:
        word = gettext(value[:1].lower() + value[1:])
        return word[:1].upper() + word[1:]
    return gettext(value) if value in LABELS else value


def translate_message(message: object) -> str:
    """Return a refusal (a Message, or an exception carrying one) in the UI language.

    A Message is translated from its parts: its template is the catalogue's msgid and its
    values are put into the translation. A plain sentence is looked up as it is.
    """
    text = message.args[0] if isinstance(message, Exception) and message.args else message
    if isinstance(text, Message):
        return gettext(text.template, **{k: _value(k, v) for k, v in text.values.items()})
    text = str(text)
    return gettext(text) if text else text


def in_english(message: object) -> str:
    """A refusal for the console, which speaks English as its help does."""
    with force_locale("en"):
        return translate_message(message)
