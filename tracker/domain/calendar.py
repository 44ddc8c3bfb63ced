"""School calendar and deadlines: school days, quiet hours, legal clocks.

Every datetime going in or out is timezone-aware. Results are returned in UTC;
wall-clock rules (17:00, 07:30) are applied in Europe/Amsterdam.

Deadline conventions:
- school days: ends at 17:00 local on the n-th school day after t's local date;
- same day: 17:00 local today if today is a school day and t is before 17:00,
  otherwise 17:00 local on the next school day;
- hours: exactly t + h real hours (DST-proof, for legal clocks);
- calendar days: ends at 17:00 local on t's local date + n days, whatever day that is;
- months: ends at 17:00 local on the same day of the month n months later
  (clamped to the month's last day, e.g. 31 May + 3 months -> 31 Aug, 30 Nov -> 28 Feb).
"""

from __future__ import annotations

import calendar as _stdcal
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays

TZ = ZoneInfo("Europe/Amsterdam")
END_OF_DAY = time(17, 0)
QUIET_END = time(7, 30)
_MAX_SCAN_DAYS = 400
REGIONS = ("noord", "midden", "zuid")
HOLIDAYS_FILE = Path(__file__).resolve().parent.parent / "data" / "school_holidays.json"


def _require_aware(t: datetime) -> None:
    """Reject naive datetimes."""
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware")


def local(t: datetime) -> datetime:
    """Return t converted to Europe/Amsterdam."""
    _require_aware(t)
    return t.astimezone(TZ)


def local_date(t: datetime) -> date:
    """Return the Europe/Amsterdam calendar date of t."""
    return local(t).date()


def at_local(d: date, wall: time) -> datetime:
    """Return the UTC moment of wall-clock time `wall` on local date d."""
    return datetime.combine(d, wall, tzinfo=TZ).astimezone(UTC)


@dataclass(frozen=True)
class SchoolCalendar:
    """Weekdays minus holidays and study days."""

    closed_days: frozenset[date] = frozenset()

    def is_school_day(self, d: date) -> bool:
        """Return True when d is Monday-Friday and not closed."""
        return d.weekday() < 5 and d not in self.closed_days

    def next_school_day(self, d: date) -> date:
        """Return the first school day strictly after d."""
        for offset in range(1, _MAX_SCAN_DAYS):
            candidate = d + timedelta(days=offset)
            if self.is_school_day(candidate):
                return candidate
        raise ValueError(f"no school day within {_MAX_SCAN_DAYS} days after {d}")

    def school_days(self, start: date, end: date) -> list[date]:
        """Return the school days from start to end, both inclusive."""
        return [
            start + timedelta(days=i)
            for i in range((end - start).days + 1)
            if self.is_school_day(start + timedelta(days=i))
        ]

    def school_days_between(self, start: date, end: date) -> int:
        """Count school days after start up to and including end."""
        if end <= start:
            return 0
        return len(self.school_days(start + timedelta(days=1), end))


def add_school_days(cal: SchoolCalendar, t: datetime, n: int) -> datetime:
    """Return 17:00 local on the n-th school day after t's local date."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return same_day_deadline(cal, t)
    d = local_date(t)
    for _ in range(n):
        d = cal.next_school_day(d)
    return at_local(d, END_OF_DAY)


def same_day_deadline(cal: SchoolCalendar, t: datetime) -> datetime:
    """Return 17:00 today if a school day before 17:00, else 17:00 next school day."""
    lt = local(t)
    if cal.is_school_day(lt.date()) and lt.time() < END_OF_DAY:
        return at_local(lt.date(), END_OF_DAY)
    return at_local(cal.next_school_day(lt.date()), END_OF_DAY)


def add_hours(t: datetime, h: int | float) -> datetime:
    """Return t plus exactly h real hours, in UTC."""
    _require_aware(t)
    return t.astimezone(UTC) + timedelta(hours=h)


def add_calendar_days(t: datetime, n: int) -> datetime:
    """Return 17:00 local on t's local date plus n calendar days."""
    return at_local(local_date(t) + timedelta(days=n), END_OF_DAY)


def add_months(t: datetime, n: int) -> datetime:
    """Return 17:00 local on the same day n months later, clamped to month end."""
    d = local_date(t)
    month_index = d.month - 1 + n
    year, month = d.year + month_index // 12, month_index % 12 + 1
    day = min(d.day, _stdcal.monthrange(year, month)[1])
    return at_local(date(year, month, day), END_OF_DAY)


def quiet_release_time(cal: SchoolCalendar, t: datetime, start: time = END_OF_DAY,
                       end: time = QUIET_END) -> datetime:
    """Return t outside quiet hours, else `end` local on the next (school) day.

    Quiet hours run overnight from `start` to `end` (default 17:00-07:30) and all day on
    days without school; `start` must be later in the day than `end`.
    """
    if start <= end:
        raise ValueError("quiet hours must run overnight: start after end")
    lt = local(t)
    if cal.is_school_day(lt.date()):
        if end <= lt.time() < start:
            return t.astimezone(UTC)
        if lt.time() < end:
            return at_local(lt.date(), end)
    return at_local(cal.next_school_day(lt.date()), end)


def is_quiet(cal: SchoolCalendar, t: datetime, start: time = END_OF_DAY,
             end: time = QUIET_END) -> bool:
    """Return True when t falls in quiet hours (mail must wait)."""
    return quiet_release_time(cal, t, start, end) != t.astimezone(UTC)


class DeadlineKind(StrEnum):
    """How a deadline is counted."""

    SCHOOL_DAYS = "school_days"
    SAME_DAY = "same_day"
    HOURS = "hours"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"
    NONE = "none"


_SUFFIX = {
    DeadlineKind.SCHOOL_DAYS: "d",
    DeadlineKind.HOURS: "h",
    DeadlineKind.CALENDAR_DAYS: "cd",
    DeadlineKind.MONTHS: "m",
}
_SPEC_RE = re.compile(r"^(\d{1,4})(d|h|cd|m)$")
_NL_UNITS = {
    DeadlineKind.SCHOOL_DAYS: ("schooldag", "schooldagen"),
    DeadlineKind.HOURS: ("uur", "uur"),
    DeadlineKind.CALENDAR_DAYS: ("kalenderdag", "kalenderdagen"),
    DeadlineKind.MONTHS: ("maand", "maanden"),
}


@dataclass(frozen=True)
class DeadlineSpec:
    """A deadline rule such as '1d', 'same_day', '4h', '7cd', '3m' or '' (none)."""

    kind: DeadlineKind
    amount: int = 0

    @classmethod
    def parse(cls, text: str | None) -> DeadlineSpec:
        """Parse the compact string form; raise ValueError when malformed."""
        s = (text or "").strip().lower()
        if s in ("", "none", "-"):
            return cls(DeadlineKind.NONE)
        if s == "same_day":
            return cls(DeadlineKind.SAME_DAY)
        match = _SPEC_RE.match(s)
        if not match:
            raise ValueError(f"invalid deadline spec: {text!r}")
        amount = int(match.group(1))
        kind = next(k for k, suffix in _SUFFIX.items() if suffix == match.group(2))
        if amount == 0 and kind is DeadlineKind.SCHOOL_DAYS:
            return cls(DeadlineKind.SAME_DAY)
        return cls(kind, amount)

    def __str__(self) -> str:
        """Return the compact string form."""
        if self.kind is DeadlineKind.NONE:
            return ""
        if self.kind is DeadlineKind.SAME_DAY:
            return "same_day"
        return f"{self.amount}{_SUFFIX[self.kind]}"

    def due(self, cal: SchoolCalendar, t: datetime) -> datetime | None:
        """Return the moment this deadline ends for something received at t."""
        match self.kind:
            case DeadlineKind.SCHOOL_DAYS:
                return add_school_days(cal, t, self.amount)
            case DeadlineKind.SAME_DAY:
                return same_day_deadline(cal, t)
            case DeadlineKind.HOURS:
                return add_hours(t, self.amount)
            case DeadlineKind.CALENDAR_DAYS:
                return add_calendar_days(t, self.amount)
            case DeadlineKind.MONTHS:
                return add_months(t, self.amount)
        return None

    def describe_nl(self) -> str:
        """Return a short Dutch description, e.g. '1 schooldag'."""
        if self.kind is DeadlineKind.NONE:
            return "geen termijn"
        if self.kind is DeadlineKind.SAME_DAY:
            return "dezelfde schooldag"
        singular, plural = _NL_UNITS[self.kind]
        return f"{self.amount} {singular if self.amount == 1 else plural}"


def parse_deadline(text: str | None) -> DeadlineSpec:
    """Parse a compact deadline string."""
    return DeadlineSpec.parse(text)


def due(spec: str | DeadlineSpec, cal: SchoolCalendar, t: datetime) -> datetime | None:
    """Return the due moment of spec (string or DeadlineSpec) for t."""
    parsed = spec if isinstance(spec, DeadlineSpec) else DeadlineSpec.parse(spec)
    return parsed.due(cal, t)


def iter_days(start: date, end: date) -> Iterator[date]:
    """Yield every date from start to end inclusive."""
    for i in range((end - start).days + 1):
        yield start + timedelta(days=i)


def years_spanning(days: Iterable[date]) -> range:
    """Return the range of years from the earliest to the latest day."""
    years = [d.year for d in days]
    return range(min(years), max(years) + 1) if years else range(0)


@dataclass(frozen=True)
class HolidayRange:
    """A named, inclusive range of closed days (e.g. kerstvakantie)."""

    name: str
    start: date
    end: date
    confirmed: bool = True
    note: str = ""

    def days(self) -> Iterator[date]:
        """Yield every day of the range."""
        return iter_days(self.start, self.end)


def national_holidays(years: Iterable[int]) -> dict[date, str]:
    """Return Dutch public holidays (Dutch names) for the given years."""
    return dict(holidays.Netherlands(years=list(years), language="nl"))


@cache
def _holiday_table() -> dict:
    """Load the shipped school holiday table."""
    return json.loads(HOLIDAYS_FILE.read_text(encoding="utf-8"))


def school_years() -> tuple[str, ...]:
    """Return the school years in the shipped table, e.g. '2026-2027'."""
    return tuple(sorted(_holiday_table()["school_years"]))


def school_holidays(region: str, school_year: str) -> tuple[HolidayRange, ...]:
    """Return the school holidays of a region ('noord', 'midden', 'zuid') in a school year."""
    if region not in REGIONS:
        raise ValueError(f"unknown region: {region!r}")
    try:
        rows = _holiday_table()["school_years"][school_year][region]
    except KeyError:
        raise ValueError(f"no school holidays known for {school_year!r}") from None
    return tuple(
        HolidayRange(
            name=row["name"],
            start=date.fromisoformat(row["start"]),
            end=date.fromisoformat(row["end"]),
            confirmed=bool(row.get("confirmed", False)),
            note=row.get("note", ""),
        )
        for row in rows
    )


def build_calendar(
    ranges: Iterable[HolidayRange],
    extra_closed_days: Iterable[date] = (),
    years: Iterable[int] | None = None,
) -> SchoolCalendar:
    """Return a SchoolCalendar closed on the ranges, extra days and national holidays.

    National holidays are added for `years`, or else for every year the ranges and
    extra days touch plus the following year.
    """
    closed = {d for r in ranges for d in r.days()} | set(extra_closed_days)
    if years is None:
        span = years_spanning(closed)
        years = range(span.start, span.stop + 1) if span else range(0)
    closed |= set(national_holidays(years))
    return SchoolCalendar(frozenset(closed))
