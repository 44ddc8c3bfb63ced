"""Retention: how long a case's personal data is kept, and when it becomes due (docs/DESIGN.md §12).

Clocks run from events, not from creation: a case's clock starts when it closes and starts
again on new activity (a reopening, a message from or to the reporter). A legal hold stops it;
when the hold ends the clock starts again from that moment, so nothing is deleted the day a hold
lapses. Linked cases wait for each other: a group of linked cases becomes due together, when
every one of them is due and none is held.

No Dutch law fixes a period for incident files. The defaults below are the school's starting
point, each with the reason it rests on; the FG sets the school's own periods.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from tracker.domain.calendar import TZ
from tracker.domain.categories import CATEGORIES

# Rule keys beyond the categories: these beat the category rule.
CONFIDENTIAL = "confidential"
LEGAL_ROUTE = "legal_route"
LEGAL_ROUTES = frozenset({"legal_sexual", "legal_breach"})

# Timeline events that (re)start a closed case's clock.
RESTART_KINDS = frozenset({"closed", "reopened", "reopened_by_reporter", "message_to_reporter",
                           "closing_message", "reporter_message"})

MIN_DAYS = 1
MAX_DAYS = 36500  # a hundred years: anything longer is a typo

TWO_YEARS = 730
FIVE_YEARS = 1826

_PRACTICE = ("Geen wet noemt een termijn voor meldingen. Gangbare schoolpraktijk en de "
             "privacyhandreikingen van de PO-Raad volgen de oude vrijstellingsregel voor "
             "leerlinggegevens: twee jaar na afloop, daarna alleen nog geanonimiseerde cijfers. "
             "De AVG vraagt niet langer bewaren dan nodig (opslagbeperking).")
_MELDCODE = ("Meldcode huiselijk geweld en kindermishandeling: het dossier legt de vijf stappen, "
             "afwegingen en besluiten vast en moet die later kunnen verantwoorden, ook bij een "
             "nieuwe zorg over hetzelfde kind. De wet noemt geen termijn; vijf jaar na afsluiten "
             "is een veelgebruikte keuze. Het bestuur en de FG stellen hem vast.")
_LEGAL = ("Wettelijke route (zedenzaak met een medewerker, of een datalek): de AVG vraagt alle "
          "datalekken vast te leggen, en bij een zedenzaak kan aangifte, tucht- of "
          "arbeidsrechtelijke procedure volgen. Vijf jaar na afsluiten, de gangbare verjaring "
          "van een schadevordering; een lopende procedure krijgt een bewaarplicht (legal hold).")
_CONFIDENTIAL = ("Vertrouwelijke melding bij de vertrouwenspersoon (ook klokkenluidersmeldingen): "
                 "niet langer bewaren dan nodig en evenredig. Twee jaar na afsluiten, zoals "
                 "andere meldingen; de vertrouwenspersoon kan een bewaarplicht vragen.")
PUPIL_REASON = ("Leerlinggegevens: twee jaar nadat de leerling de school verliet, de oude "
                "vrijstellingsregel die scholen en de PO-Raad als richtlijn aanhouden.")


@dataclass(frozen=True)
class RetentionDefault:
    """A default period with the reason it rests on."""

    key: str
    days: int
    source: str


def default_rules() -> tuple[RetentionDefault, ...]:
    """Return the default period per category, then the confidential and legal-route rules."""
    rules = [RetentionDefault(c.key, FIVE_YEARS if c.key == "home_concern" else TWO_YEARS,
                              _MELDCODE if c.key == "home_concern" else _PRACTICE)
             for c in CATEGORIES]
    rules.append(RetentionDefault(CONFIDENTIAL, TWO_YEARS, _CONFIDENTIAL))
    rules.append(RetentionDefault(LEGAL_ROUTE, FIVE_YEARS, _LEGAL))
    return tuple(rules)


PUPIL_DEFAULT_DAYS = TWO_YEARS


def pupil_due(left_on: date | None, days: int, today: date) -> bool:
    """Return whether a pupil who left is past the pupil period (never while at school)."""
    return left_on is not None and left_on + timedelta(days=days) < today


OUTBOX_DEFAULT_DAYS = 30
ACCESS_LOG_DEFAULT_DAYS = TWO_YEARS
AUDIT_LOG_DEFAULT_DAYS = FIVE_YEARS * 2  # the audit log outlives what it records


class RetentionRefused(ValueError):
    """A retention change or deletion that must not happen; the message is Dutch."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_days(days: int) -> int:
    """Return a valid period in days, or refuse (zero days would delete at closing)."""
    if days < MIN_DAYS:
        raise RetentionRefused("Een bewaartermijn van minder dan één dag kan niet: dan "
                               "verdwijnt een melding bij het sluiten.")
    if days > MAX_DAYS:
        raise RetentionRefused("Een bewaartermijn van meer dan honderd jaar kan niet.")
    return days


def rule_key(category: str, *, confidential: bool, route: str) -> str:
    """Return the rule that governs a case: confidential, legal route, else its category."""
    if confidential:
        return CONFIDENTIAL
    if route in LEGAL_ROUTES:
        return LEGAL_ROUTE
    return category


@dataclass(frozen=True)
class Hold:
    """A legal hold on a case: active from `set_at` until released or past `ends_on`."""

    set_at: datetime
    ends_on: date | None = None
    released_at: datetime | None = None

    def ended_at(self) -> datetime | None:
        """Return when the hold stops holding (released, or the end of its last day, Dutch time)."""
        ends = [self.released_at] if self.released_at else []
        if self.ends_on is not None:
            ends.append(datetime.combine(self.ends_on + timedelta(days=1), datetime.min.time(),
                                         tzinfo=TZ))
        return min(ends, default=None)

    def active(self, now: datetime) -> bool:
        ended = self.ended_at()
        return self.set_at <= now and (ended is None or now < ended)


@dataclass(frozen=True)
class CaseClock:
    """What the rule needs to know about one case."""

    case_id: int
    rule: str
    closed: bool
    events: Sequence[tuple[str, datetime]] = ()  # (kind, at) of its timeline
    holds: Sequence[Hold] = ()
    links: frozenset[int] = field(default_factory=frozenset)
    erased: bool = False


def clock_start(clock: CaseClock, now: datetime | None = None) -> datetime | None:
    """Return when the case's retention clock last started, or None while it is open.

    A hold that ended (by `now`, when given) starts the clock again at its end; a hold still
    active does not move the clock, it keeps the case (see `due_list`).
    """
    if not clock.closed or clock.erased:
        return None
    starts = [at for kind, at in clock.events if kind in RESTART_KINDS]
    starts += [end for h in clock.holds
               if (end := h.ended_at()) is not None and (now is None or end <= now)]
    return max(starts, default=None)


def due_at(clock: CaseClock, days: Mapping[str, int],
           now: datetime | None = None) -> datetime | None:
    """Return when the case's own clock runs out (active holds and links aside)."""
    start = clock_start(clock, now)
    if start is None or clock.rule not in days:
        return None
    return start + timedelta(days=days[clock.rule])


@dataclass(frozen=True)
class DueList:
    """What may be deleted now, and what is kept only because of a hold."""

    due: tuple[int, ...]
    held: tuple[int, ...]


def _groups(clocks: Mapping[int, CaseClock]) -> list[set[int]]:
    """Return the linked groups (links in either direction; links to unknown cases ignored)."""
    seen: set[int] = set()
    groups = []
    for start in sorted(clocks):
        if start in seen:
            continue
        group, todo = set(), [start]
        while todo:
            cid = todo.pop()
            if cid in group or cid not in clocks:
                continue
            group.add(cid)
            todo.extend(clocks[cid].links)
            todo.extend(o for o, c in clocks.items() if cid in c.links)
        seen |= group
        groups.append(group)
    return groups


def due_list(clocks: Iterable[CaseClock], days: Mapping[str, int], now: datetime) -> DueList:
    """Return the cases due for deletion at `now`, and those only a hold keeps.

    A case is due when its clock ran out, it is not held, and every case linked to it (also
    through others) is due too. A case whose clock ran out but which is held, or which waits
    for a held linked case, is listed as held.
    """
    by_id = {c.case_id: c for c in clocks if not c.erased}
    ripe = {cid for cid, c in by_id.items()
            if (when := due_at(c, days, now)) is not None and when <= now}
    held_self = {cid for cid, c in by_id.items() if any(h.active(now) for h in c.holds)}
    due, held = [], []
    for group in _groups(by_id):
        if not group <= ripe:
            continue
        if group & held_self:
            held.extend(group)
        else:
            due.extend(group)
    return DueList(due=tuple(sorted(due)), held=tuple(sorted(held)))


def counts_per_rule(rules: Mapping[int, str], case_ids: Iterable[int]) -> dict[str, int]:
    """Return how many of the cases fall under each rule key (for the FG's list)."""
    counts: dict[str, int] = {}
    for cid in case_ids:
        counts[rules[cid]] = counts.get(rules[cid], 0) + 1
    return dict(sorted(counts.items()))


def fingerprint(due: Iterable[int], starts: Mapping[int, datetime | None]) -> str:
    """Return a short digest of a due list as shown: approval of a changed list is refused."""
    import hashlib

    text = ";".join(f"{cid}@{starts.get(cid).isoformat() if starts.get(cid) else ''}"
                    for cid in sorted(due))
    return hashlib.sha256(text.encode()).hexdigest()[:32]
