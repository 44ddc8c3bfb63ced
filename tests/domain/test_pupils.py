"""Pupil rules as tables: reading a groep, who may find a pupil, the retention of leavers."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.domain.pupils import may_see_pupil, name_key, parse_group, school_year_start
from tracker.domain.retention import pupil_due


@pytest.mark.parametrize(("text", "number"), [
    ("5", 5), ("Groep 5", 5), ("groep 5b", 5), ("gr. 3", 3), ("7/8", 78), ("Groep 1-2", 12),
    ("  GROEP   8 ", 8), ("", None), ("vijf", None), ("Groep 123", None), ("5 6 7", None),
])
def test_parse_group(text, number):
    assert parse_group(text) == number


@pytest.mark.parametrize(("roles", "own", "group", "sees"), [
    ({"leerkracht"}, {5}, 5, True),
    ({"leerkracht"}, {5}, 6, False),
    ({"leerkracht"}, {5}, None, False),
    ({"ib"}, set(), 6, True),
    ({"anti_pest"}, set(), None, True),
    ({"directie"}, set(), 6, True),
    ({"vertrouwenspersoon"}, set(), 6, True),
    ({"fg"}, set(), 6, False),
    ({"admin"}, set(), 6, False),
    ({"bestuur", "leerkracht"}, {6}, 6, True),
])
def test_who_may_find_a_pupil(roles, own, group, sees):
    assert may_see_pupil(frozenset(roles), frozenset(own), group) is sees


@pytest.mark.parametrize(("left_on", "days", "today", "due"), [
    (None, 730, date(2030, 1, 1), False),
    (date(2026, 7, 10), 730, date(2028, 7, 9), False),
    (date(2026, 7, 10), 730, date(2028, 7, 10), True),
    (date(2026, 7, 10), 30, date(2026, 8, 10), True),
])
def test_a_pupil_who_left_is_due_after_the_setting(left_on, days, today, due):
    assert pupil_due(left_on, days, today) is due


def test_name_key_ignores_case_and_spacing():
    assert name_key("  Sanne  de VRIES ") == name_key("sanne de vries")


@pytest.mark.parametrize(("today", "start"), [
    (date(2026, 12, 2), date(2026, 8, 1)), (date(2027, 7, 31), date(2026, 8, 1)),
    (date(2027, 8, 1), date(2027, 8, 1)),
])
def test_the_school_year_starts_on_the_first_of_august(today, start):
    assert school_year_start(today) == start
