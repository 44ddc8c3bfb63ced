"""The school calendar in the database: load it, seed a school year, import a file."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.core import school
from tracker.domain.calendar import SchoolCalendar, national_holidays, school_holidays
from tracker.models import ClosedDay

_CACHE_KEY = "tracker.school_calendar"
IMPORT_KINDS = ("holiday", "study_day")
MAX_RANGE_DAYS = 120
_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$")


@cache
def _national(year: int) -> frozenset[date]:
    return frozenset(national_holidays([year]))


def load_calendar(session: orm.Session) -> SchoolCalendar:
    """Return the school calendar: closed days in the database plus national holidays.

    Cached on the session (a request or one tick); `forget_calendar` drops the cache.
    """
    cached = session.info.get(_CACHE_KEY)
    if cached is not None:
        return cached
    this_year = date.today().year
    if not school.changed_here(session):
        calendar = school.current(session).derive(
            f"calendar:{this_year}", lambda snapshot: _calendar(snapshot.closed_days, this_year))
    else:
        calendar = _calendar(frozenset(session.scalars(sa.select(ClosedDay.day))), this_year)
    session.info[_CACHE_KEY] = calendar
    return calendar


def _calendar(closed_days: frozenset[date], this_year: int) -> SchoolCalendar:
    closed = set(closed_days)
    years = {d.year for d in closed}
    # National holidays count even before an admin imported anything.
    years |= set(range(this_year - 1, this_year + 3))
    for year in range(min(years), max(years) + 2):
        closed |= _national(year)
    return SchoolCalendar(frozenset(closed))


def forget_calendar(session: orm.Session) -> None:
    """Drop the session's cached calendar after the closed days changed."""
    session.info.pop(_CACHE_KEY, None)


def _put(session: orm.Session, day: date, kind: str, name: str) -> bool:
    """Insert or update one closed weekday; return True when something changed."""
    if day.weekday() >= 5:
        return False  # weekends are closed anyway
    row = session.get(ClosedDay, day)
    if row is None:
        session.add(ClosedDay(day=day, kind=kind, name=name[:80]))
        return True
    if (row.kind, row.name) == (kind, name[:80]):
        return False
    row.kind, row.name = kind, name[:80]
    return True


def seed_school_year(session: orm.Session, school_year: str = "2026-2027",
                     region: str = "midden") -> int:
    """Store a school year's holidays for a region plus the national holidays in it.

    Idempotent; returns the number of days added or changed.
    """
    first_year = int(school_year[:4])
    start, end = date(first_year, 8, 1), date(first_year + 1, 7, 31)
    wanted = {day: ("holiday", holiday.name)
              for holiday in school_holidays(region, school_year) for day in holiday.days()}
    for day, name in national_holidays([first_year, first_year + 1]).items():
        if start <= day <= end:
            wanted.setdefault(day, ("public_holiday", name))  # inside a vacation: the vacation
    changed = sum(_put(session, day, kind, name) for day, (kind, name) in sorted(wanted.items()))
    session.flush()
    forget_calendar(session)
    return changed


@dataclass(frozen=True)
class ImportLine:
    start: date
    end: date
    kind: str
    name: str


class CalendarImportError(ValueError):
    """The file has errors; nothing was saved. `errors` holds one Dutch message a line."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def parse_calendar_file(text: str) -> list[ImportLine]:
    """Parse `YYYY-MM-DD[..YYYY-MM-DD],kind,name` lines; raise CalendarImportError."""
    lines, errors = [], []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split(",", 2)]
        if len(parts) != 3 or not parts[2]:
            errors.append(f"regel {number}: verwacht 'datum[..datum],soort,naam', "
                          f"gevonden {line!r}")
            continue
        when, kind, name = parts
        match = _LINE.match(when)
        try:
            if not match:
                raise ValueError
            start = date.fromisoformat(match.group(1))
            end = date.fromisoformat(match.group(2)) if match.group(2) else start
        except ValueError:
            errors.append(f"regel {number}: {when!r} is geen datum (JJJJ-MM-DD) of "
                          "periode (JJJJ-MM-DD..JJJJ-MM-DD)")
            continue
        if kind not in IMPORT_KINDS:
            errors.append(f"regel {number}: soort {kind!r} bestaat niet; kies "
                          + " of ".join(IMPORT_KINDS))
            continue
        if end < start:
            errors.append(f"regel {number}: de einddatum {end} ligt vóór de begindatum {start}")
            continue
        if (end - start).days >= MAX_RANGE_DAYS:
            errors.append(f"regel {number}: een periode van meer dan {MAX_RANGE_DAYS} dagen "
                          "is vast een vergissing")
            continue
        if len(name) > 80:
            errors.append(f"regel {number}: de naam is langer dan 80 tekens")
            continue
        lines.append(ImportLine(start, end, kind, name))
    if errors:
        raise CalendarImportError(errors)
    if not lines:
        raise CalendarImportError(["het bestand bevat geen enkele dag"])
    return lines


def import_calendar(session: orm.Session, text: str) -> int:
    """Store the closed days of a calendar file; all or nothing. Return days added/changed."""
    changed = 0
    for line in parse_calendar_file(text):
        day = line.start
        while day <= line.end:
            changed += _put(session, day, line.kind, line.name)
            day += timedelta(days=1)
    session.flush()
    forget_calendar(session)
    return changed
