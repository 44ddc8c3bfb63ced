"""Repetition patterns as tables: the same child, the same pair, the same place (issue 15.4)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from tracker.domain.calendar import TZ, SchoolCalendar
from tracker.domain.repetition import CaseFact, repeat_affected, repeated_pairs, same_place

# Autumn holiday 2026 (regio midden): 19-23 October.
CAL = SchoolCalendar(frozenset(date(2026, 10, d) for d in range(19, 24)))


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, tzinfo=TZ)


@pytest.mark.parametrize(("earlier", "category", "confidential", "signal"), [
    (at(9, 14), "bullying", False, True),  # same week
    (at(9, 14), "cyberbullying", False, True),
    (at(8, 17), "bullying", False, False),  # more than 20 school days before 5 October
    (at(9, 7), "bullying", False, True),  # exactly 20 school days
    (at(9, 4), "bullying", False, False),  # 21 school days
    (at(9, 14), "phone_misuse", False, False),  # not bullying
    (at(9, 14), "bullying", True, False),  # a sealed case never takes part
])
def test_a_child_affected_twice_within_twenty_school_days(earlier, category, confidential,
                                                          signal):
    cases = [CaseFact(1, earlier, category, confidential), CaseFact(2, at(10, 5), "bullying")]
    found = repeat_affected(7, cases, 2, CAL, 20)
    assert (found is not None) is signal
    if found:
        assert found.key == "affected:7:1" and found.case_ids == (1, 2)


def test_school_holidays_do_not_count_as_school_days():
    # 9 October to 6 November: 20 weekdays, minus the autumn week = 15 school days.
    cases = [CaseFact(1, at(10, 9), "bullying"), CaseFact(2, at(11, 6), "bullying")]
    assert repeat_affected(7, cases, 2, CAL, 15) is not None
    assert repeat_affected(7, cases, 2, CAL, 14) is None


@pytest.mark.parametrize(("other", "found"), [
    ([(1, "affected"), (2, "causing")], ["pair:1:2"]),
    ([(2, "affected"), (1, "causing")], []),  # the roles the other way round: another pair
    ([(1, "affected"), (2, "involved")], []),
    ([(1, "affected"), (2, "causing"), (3, "causing")], ["pair:1:2"]),
])
def test_the_same_pair_again(other, found):
    links = {10: [(1, "affected"), (2, "causing")], 11: other}
    facts = {10: CaseFact(10, at(9, 14), "bullying"),
             11: CaseFact(11, at(11, 1), "cyberbullying")}
    assert [p.key for p in repeated_pairs(links, facts, 11)] == found


@pytest.mark.parametrize(("category", "confidential"), [
    ("bullying", True),  # a sealed case never takes part
    ("home_concern", False),  # not the coordinator's to read
])
def test_the_same_pair_outside_the_coordinators_cases_is_not_signalled(category, confidential):
    links = {10: [(1, "affected"), (2, "causing")], 11: [(1, "affected"), (2, "causing")]}
    facts = {10: CaseFact(10, at(9, 14), category, confidential=confidential),
             11: CaseFact(11, at(11, 1), "bullying")}
    assert repeated_pairs(links, facts, 11) == []


@pytest.mark.parametrize(("days", "places", "first", "count", "signal"), [
    ((1, 10, 20), ("online",) * 3, "bullying", 3, True),
    ((1, 10), ("online",) * 2, "bullying", 3, False),
    ((1, 10, 20), ("online", "school", "online"), "bullying", 3, False),
    ((1, 10, 20), ("online",) * 3, "bullying", 4, False),
    ((1, 10, 20), ("online",) * 3, "phone_misuse", 3, False),
])
def test_cases_from_the_same_place_within_a_month(days, places, first, count, signal):
    cases = [CaseFact(i, at(9, d), first if i == 1 else "cyberbullying", location=p)
             for i, (d, p) in enumerate(zip(days, places, strict=True), start=1)]
    found = same_place(cases, cases[-1], count)
    assert (found is not None) is signal


def test_a_case_from_over_a_month_ago_does_not_count():
    cases = [CaseFact(1, at(8, 30), "bullying", location="online"),
             CaseFact(2, at(9, 10), "bullying", location="online"),
             CaseFact(3, at(10, 1), "bullying", location="online")]
    assert same_place(cases, cases[-1], 3) is None
    assert same_place(cases, cases[-1], 2).key == "place:online:2"
