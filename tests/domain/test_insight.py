"""Insight rules (issue 14): periods, school years, months, percentiles, suppression."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from tracker.domain.insight import (
    Period,
    PeriodError,
    Shown,
    checked_period,
    hidden_cells,
    months,
    parse_period,
    percentile,
    rank_positions,
    school_year,
    school_year_of,
    suppress,
    suppress_share,
)
from tracker.domain.permissions import Viewer, overviews


@pytest.mark.parametrize(("start", "end", "days"), [
    ("2026-08-01", "2026-08-01", 1),
    ("2026-08-01", "2027-07-31", 365),
    ("2020-08-01", "2025-07-31", 1826),  # five years, to the day
])
def test_a_period_holds_its_days(start, end, days):
    assert parse_period(start, end).days == days


@pytest.mark.parametrize(("start", "end", "words"), [
    ("2026-09-02", "2026-09-01", "vóór de begindatum"),
    ("2020-08-01", "2025-08-01", "hoogstens 5 jaar"),
    ("2026-13-01", "2026-12-01", "De begindatum '2026-13-01' is geen datum"),
    ("", "2026-12-01", "De begindatum '' is geen datum"),
    ("2026-09-01", "morgen", "De einddatum 'morgen' is geen datum"),
])
def test_a_bad_period_is_refused_in_words(start, end, words):
    with pytest.raises(PeriodError, match=words):
        parse_period(start, end)


@pytest.mark.parametrize(("day", "utc"), [
    # Local midnight: CEST (+2) in summer, CET (+1) in winter.
    (date(2026, 8, 1), datetime(2026, 7, 31, 22, tzinfo=UTC)),
    (date(2027, 1, 1), datetime(2026, 12, 31, 23, tzinfo=UTC)),
])
def test_a_period_starts_at_local_midnight(day, utc):
    assert Period(day, day).utc_bounds()[0] == utc


@pytest.mark.parametrize(("label", "start", "end"), [
    ("2026-2027", date(2026, 8, 1), date(2027, 7, 31)),
    (" 2030-2031 ", date(2030, 8, 1), date(2031, 7, 31)),
])
def test_school_years(label, start, end):
    assert school_year(label) == Period(start, end)


@pytest.mark.parametrize("label", ["2026-2028", "2026", "26-27", "", None, "1999-2000",
                                   "2027-2026"])
def test_a_school_year_that_does_not_exist(label):
    with pytest.raises(PeriodError, match="bestaat niet"):
        school_year(label)


@pytest.mark.parametrize(("day", "label"), [
    (date(2026, 7, 31), "2025-2026"), (date(2026, 8, 1), "2026-2027"),
    (date(2027, 1, 15), "2026-2027"),
])
def test_the_school_year_of_a_day(day, label):
    assert school_year_of(day) == label


def test_the_year_before_keeps_the_days_and_handles_a_leap_day():
    assert Period(date(2028, 2, 29), date(2028, 3, 1)).year_before() == Period(
        date(2027, 2, 28), date(2027, 3, 1))


def test_months_are_clipped_to_the_period():
    got = months(checked_period(date(2026, 9, 15), date(2026, 11, 2)))
    assert [m.first for m in got] == [date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1)]
    assert got[0].start == datetime(2026, 9, 14, 22, tzinfo=UTC)  # 15 Sept, local midnight
    assert got[0].end == got[1].start == datetime(2026, 9, 30, 22, tzinfo=UTC)
    assert got[-1].end == datetime(2026, 11, 2, 23, tzinfo=UTC)  # after 2 Nov, CET
    assert len(months(school_year("2026-2027"))) == 12


@pytest.mark.parametrize(("values", "p", "expected"), [
    ([5], 50, 5), ([5], 90, 5),
    ([1, 2, 3, 6, 72], 50, 3), ([1, 2, 3, 6, 72], 90, 45.6),
    ([4, 30], 50, 17), ([4, 30], 90, 27.4),
    ([3, 1, 2, 4], 50, 2.5), ([], 50, None),
])
def test_percentiles_interpolate_between_ranks(values, p, expected):
    result = percentile(values, p)
    assert result == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize(("n", "p", "positions"), [
    (1, 50, (0, 0, 0.0)), (5, 50, (2, 3, 0.0)), (4, 50, (1, 2, 0.5)), (10, 100, (9, 9, 0.0)),
])
def test_rank_positions(n, p, positions):
    assert rank_positions(n, p) == pytest.approx(positions)


@pytest.mark.parametrize(("count", "threshold", "shown"), [
    (0, 5, Shown(0)), (1, 5, Shown(None, below=5)), (4, 5, Shown(None, below=5)),
    (5, 5, Shown(5)), (2, 3, Shown(None, below=3)), (3, 3, Shown(3)),
])
def test_small_counts_are_suppressed(count, threshold, shown):
    assert suppress(count, threshold) == shown


@pytest.mark.parametrize(("part", "whole", "share"), [
    (5, 10, 0.5), (0, 10, 0.0), (10, 10, 1.0),
    (2, 10, None),  # the part is small
    (8, 10, None),  # the rest is small: 2 people did not
    (2, 4, None),   # the whole is small
])
def test_shares_hide_small_parts(part, whole, share):
    assert suppress_share(part, whole) == share


@pytest.mark.parametrize(("counts", "hidden"), [
    ([6, 1, 1], [True, True, True]),   # 1 + 1 = 2 could be read off the total: hide the 6 too
    ([10, 3, 2], [False, True, True]),  # the hidden ones hold 5: nobody is pinned down
    ([10, 3], [True, True]),            # one small cell beside a shown one: hide that one too
    ([10, 7, 3], [False, True, True]),  # the smallest shown count joins the hidden 3
    ([10, 0, 5], [False, False, False]),
    ([2, 1], [True, True]),             # everything hidden; the total says the rest
    ([], []),
])
def test_hidden_cells_never_let_the_total_give_a_small_count_away(counts, hidden):
    assert hidden_cells(counts) == hidden


@pytest.mark.parametrize(("roles", "kinds"), [
    ({"directie"}, ("ordinary",)), ({"ib"}, ("ordinary",)), ({"anti_pest"}, ("ordinary",)),
    ({"fg"}, ("ordinary",)), ({"vertrouwenspersoon"}, ("sealed",)),
    ({"ib", "vertrouwenspersoon"}, ("ordinary", "sealed")),
    ({"leerkracht"}, ()), ({"admin"}, ()), ({"bestuur"}, ()),
])
def test_who_has_which_overview(roles, kinds):
    assert overviews(Viewer(id=1, roles=frozenset(roles))) == kinds
