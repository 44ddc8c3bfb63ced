"""Category data per docs/DESIGN.md §3."""

from __future__ import annotations

import pytest

from tracker.domain.categories import (
    CATEGORIES,
    CATEGORY_BY_KEY,
    CategoryKey,
    categories_for,
    get_category,
    needs_follow_up_check,
)
from tracker.domain.rules import DEFAULT_RULES


def test_every_key_has_a_category_and_a_rule() -> None:
    assert [c.key for c in CATEGORIES] == [k.value for k in CategoryKey]
    assert {r.category for r in DEFAULT_RULES} == set(CATEGORY_BY_KEY)


@pytest.mark.parametrize(
    ("key", "child"),
    [
        ("bullying", "Ik word gepest / iemand wordt gepest"),
        ("cyberbullying", "Iemand doet gemeen online of in de app"),
        ("image_shared", "Iemand deelt een foto of filmpje van mij zonder te vragen"),
        ("harmful_content", "Ik zag iets engs, gemeens of vies online"),
        ("threat_violence", "Iemand doet mij pijn of bedreigt mij"),
        ("adult_misconduct", "Een volwassene doet iets wat niet goed voelt"),
        ("home_concern", "Thuis is het niet fijn / ik maak me zorgen"),
        ("phone_misuse", "Telefoon- of appgedoe in de klas"),
        ("other", "Iets anders"),
    ],
)
def test_child_wording_from_design(key: str, child: str) -> None:
    assert CATEGORY_BY_KEY[key].wording("child") == child
    assert CATEGORY_BY_KEY[key].wording("child", "en")


@pytest.mark.parametrize(
    ("reporter", "has_privacy_leak"),
    [("child", False), ("parent", True), ("staff", True)],
)
def test_privacy_leak_is_not_on_the_kiosk(reporter: str, has_privacy_leak: bool) -> None:
    keys = {c.key for c in categories_for(reporter)}
    assert ("privacy_leak" in keys) is has_privacy_leak
    assert len(keys) == (10 if has_privacy_leak else 9)


@pytest.mark.parametrize(
    ("key", "check"),
    [("bullying", True), ("cyberbullying", True), ("other", False), ("nonsense", False)],
)
def test_follow_up_check(key: str, check: bool) -> None:
    assert needs_follow_up_check(key) is check


def test_unknown_category_falls_back_to_other() -> None:
    assert get_category("nope").key == "other"
