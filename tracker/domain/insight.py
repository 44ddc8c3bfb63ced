"""Insight (issue 14): periods, school years, percentiles and small-number suppression.

Pure rules, no Flask and no session: the SQL aggregation (tracker/insight/service.py) asks
these for its month bounds and percentile positions, so Python and SQL agree by construction.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from tracker.domain.calendar import TZ
from tracker.domain.messages import Message

MAX_YEARS = 5
DEFAULT_THRESHOLD = 5
# A school year runs from 1 August to 31 July (the summer holiday falls in both halves, but
# schools, the Inspectie and DUO all count from 1 August).
YEAR_START_MONTH = 8
_SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class PeriodError(ValueError):
    """The period asked for cannot be shown; the message is for the person who asked."""


@dataclass(frozen=True)
class Period:
    """A range of whole days, both ends included, in school time (Europe/Amsterdam)."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """Return [start, end) as aware UTC moments: local midnight to the midnight after."""
        return _midnight(self.start), _midnight(date.fromordinal(self.end.toordinal() + 1))

    def year_before(self) -> Period:
        """Return the same days one year earlier (29 February becomes 28 February)."""
        return Period(_year_earlier(self.start), _year_earlier(self.end))


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=TZ).astimezone(UTC)


def _year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def checked_period(start: date, end: date) -> Period:
    """Return the period, or raise PeriodError when it is empty or longer than five years."""
    if end < start:
        raise PeriodError("De einddatum ligt vóór de begindatum: kies een periode van minstens "
                          "één dag.")
    if end >= _add_years(start, MAX_YEARS):
        raise PeriodError(Message("Kies een periode van hoogstens %(n)d jaar.", n=MAX_YEARS))
    return Period(start, end)


def parse_day(text: str | None, which: str) -> date:
    """Return the date written as YYYY-MM-DD, or raise PeriodError naming which end it is
    ('begindatum' or 'einddatum')."""
    text = (text or "").strip()
    try:
        if _DAY.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    template = {"begindatum": "De begindatum '%(value)s' is geen datum: schrijf JJJJ-MM-DD, "
                              "bijvoorbeeld 2026-08-01.",
                "einddatum": "De einddatum '%(value)s' is geen datum: schrijf JJJJ-MM-DD, "
                             "bijvoorbeeld 2026-08-01."}[which]
    raise PeriodError(Message(template, value=text[:40]))


def parse_period(start: str | None, end: str | None) -> Period:
    """Return the period between two YYYY-MM-DD texts, or raise PeriodError."""
    return checked_period(parse_day(start, "begindatum"), parse_day(end, "einddatum"))


def school_year(label: str | None) -> Period:
    """Return the period of a school year written '2026-2027', or raise PeriodError."""
    match = _SCHOOL_YEAR.match((label or "").strip())
    if not match or int(match[2]) != int(match[1]) + 1 or not 2000 <= int(match[1]) < 2100:
        raise PeriodError(Message("Schooljaar '%(value)s' bestaat niet: schrijf bijvoorbeeld "
                                  "2026-2027.", value=(label or "").strip()[:40]))
    first = int(match[1])
    return Period(date(first, YEAR_START_MONTH, 1), date(first + 1, YEAR_START_MONTH - 1, 31))


def school_year_of(day: date) -> str:
    """Return the label of the school year a day falls in."""
    first = day.year if day.month >= YEAR_START_MONTH else day.year - 1
    return f"{first}-{first + 1}"


@dataclass(frozen=True)
class Month:
    """One bar of the per-month chart: its first day and its UTC bounds, clipped to a period."""

    first: date
    start: datetime
    end: datetime


def months(period: Period) -> list[Month]:
    """Return the calendar months a period touches, each clipped to the period."""
    out, lo, hi = [], *period.utc_bounds()
    year, month = period.start.year, period.start.month
    while date(year, month, 1) <= period.end:
        nxt = (year + month // 12, month % 12 + 1)
        start, end = _midnight(date(year, month, 1)), _midnight(date(*nxt, 1))
        out.append(Month(date(year, month, 1), max(start, lo), min(end, hi)))
        year, month = nxt
    return out


def rank_positions(n: int, p: float) -> tuple[int, int, float]:
    """Return (lower index, upper index, weight of the upper) of the p-th percentile of n
    sorted values, interpolating linearly between closest ranks (PostgreSQL's
    percentile_cont, numpy's default). The SQL twin reads the two rows at these offsets."""
    if n <= 0 or not 0 <= p <= 100:
        raise ValueError("need at least one value and 0 <= p <= 100")
    position = (n - 1) * p / 100
    lower = math.floor(position)
    return lower, min(lower + 1, n - 1), position - lower


def percentile(values: Sequence[float], p: float) -> float | None:
    """Return the p-th percentile of the values (None when there are none)."""
    if not values:
        return None
    ordered = sorted(values)
    lower, upper, weight = rank_positions(len(ordered), p)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * weight


def fraction(part: int, whole: int) -> float | None:
    """Return part / whole, or None when there is nothing to divide (not 0: 'no data')."""
    return part / whole if whole else None


@dataclass(frozen=True)
class Shown:
    """A count as shown to outside eyes: the number, or 'fewer than the threshold'."""

    value: int | None
    below: int | None = None

    @property
    def suppressed(self) -> bool:
        return self.below is not None


def suppress(count: int, threshold: int = DEFAULT_THRESHOLD) -> Shown:
    """Hide a count from 1 to threshold - 1 (0 says nothing about a person; docs/DESIGN.md §11)."""
    if 0 < count < threshold:
        return Shown(None, below=threshold)
    return Shown(count)


def suppress_share(part: int, whole: int, threshold: int = DEFAULT_THRESHOLD) -> float | None:
    """Return a share only when both counts are safe to show: a share of a small whole, or a
    share whose part or rest is small, would let a reader work the small count out."""
    if whole < threshold or 0 < part < threshold or 0 < whole - part < threshold:
        return None
    return fraction(part, whole)


def hidden_cells(counts: Sequence[int], threshold: int = DEFAULT_THRESHOLD) -> list[bool]:
    """Return which cells of one table (whose total is shown) to hide.

    A count from 1 to threshold - 1 is hidden; and since the total minus the shown cells
    gives the hidden cells' sum, the hidden cells must together hold at least `threshold`:
    otherwise the smallest shown count is hidden too (secondary suppression), until they do
    or everything is hidden. One hidden 3 beside a shown 10 and a total of 13 would say 3.
    """
    hidden = [0 < n < threshold for n in counts]
    while any(hidden) and sum(n for n, h in zip(counts, hidden, strict=True) if h) < threshold:
        shown = [(n, i) for i, (n, h) in enumerate(zip(counts, hidden, strict=True))
                 if not h and n > 0]
        if not shown:
            break
        hidden[min(shown)[1]] = True
    return hidden
