"""Retention clocks, holds and linked cases (docs/DESIGN.md §12), as tables."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tracker.domain.categories import CATEGORIES
from tracker.domain.retention import (
    CONFIDENTIAL,
    LEGAL_ROUTE,
    CaseClock,
    Hold,
    RetentionRefused,
    check_days,
    clock_start,
    counts_per_rule,
    default_rules,
    due_list,
    fingerprint,
    rule_key,
)

T0 = datetime(2024, 1, 10, 12, tzinfo=UTC)
DAYS = {"bullying": 730, "home_concern": 1826, CONFIDENTIAL: 730, LEGAL_ROUTE: 1826}


def d(days: int) -> datetime:
    return T0 + timedelta(days=days)


def clock(cid=1, rule="bullying", closed=True, events=(("closed", T0),), holds=(), links=()):
    return CaseClock(cid, rule, closed, tuple(events), tuple(holds), frozenset(links))


@pytest.mark.parametrize(("case", "expected"), [
    # open cases have no clock, whatever happened before
    (clock(closed=False), None),
    (clock(events=(("created", d(-30)), ("closed", T0))), T0),
    # a reopening and a new close: the last close counts
    (clock(events=(("closed", T0), ("reopened", d(100)), ("closed", d(120)))), d(120)),
    # a message after closing restarts the clock
    (clock(events=(("closed", T0), ("reporter_message", d(300)))), d(300)),
    (clock(events=(("closed", T0), ("message_to_reporter", d(5)))), d(5)),
    # notes, views and escalations are not activity that keeps the data
    (clock(events=(("closed", T0), ("note", d(50)), ("escalated", d(60)))), T0),
    # a hold that ended after closing restarts the clock at its end
    (clock(holds=[Hold(d(10), released_at=d(400))]), d(400)),
    (clock(holds=[Hold(d(-50), released_at=d(-10))]), T0),
])
def test_clock_starts_at_close_and_restarts_on_activity(case, expected):
    assert clock_start(case) == expected


@pytest.mark.parametrize(("clocks", "now", "due", "held"), [
    # two years after closing: not a day early
    ([clock()], d(729), [], []),
    ([clock()], d(730), [1], []),
    # meldcode cases wait five years
    ([clock(rule="home_concern")], d(1000), [], []),
    ([clock(rule="home_concern")], d(1826), [1], []),
    # open: never due
    ([clock(closed=False)], d(5000), [], []),
    # an active hold keeps a due case, and it is shown as held
    ([clock(holds=[Hold(d(10))])], d(800), [], [1]),
    # a hold with an end date holds until the end of that day, then the clock starts again
    ([clock(holds=[Hold(d(10), ends_on=date(2026, 6, 1))])], d(800), [], [1]),
    ([clock(holds=[Hold(d(10), ends_on=date(2026, 6, 1))])],
     datetime(2026, 6, 2, 12, tzinfo=UTC), [], []),
    ([clock(holds=[Hold(d(10), ends_on=date(2026, 6, 1))])],
     datetime(2028, 6, 2, 12, tzinfo=UTC), [1], []),
    # a released hold: the clock runs from the release
    ([clock(holds=[Hold(d(10), released_at=d(700))])], d(800), [], []),
    ([clock(holds=[Hold(d(10), released_at=d(700))])], d(1430), [1], []),
    # linked cases wait for each other ...
    ([clock(1, links=[2]), clock(2, events=(("closed", d(300)),))], d(800), [], []),
    ([clock(1, links=[2]), clock(2, events=(("closed", d(300)),))], d(1030), [1, 2], []),
    # ... also through a third case, and a link recorded on one side is enough
    ([clock(1, links=[2]), clock(2), clock(3, links=[2], closed=False)], d(900), [], []),
    # a held linked case keeps the whole group (both listed as held)
    ([clock(1, links=[2]), clock(2, holds=[Hold(d(1))])], d(900), [], [1, 2]),
    # unrelated cases do not wait
    ([clock(1), clock(2, closed=False)], d(900), [1], []),
    # a link to a case that is gone (already a tombstone) does not block
    ([clock(1, links=[9])], d(900), [1], []),
])
def test_due_list(clocks, now, due, held):
    result = due_list(clocks, DAYS, now)
    assert (list(result.due), list(result.held)) == (due, held)


def test_erased_cases_are_never_listed_again():
    gone = CaseClock(1, "bullying", True, (("closed", T0),), erased=True)
    assert due_list([gone], DAYS, d(5000)).due == ()


@pytest.mark.parametrize(("category", "confidential", "route", "expected"), [
    ("bullying", False, "rule", "bullying"),
    ("home_concern", False, "legal_danger", "home_concern"),  # meldcode rule
    ("adult_misconduct", False, "legal_sexual", LEGAL_ROUTE),
    ("privacy_leak", False, "legal_breach", LEGAL_ROUTE),
    ("adult_misconduct", True, "confidential", CONFIDENTIAL),
])
def test_which_rule_governs_a_case(category, confidential, route, expected):
    assert rule_key(category, confidential=confidential, route=route) == expected


@pytest.mark.parametrize(("days", "ok"), [(0, False), (-1, False), (1, True), (730, True),
                                          (36500, True), (36501, False)])
def test_a_period_of_zero_days_is_refused(days, ok):
    if ok:
        assert check_days(days) == days
    else:
        with pytest.raises(RetentionRefused):
            check_days(days)


def test_every_category_has_a_default_with_its_reason():
    rules = {r.key: r for r in default_rules()}
    assert set(rules) == {c.key for c in CATEGORIES} | {CONFIDENTIAL, LEGAL_ROUTE}
    assert rules["bullying"].days == 730
    assert rules["home_concern"].days > rules["bullying"].days
    assert rules[LEGAL_ROUTE].days > rules["bullying"].days
    assert all(len(r.source) > 40 for r in rules.values())


def test_counts_and_fingerprint():
    assert counts_per_rule({1: "bullying", 2: "other", 3: "bullying"}, [1, 2, 3]) == {
        "bullying": 2, "other": 1}
    shown = fingerprint([1, 2], {1: T0, 2: T0})
    assert shown == fingerprint([2, 1], {1: T0, 2: T0})
    assert shown != fingerprint([1, 2, 3], {1: T0, 2: T0, 3: T0})  # a case became due
    assert shown != fingerprint([1, 2], {1: T0, 2: d(1)})  # a clock restarted
