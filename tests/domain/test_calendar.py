"""School calendar, deadlines, quiet hours and holiday data."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from tracker.domain.calendar import (
    TZ,
    DeadlineKind,
    DeadlineSpec,
    SchoolCalendar,
    add_calendar_days,
    add_hours,
    add_months,
    add_school_days,
    build_calendar,
    is_quiet,
    national_holidays,
    quiet_release_time,
    same_day_deadline,
    school_holidays,
    school_years,
)


def ams(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    """Return an aware Europe/Amsterdam datetime."""
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


MIDDEN = build_calendar(
    school_holidays("midden", "2026-2027") + school_holidays("midden", "2027-2028")
)
PLAIN = build_calendar([], years=range(2026, 2029))  # national holidays only
BARE = SchoolCalendar()


@pytest.mark.parametrize(
    ("cal", "d", "expected"),
    [
        (BARE, date(2026, 9, 14), True),  # Monday
        (BARE, date(2026, 9, 19), False),  # Saturday
        (BARE, date(2026, 9, 20), False),  # Sunday
        (PLAIN, date(2027, 4, 27), False),  # Koningsdag (Tuesday)
        (PLAIN, date(2027, 5, 6), False),  # Hemelvaartsdag
        (PLAIN, date(2027, 5, 17), False),  # Tweede pinksterdag
        (PLAIN, date(2027, 3, 29), False),  # Tweede paasdag
        (PLAIN, date(2027, 1, 1), False),  # Nieuwjaarsdag
        (PLAIN, date(2027, 5, 7), True),  # Friday after Hemelvaart: school decides
        (MIDDEN, date(2026, 12, 21), False),  # kerstvakantie
        (MIDDEN, date(2027, 1, 4), True),  # first day back
        (MIDDEN, date(2026, 10, 19), False),  # herfstvakantie midden
        (BARE, date(2026, 12, 25), True),  # a bare calendar only knows weekends
    ],
)
def test_is_school_day(cal: SchoolCalendar, d: date, expected: bool) -> None:
    assert cal.is_school_day(d) is expected


@pytest.mark.parametrize(
    ("cal", "d", "expected"),
    [
        (BARE, date(2026, 9, 18), date(2026, 9, 21)),  # Fri -> Mon
        (BARE, date(2026, 9, 14), date(2026, 9, 15)),  # strictly after
        (MIDDEN, date(2026, 12, 18), date(2027, 1, 4)),  # over kerstvakantie
        (PLAIN, date(2027, 4, 26), date(2027, 4, 28)),  # over Koningsdag
        (PLAIN, date(2027, 5, 5), date(2027, 5, 7)),  # over Hemelvaart
        (PLAIN, date(2027, 12, 31), date(2028, 1, 3)),  # turn of the year
    ],
)
def test_next_school_day(cal: SchoolCalendar, d: date, expected: date) -> None:
    assert cal.next_school_day(d) == expected


@pytest.mark.parametrize(
    ("cal", "t", "n", "expected_local"),
    [
        # bullying report Friday before kerstvakantie, 1 school day to acknowledge
        (MIDDEN, ams(2026, 12, 18, 16), 1, ams(2027, 1, 4, 17)),
        (BARE, ams(2026, 9, 18, 16), 1, ams(2026, 9, 21, 17)),  # weekend
        (BARE, ams(2026, 9, 19, 11), 1, ams(2026, 9, 21, 17)),  # reported on Saturday
        (BARE, ams(2026, 9, 14, 23, 30), 1, ams(2026, 9, 15, 17)),  # late evening
        (BARE, ams(2026, 9, 14, 10), 10, ams(2026, 9, 28, 17)),
        (PLAIN, ams(2027, 4, 26, 10), 1, ams(2027, 4, 28, 17)),  # Koningsdag skipped
        (PLAIN, ams(2027, 5, 5, 10), 2, ams(2027, 5, 10, 17)),  # Hemelvaart skipped
        (PLAIN, ams(2026, 12, 31, 12), 1, ams(2027, 1, 4, 17)),  # Nieuwjaarsdag + weekend
        # summer time starts Sun 2027-03-28, ends Sun 2026-10-25: still 17:00 local
        (BARE, ams(2027, 3, 26, 12), 1, ams(2027, 3, 29, 17)),
        (BARE, ams(2026, 10, 23, 12), 1, ams(2026, 10, 26, 17)),
        (MIDDEN, ams(2026, 10, 23, 12), 1, ams(2026, 10, 26, 17)),
    ],
)
def test_add_school_days(cal: SchoolCalendar, t: datetime, n: int,
                         expected_local: datetime) -> None:
    due = add_school_days(cal, t, n)
    assert due == expected_local
    assert due.tzinfo is not None
    assert due.astimezone(TZ).hour == 17


@pytest.mark.parametrize(
    ("t", "utc_hour"),
    [
        (ams(2027, 3, 26, 12), 15),  # due Mon 29 March, CEST: 17:00 = 15:00 UTC
        (ams(2026, 10, 23, 12), 16),  # due Mon 26 October, CET: 17:00 = 16:00 UTC
    ],
)
def test_school_day_deadline_utc_offset_follows_dst(t: datetime, utc_hour: int) -> None:
    assert add_school_days(BARE, t, 1).astimezone(UTC).hour == utc_hour


@pytest.mark.parametrize(
    ("cal", "t", "expected_local"),
    [
        (BARE, ams(2026, 9, 14, 9), ams(2026, 9, 14, 17)),  # Monday morning: today
        (BARE, ams(2026, 9, 14, 16, 59), ams(2026, 9, 14, 17)),
        (BARE, ams(2026, 9, 14, 17), ams(2026, 9, 15, 17)),  # at 17:00: next day
        (BARE, ams(2026, 9, 14, 20), ams(2026, 9, 15, 17)),
        (BARE, ams(2026, 9, 19, 10), ams(2026, 9, 21, 17)),  # Saturday
        (BARE, ams(2026, 9, 18, 18), ams(2026, 9, 21, 17)),  # Friday evening
        (PLAIN, ams(2027, 4, 27, 10), ams(2027, 4, 28, 17)),  # on Koningsdag
        (MIDDEN, ams(2026, 12, 23, 10), ams(2027, 1, 4, 17)),  # in kerstvakantie
    ],
)
def test_same_day_deadline(cal: SchoolCalendar, t: datetime, expected_local: datetime) -> None:
    assert same_day_deadline(cal, t) == expected_local


@pytest.mark.parametrize(
    ("t", "hours", "expected_local"),
    [
        # 72h across the spring change: 71 wall-clock hours later
        (ams(2027, 3, 27, 12), 72, ams(2027, 3, 30, 13)),
        # 72h across the autumn change: 73 wall-clock hours later
        (ams(2026, 10, 24, 12), 72, ams(2026, 10, 27, 11)),
        (ams(2026, 9, 14, 12), 4, ams(2026, 9, 14, 16)),
        (ams(2027, 3, 28, 1, 30), 1, ams(2027, 3, 28, 3, 30)),  # 02:00-03:00 does not exist
    ],
)
def test_add_hours_is_real_time(t: datetime, hours: int, expected_local: datetime) -> None:
    due = add_hours(t, hours)
    assert due == expected_local
    assert due - t == timedelta(hours=hours)


@pytest.mark.parametrize(
    ("t", "n", "expected_local"),
    [
        (ams(2026, 9, 14, 10), 7, ams(2026, 9, 21, 17)),
        (ams(2026, 12, 28, 23), 7, ams(2027, 1, 4, 17)),  # over the turn of the year
        (ams(2026, 9, 18, 10), 1, ams(2026, 9, 19, 17)),  # calendar days include Saturday
    ],
)
def test_add_calendar_days(t: datetime, n: int, expected_local: datetime) -> None:
    assert add_calendar_days(t, n) == expected_local


@pytest.mark.parametrize(
    ("t", "n", "expected_local"),
    [
        (ams(2026, 9, 14, 10), 3, ams(2026, 12, 14, 17)),
        (ams(2026, 11, 30, 10), 3, ams(2027, 2, 28, 17)),  # clamped to month end
        (ams(2027, 5, 31, 10), 3, ams(2027, 8, 31, 17)),
        (ams(2027, 12, 15, 10), 1, ams(2028, 1, 15, 17)),
    ],
)
def test_add_months(t: datetime, n: int, expected_local: datetime) -> None:
    assert add_months(t, n) == expected_local


@pytest.mark.parametrize(
    ("cal", "t", "expected_local"),
    [
        (BARE, ams(2026, 9, 14, 10), ams(2026, 9, 14, 10)),  # school hours: now
        (BARE, ams(2026, 9, 14, 7, 30), ams(2026, 9, 14, 7, 30)),
        (BARE, ams(2026, 9, 14, 6), ams(2026, 9, 14, 7, 30)),  # early: same day 07:30
        (BARE, ams(2026, 9, 14, 17), ams(2026, 9, 15, 7, 30)),  # 17:00 is quiet
        (BARE, ams(2026, 9, 18, 19), ams(2026, 9, 21, 7, 30)),  # Friday evening
        (BARE, ams(2026, 9, 19, 12), ams(2026, 9, 21, 7, 30)),  # Saturday
        (MIDDEN, ams(2026, 12, 18, 18), ams(2027, 1, 4, 7, 30)),  # into kerstvakantie
        (PLAIN, ams(2027, 4, 27, 9), ams(2027, 4, 28, 7, 30)),  # Koningsdag
    ],
)
def test_quiet_release_time(cal: SchoolCalendar, t: datetime, expected_local: datetime) -> None:
    assert quiet_release_time(cal, t) == expected_local


@pytest.mark.parametrize(
    ("start", "end", "t", "expected_local"),
    [
        (time(18), time(8), ams(2026, 9, 14, 17, 30), ams(2026, 9, 14, 17, 30)),  # not yet quiet
        (time(18), time(8), ams(2026, 9, 14, 18), ams(2026, 9, 15, 8)),  # quiet from 18:00
        (time(18), time(8), ams(2026, 9, 14, 7, 45), ams(2026, 9, 14, 8)),  # until 08:00
        (time(18), time(8), ams(2026, 9, 14, 8), ams(2026, 9, 14, 8)),
        (time(16, 30), time(7, 30), ams(2026, 9, 14, 16, 45), ams(2026, 9, 15, 7, 30)),
        (time(21), time(6), ams(2026, 9, 18, 20), ams(2026, 9, 18, 20)),  # Friday evening
        (time(21), time(6), ams(2026, 9, 18, 21, 30), ams(2026, 9, 21, 6)),  # over the weekend
        (time(21), time(6), ams(2026, 9, 19, 12), ams(2026, 9, 21, 6)),  # Saturday stays quiet
    ],
)
def test_quiet_release_time_with_school_hours(start: time, end: time, t: datetime,
                                              expected_local: datetime) -> None:
    assert quiet_release_time(BARE, t, start, end) == expected_local
    assert is_quiet(BARE, t, start, end) is (expected_local != t)


@pytest.mark.parametrize(("start", "end"), [(time(7, 30), time(17)), (time(8), time(8))])
def test_quiet_hours_must_run_overnight(start: time, end: time) -> None:
    with pytest.raises(ValueError, match="overnight"):
        quiet_release_time(BARE, ams(2026, 9, 14, 10), start, end)


@pytest.mark.parametrize(
    ("text", "kind", "amount", "canonical", "dutch"),
    [
        ("1d", DeadlineKind.SCHOOL_DAYS, 1, "1d", "1 schooldag"),
        ("10d", DeadlineKind.SCHOOL_DAYS, 10, "10d", "10 schooldagen"),
        ("same_day", DeadlineKind.SAME_DAY, 0, "same_day", "dezelfde schooldag"),
        ("0d", DeadlineKind.SAME_DAY, 0, "same_day", "dezelfde schooldag"),
        ("4h", DeadlineKind.HOURS, 4, "4h", "4 uur"),
        ("72h", DeadlineKind.HOURS, 72, "72h", "72 uur"),
        ("7cd", DeadlineKind.CALENDAR_DAYS, 7, "7cd", "7 kalenderdagen"),
        ("3m", DeadlineKind.MONTHS, 3, "3m", "3 maanden"),
        ("", DeadlineKind.NONE, 0, "", "geen termijn"),
        (" 2D ", DeadlineKind.SCHOOL_DAYS, 2, "2d", "2 schooldagen"),
    ],
)
def test_deadline_spec_round_trip(text: str, kind: DeadlineKind, amount: int,
                                  canonical: str, dutch: str) -> None:
    spec = DeadlineSpec.parse(text)
    assert (spec.kind, spec.amount) == (kind, amount)
    assert str(spec) == canonical
    assert DeadlineSpec.parse(str(spec)) == spec
    assert spec.describe_nl() == dutch


@pytest.mark.parametrize("bad", ["x", "1", "d", "-1d", "1w", "1.5h", "same day"])
def test_deadline_spec_rejects_garbage(bad: str) -> None:
    with pytest.raises(ValueError, match="invalid deadline"):
        DeadlineSpec.parse(bad)


@pytest.mark.parametrize(
    ("text", "t", "expected_local"),
    [
        ("1d", ams(2026, 12, 18, 16), ams(2027, 1, 4, 17)),
        ("same_day", ams(2026, 12, 18, 16), ams(2026, 12, 18, 17)),
        ("4h", ams(2026, 12, 18, 16), ams(2026, 12, 18, 20)),
        ("7cd", ams(2026, 12, 18, 16), ams(2026, 12, 25, 17)),
        ("3m", ams(2026, 12, 18, 16), ams(2027, 3, 18, 17)),
        ("", ams(2026, 12, 18, 16), None),
    ],
)
def test_deadline_spec_due(text: str, t: datetime, expected_local: datetime | None) -> None:
    assert DeadlineSpec.parse(text).due(MIDDEN, t) == expected_local


def test_naive_datetimes_are_rejected() -> None:
    with pytest.raises(ValueError, match="aware"):
        add_school_days(BARE, datetime(2026, 9, 14, 10), 1)


@pytest.mark.parametrize(
    ("d", "name"),
    [
        (date(2027, 4, 27), "Koningsdag"),
        (date(2027, 5, 6), "Hemelvaartsdag"),
        (date(2027, 1, 1), "Nieuwjaarsdag"),
        (date(2026, 12, 25), "Eerste kerstdag"),
    ],
)
def test_national_holidays(d: date, name: str) -> None:
    assert national_holidays([d.year])[d] == name


@pytest.mark.parametrize("region", ["noord", "midden", "zuid"])
@pytest.mark.parametrize("year", ["2026-2027", "2027-2028"])
def test_school_holiday_table_is_complete(region: str, year: str) -> None:
    ranges = school_holidays(region, year)
    assert [r.name for r in ranges] == [
        "herfstvakantie", "kerstvakantie", "voorjaarsvakantie", "meivakantie", "zomervakantie",
    ]
    for r in ranges:
        assert r.start.weekday() == 5 and r.end.weekday() == 6, r  # Saturday to Sunday
        assert 8 <= (r.end - r.start).days + 1 <= 44
        assert r.note
    first, last = year.split("-")
    assert ranges[0].start.year == int(first) and ranges[-1].end.year == int(last)


@pytest.mark.parametrize("region", ["noord", "midden", "zuid"])
def test_kerstvakantie_2026_2027(region: str) -> None:
    kerst = school_holidays(region, "2026-2027")[1]
    assert (kerst.start, kerst.end, kerst.confirmed) == (date(2026, 12, 19), date(2027, 1, 3), True)


def test_school_years_listed() -> None:
    assert school_years() == ("2026-2027", "2027-2028")


@pytest.mark.parametrize(("region", "year"), [("west", "2026-2027"), ("midden", "2030-2031")])
def test_unknown_region_or_year(region: str, year: str) -> None:
    with pytest.raises(ValueError, match="unknown region|no school holidays"):
        school_holidays(region, year)


def test_build_calendar_adds_extra_days_and_holidays() -> None:
    cal = build_calendar(school_holidays("zuid", "2026-2027"), [date(2026, 11, 11)])
    assert not cal.is_school_day(date(2026, 11, 11))  # study day
    assert not cal.is_school_day(date(2027, 3, 29))  # Tweede paasdag from `holidays`
    assert cal.is_school_day(date(2026, 11, 12))
    assert cal.school_days_between(date(2026, 11, 10), date(2026, 11, 13)) == 2
