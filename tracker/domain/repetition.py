"""Repetition signals: when reports about the same children or place repeat (issue 15.4).

Bullying is repeated by definition, yet each report stands alone. Three patterns are told to
the anti-pestcoördinator, once per pattern (its key):
- a child linked as affected to a second bullying or cyberbullying case within N school days;
- the same pair again: one child affected, the other reported as causing it;
- several cases from the same place within a month.
Only bullying and cyberbullying cases take part: the coordinator is informed of the cases of
a pattern, and other cases (a concern about home, a threat) are not theirs to read. Sealed
(confidential) cases never take part: the signal must not reveal that they exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from tracker.domain.calendar import SchoolCalendar, add_months, local_date

BULLYING = frozenset({"bullying", "cyberbullying"})
AFFECTED, CAUSING = "affected", "causing"
DEFAULT_SCHOOL_DAYS = 20
DEFAULT_PLACE_COUNT = 3


@dataclass(frozen=True)
class CaseFact:
    """What the rules read of a case: never its content."""

    id: int
    at: datetime
    category: str
    confidential: bool = False
    location: str | None = None


def takes_part(fact: CaseFact) -> bool:
    """Return whether a case may be part of a pattern: bullying, and not sealed."""
    return fact.category in BULLYING and not fact.confidential


@dataclass(frozen=True)
class Pattern:
    kind: str  # repeat_affected | repeat_pair | place
    key: str
    case_ids: tuple[int, ...]


def within_school_days(cal: SchoolCalendar, a: datetime, b: datetime, days: int) -> bool:
    """Return whether the later of two moments falls within `days` school days of the other."""
    first, last = sorted((local_date(a), local_date(b)))
    return cal.school_days_between(first, last) <= days


def repeat_affected(pupil_id: int, cases: Sequence[CaseFact], trigger: int,
                    cal: SchoolCalendar, days: int = DEFAULT_SCHOOL_DAYS) -> Pattern | None:
    """Return the pattern when the trigger case and another bullying case of this child, both
    with the child affected, lie within `days` school days. `cases`: the child's cases in
    which it is affected."""
    bullying = {c.id: c for c in cases if takes_part(c)}
    this = bullying.get(trigger)
    if this is None:
        return None
    near = [c.id for c in bullying.values()
            if c.id != trigger and within_school_days(cal, c.at, this.at, days)]
    if not near:
        return None
    ids = tuple(sorted([*near, trigger]))
    return Pattern("repeat_affected", f"affected:{pupil_id}:{ids[0]}", ids)


def repeated_pairs(links: dict[int, Iterable[tuple[int, str]]], facts: dict[int, CaseFact],
                   trigger: int) -> list[Pattern]:
    """Return a pattern for each (affected, causing) pair of the trigger case that another
    case holds too. `links`: case id -> (pupil id, role) of the cases of these children."""
    def pairs(case_id: int) -> set[tuple[int, int]]:
        roles = list(links.get(case_id, ()))
        return {(a, c) for a, ra in roles if ra == AFFECTED for c, rc in roles if rc == CAUSING
                and a != c}

    if trigger not in facts or not takes_part(facts[trigger]):
        return []
    found = []
    for affected, causing in sorted(pairs(trigger)):
        ids = tuple(sorted(cid for cid in links if (affected, causing) in pairs(cid)
                           and cid in facts and takes_part(facts[cid])))
        if len(ids) > 1:
            found.append(Pattern("repeat_pair", f"pair:{affected}:{causing}", ids))
    return found


def same_place(cases: Sequence[CaseFact], trigger: CaseFact,
               count: int = DEFAULT_PLACE_COUNT) -> Pattern | None:
    """Return the pattern when `count` cases from the trigger's place fall within one month
    up to the trigger case. `cases`: recent cases (any place)."""
    if trigger.location is None or not takes_part(trigger):
        return None
    ids = tuple(sorted(c.id for c in cases
                       if c.location == trigger.location and takes_part(c)
                       and c.at <= trigger.at and add_months(c.at, 1) >= trigger.at))
    if trigger.id not in ids or len(ids) < count:
        return None
    return Pattern("place", f"place:{trigger.location}:{ids[0]}", ids)
