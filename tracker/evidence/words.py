"""What a refused file is told, in the reader's language (services refuse with a code)."""

from __future__ import annotations

from flask_babel import ngettext

from tracker.core.formatting import lazy_gettext as _l
from tracker.domain.evidence import EvidenceRefused, Refusal

NO_FILE = _l("Kies eerst een bestand.")
EXPIRED = _l("De pagina was verlopen. Kies de bestanden opnieuw.")

# %(name)s is the file's name as the person picked it (echoed, never stored).
_WORDS = {
    Refusal.EMPTY: _l("Het bestand %(name)s is leeg. Kies het opnieuw."),
    Refusal.TOO_LARGE: _l("Het bestand %(name)s is groter dan %(megabytes)d MB. Stuur een "
                          "kleinere foto of een schermafbeelding."),
    Refusal.TOO_MANY: _l("Er kunnen ten hoogste %(max)d bestanden bij een melding. Kies er "
                         "minder."),
    Refusal.UNKNOWN_KIND: _l("Het bestand %(name)s is geen foto (JPEG, PNG of WebP) en geen "
                             "PDF. Alleen die kunnen mee."),
    Refusal.HEIC: _l("Het bestand %(name)s is een HEIC-foto van een iPhone; die kunnen we niet "
                     "openen. Stuur een schermafbeelding van de foto, of zet de foto eerst om "
                     "naar JPEG."),
    Refusal.PROGRAM: _l("Het bestand %(name)s is geen foto of PDF maar een programma of "
                        "archief. Dat nemen we niet aan."),
    Refusal.POLYGLOT: _l("In het bestand %(name)s zit behalve een foto of PDF nog iets anders "
                         "verstopt. Dat nemen we niet aan. Stuur een schermafbeelding."),
    Refusal.TOO_MANY_PIXELS: _l("De afbeelding %(name)s is te groot (meer dan %(megapixels)d "
                                "megapixel). Stuur een kleinere foto of een schermafbeelding."),
    Refusal.DAMAGED: _l("Het bestand %(name)s is beschadigd of niet compleet en kan niet worden "
                        "geopend. Kies het opnieuw."),
    Refusal.ACTIVE_PDF: _l("De PDF %(name)s bevat scripts, bijlagen of acties. Die nemen we "
                           "niet aan. Stuur een schermafbeelding of een PDF zonder."),
    Refusal.NOT_HERE: _l("Bij deze melding kunnen geen bestanden mee. Stuur geen foto's of "
                         "filmpjes, ook niet als bewijs: beschrijf in woorden wat er te zien "
                         "was. De school schakelt zo nodig de politie in."),
    Refusal.CLOSED: _l("Deze melding is gesloten: er kunnen geen bestanden meer bij."),
}


def refusal(refused: EvidenceRefused) -> str:
    """Return the words for a refused file (or set of files)."""
    values = {"name": getattr(refused, "name", ""), **refused.values}
    return str(_WORDS[refused.code]) % values


def added(n: int) -> str:
    return ngettext("%(num)d bestand is toegevoegd.", "%(num)d bestanden zijn toegevoegd.", n)
