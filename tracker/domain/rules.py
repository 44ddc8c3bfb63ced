"""Routing rules and the seeded defaults (docs/DESIGN.md §4)."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.calendar import DeadlineSpec


@dataclass(frozen=True)
class Rule:
    """One category x reporter-type rule; lower priority numbers are tried first."""

    id: int | None
    priority: int
    category: str
    reporter_types: frozenset[str]
    primary_role: str
    informed_roles: tuple[str, ...]
    ack: str
    resolve: str
    chain: tuple[str, ...]
    enabled: bool = True
    urgent: bool = False

    def matches(self, category: str, reporter_type: str) -> bool:
        """Return True when this enabled rule applies to the category and reporter."""
        return (
            self.enabled
            and self.category in (category, "*")
            and (not self.reporter_types or reporter_type in self.reporter_types)
        )

    def validate(self) -> None:
        """Raise ValueError when the deadline strings do not parse."""
        DeadlineSpec.parse(self.ack)
        DeadlineSpec.parse(self.resolve)


ANY: frozenset[str] = frozenset()
_BULLY_CHAIN = ("ib", "directie", "bestuur")

DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(1, 10, "bullying", ANY, "leerkracht", ("anti_pest",), "1d", "10d", _BULLY_CHAIN),
    Rule(2, 20, "cyberbullying", ANY, "leerkracht", ("anti_pest",), "1d", "10d", _BULLY_CHAIN),
    Rule(
        3, 30, "image_shared", ANY, "anti_pest", ("leerkracht",), "1d", "10d",
        ("directie", "bestuur"),
    ),
    Rule(
        4, 40, "harmful_content", ANY, "leerkracht", ("anti_pest",), "1d", "5d",
        ("directie", "bestuur"),
    ),
    Rule(
        5, 50, "threat_violence", ANY, "directie", ("leerkracht",), "same_day", "5d",
        ("bestuur",), urgent=True,
    ),
    Rule(
        6, 60, "adult_misconduct", ANY, "directie", ("vertrouwenspersoon",), "2d", "20d",
        ("bestuur",),
    ),
    Rule(7, 70, "home_concern", ANY, "ib", ("directie",), "same_day", "", ("directie",)),
    Rule(8, 80, "phone_misuse", ANY, "leerkracht", (), "3d", "10d", ("directie",)),
    Rule(9, 90, "privacy_leak", ANY, "fg", ("directie",), "same_day", "10d", ("bestuur",)),
    Rule(10, 1000, "other", ANY, "ib", (), "2d", "10d", ("directie",)),
)

# Used when no enabled rule matches at all (e.g. the admin disabled 'other').
FALLBACK_RULE = Rule(None, 10**6, "*", ANY, "ib", (), "2d", "10d", ("directie",))


def first_matching(rules: tuple[Rule, ...] | list[Rule], category: str,
                   reporter_type: str) -> Rule | None:
    """Return the first enabled rule, by priority then id, matching the report."""
    ordered = sorted(rules, key=lambda r: (r.priority, r.id if r.id is not None else 0))
    return next((r for r in ordered if r.matches(category, reporter_type)), None)
