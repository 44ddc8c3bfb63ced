"""Report categories and their wordings, as data (docs/DESIGN.md §3)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CategoryKey(StrEnum):
    """Keys of the report categories."""

    BULLYING = "bullying"
    CYBERBULLYING = "cyberbullying"
    IMAGE_SHARED = "image_shared"
    HARMFUL_CONTENT = "harmful_content"
    THREAT_VIOLENCE = "threat_violence"
    ADULT_MISCONDUCT = "adult_misconduct"
    HOME_CONCERN = "home_concern"
    PHONE_MISUSE = "phone_misuse"
    PRIVACY_LEAK = "privacy_leak"
    OTHER = "other"


@dataclass(frozen=True)
class Category:
    """One category with its wording per audience and language."""

    key: str
    child_nl: str
    parent_nl: str
    staff_nl: str
    child_en: str
    parent_en: str
    staff_en: str
    reason_nl: str
    kiosk_allowed: bool
    pictogram: str
    follow_up_check: bool = False
    # No file may come with such a report: its evidence is an image nobody may keep or pass
    # on (tracker/domain/evidence.py).
    no_upload: bool = False
    # Evidence is shown blurred until a person chooses to see it (issue 17).
    blur_evidence: bool = False
    # Bullying in some form: the anti-pestcoördinator hears when a child says it goes on.
    bullying: bool = False

    def wording(self, audience: str, lang: str = "nl") -> str:
        """Return the wording for 'child', 'parent' or 'staff' in 'nl' or 'en'."""
        return getattr(self, f"{audience}_{'en' if lang == 'en' else 'nl'}")


CATEGORIES: tuple[Category, ...] = (
    Category(
        "bullying",
        "Ik word gepest / iemand wordt gepest",
        "Mijn kind of een ander kind wordt gepest",
        "Pesten (fysiek of verbaal)",
        "I am being bullied / someone is being bullied",
        "My child or another child is being bullied",
        "Bullying (in person)",
        "pesten",
        kiosk_allowed=True,
        pictogram="bullying",
        follow_up_check=True,
        bullying=True,
    ),
    Category(
        "cyberbullying",
        "Iemand doet gemeen online of in de app",
        "Mijn kind wordt online of in een (groeps)app gepest",
        "Online pesten (ook groepsapps)",
        "Someone is being mean online or in the app",
        "My child is being bullied online or in a (group) chat",
        "Cyberbullying (incl. group chats)",
        "online pesten",
        kiosk_allowed=True,
        pictogram="cyberbullying",
        follow_up_check=True,
        bullying=True,
    ),
    Category(
        "image_shared",
        "Iemand deelt een foto of filmpje van mij zonder te vragen",
        "Er wordt een foto of filmpje van mijn kind gedeeld zonder toestemming",
        "Beeldmateriaal gedeeld zonder toestemming",
        "Someone shares a photo or video of me without asking",
        "A photo or video of my child is shared without consent",
        "Images shared without consent",
        "het delen van een foto of filmpje zonder toestemming",
        kiosk_allowed=True,
        pictogram="camera",
        no_upload=True,
    ),
    Category(
        "harmful_content",
        "Ik zag iets engs, gemeens of vies online",
        "Mijn kind zag schadelijke inhoud online",
        "Schadelijke online inhoud (seksueel, racistisch, bedreigend, extreem)",
        "I saw something scary, mean or dirty online",
        "My child saw harmful content online",
        "Harmful online content (sexual, racist, threatening, extreme)",
        "schadelijke inhoud online",
        kiosk_allowed=True,
        pictogram="screen_warning",
        blur_evidence=True,
    ),
    Category(
        "threat_violence",
        "Iemand doet mij pijn of bedreigt mij",
        "Mijn kind wordt bedreigd of is mishandeld op school",
        "Geweld of bedreiging",
        "Someone hurts me or threatens me",
        "My child is threatened or was hurt at school",
        "Violence or threats",
        "geweld of bedreiging",
        kiosk_allowed=True,
        pictogram="hurt",
    ),
    Category(
        "adult_misconduct",
        "Een volwassene doet iets wat niet goed voelt",
        "Een medewerker of andere volwassene gedraagt zich niet goed",
        "Grensoverschrijdend gedrag van een volwassene",
        "An adult does something that does not feel right",
        "A staff member or another adult behaves inappropriately",
        "Misconduct by an adult",
        "grensoverschrijdend gedrag van een volwassene",
        kiosk_allowed=True,
        pictogram="adult",
        no_upload=True,
    ),
    Category(
        "home_concern",
        "Thuis is het niet fijn / ik maak me zorgen",
        "Ik maak me zorgen over de thuissituatie van een kind",
        "Zorg over de thuissituatie (meldcode)",
        "Things are not good at home / I am worried",
        "I am worried about a child's situation at home",
        "Concern about the home situation (reporting code)",
        "zorgen over de thuissituatie",
        kiosk_allowed=True,
        pictogram="home",
    ),
    Category(
        "phone_misuse",
        "Telefoon- of appgedoe in de klas",
        "Telefoon- of appgebruik in de klas",
        "Telefoon- of appgedoe in de klas",
        "Trouble with phones or apps in class",
        "Phone or app use in class",
        "Phone or app misuse in class",
        "telefoon- of appgedoe in de klas",
        kiosk_allowed=True,
        pictogram="phone",
    ),
    Category(
        "privacy_leak",
        "Vertrouwelijke gegevens of beeldmateriaal gelekt",
        "Vertrouwelijke gegevens of beelden van mijn kind zijn gelekt",
        "Vertrouwelijke gegevens of beeldmateriaal gelekt (mogelijk datalek)",
        "Confidential data or images leaked",
        "Confidential data or images of my child were leaked",
        "Confidential data or images leaked (possible data breach)",
        "een lek van vertrouwelijke gegevens of beeldmateriaal",
        kiosk_allowed=False,
        pictogram="lock_open",
        no_upload=True,
    ),
    Category(
        "other",
        "Iets anders",
        "Iets anders",
        "Overig",
        "Something else",
        "Something else",
        "Other",
        "iets anders",
        kiosk_allowed=True,
        pictogram="question",
    ),
)

CATEGORY_BY_KEY: dict[str, Category] = {c.key: c for c in CATEGORIES}

REPORTER_TYPES: tuple[str, ...] = ("child", "parent", "staff")
REPORTER_NL: dict[str, str] = {
    "child": "een kind",
    "parent": "een ouder",
    "staff": "een medewerker",
}
REPORTER_VERB_NL = "meldde"


def get_category(key: str) -> Category:
    """Return the category for key, or 'other' when unknown."""
    return CATEGORY_BY_KEY.get(key, CATEGORY_BY_KEY["other"])


def categories_for(reporter_type: str) -> tuple[Category, ...]:
    """Return the categories a reporter type may choose (kiosk for children)."""
    if reporter_type == "child":
        return tuple(c for c in CATEGORIES if c.kiosk_allowed)
    return CATEGORIES


def is_bullying(category: str) -> bool:
    """Return True when the category is bullying in some form (in person or online)."""
    cat = CATEGORY_BY_KEY.get(category)
    return bool(cat and cat.bullying)


def needs_follow_up_check(category: str) -> bool:
    """Return True when a resolved case of this category needs a follow-up check."""
    cat = CATEGORY_BY_KEY.get(category)
    return bool(cat and cat.follow_up_check)
