"""Pupils: who may see which child, the roles of a child in a case, and reading a groep.

Pure rules (no Flask, no session): the views, the import and the chronology ask these.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum


class LinkRole(StrEnum):
    """What a child is in a case; a report's own words are never changed by a link."""

    AFFECTED = "affected"
    INVOLVED = "involved"
    CAUSING = "causing"


# Roles that see every pupil of the school; a leerkracht sees the pupils of their own groups.
# The vertrouwenspersoon works sealed cases alone, so links children to them too.
ALL_PUPILS_ROLES = frozenset({"ib", "anti_pest", "directie", "vertrouwenspersoon"})
# Roles that see a summary (cases per category and role, this school year) on a chronology.
SUMMARY_ROLES = frozenset({"ib", "anti_pest", "directie"})


def sees_all_pupils(roles: frozenset[str]) -> bool:
    """Return whether a person with these roles may find every pupil of the school."""
    return bool(roles & ALL_PUPILS_ROLES)


def may_see_pupil(roles: frozenset[str], own_group_ids: frozenset[int],
                  pupil_group_id: int | None) -> bool:
    """Return whether a person may find this pupil: all of them, or those in their groups."""
    if sees_all_pupils(roles):
        return True
    return pupil_group_id is not None and pupil_group_id in own_group_ids


_GROUP = re.compile(r"^(?:groep|gr\.?|group)?\s*(\d{1,2})\s*(?:[/&+-]\s*(\d{1,2}))?\s*[a-z]?$")


def parse_group(text: str) -> int | None:
    """Return the groep number an export writes ("5", "Groep 5", "gr 5b", "7/8" -> 78)."""
    found = _GROUP.match(" ".join(text.lower().split()))
    if not found:
        return None
    first, second = found.groups()
    return int(first + second) if second else int(first)


def full_name(first: str, last: str) -> str:
    """Return a pupil's name as the school says it: roepnaam, tussenvoegsel and achternaam."""
    return " ".join(f"{first} {last}".split())


def name_key(name: str) -> str:
    """Return the form of a name used to match and search: lower case, single spaces."""
    return " ".join(name.casefold().split())



def school_year_start(today: date) -> date:
    """Return the first day of the school year that holds today (1 August, as in Dutch law)."""
    year = today.year if today.month >= 8 else today.year - 1
    return date(year, 8, 1)
