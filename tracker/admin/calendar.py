"""School calendar admin: closed days per school year, and importing a region's holidays."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.admin.service import AdminError, audit
from tracker.domain.calendar import iter_days, national_holidays, school_holidays
from tracker.models import ClosedDay, User

KINDS = ("holiday", "public_holiday", "study_day")
MAX_RANGE_DAYS = 120


def school_year_of(d: date) -> str:
    """Return the school year a day falls in ('2026-2027' runs 1 Aug 2026 - 31 Jul 2027)."""
    start = d.year if d.month >= 8 else d.year - 1
    return f"{start}-{start + 1}"


def year_bounds(school_year: str) -> tuple[date, date]:
    """Return the first and last day of a school year '2026-2027'."""
    try:
        first = int(school_year.split("-")[0])
    except ValueError:
        raise AdminError("Onbekend schooljaar.") from None
    return date(first, 8, 1), date(first + 1, 7, 31)


def closed_days(session: orm.Session, school_year: str) -> list[ClosedDay]:
    """Return the closed days of a school year, in date order."""
    start, end = year_bounds(school_year)
    return list(session.scalars(sa.select(ClosedDay).where(ClosedDay.day.between(start, end))
                                .order_by(ClosedDay.day)))


def add_closed_days(session: orm.Session, actor: User | None, now: datetime, start: date,
                    end: date | None, name: str, kind: str) -> int:
    """Close the weekdays from start to end (a study day is one day); return how many were new."""
    end = end or start
    if kind not in KINDS:
        raise AdminError("Kies studiedag, vakantie of feestdag.")
    if end < start:
        raise AdminError("De einddatum ligt vóór de begindatum.")
    if (end - start).days > MAX_RANGE_DAYS:
        raise AdminError("Dat zijn meer dan 120 dagen; voer een vakantie per keer in.")
    added = _add(session, [(d, name.strip(), kind) for d in iter_days(start, end)])
    if added:
        audit(session, actor, now, "calendar.add", f"calendar:{start.isoformat()}", None,
              {"from": start.isoformat(), "to": end.isoformat(), "name": name.strip(),
               "kind": kind, "days": added})
    return added


def _add(session: orm.Session, rows: list[tuple[date, str, str]]) -> int:
    # Weekends are never school days: store only weekdays, and never a day twice.
    wanted = {d: (name, kind) for d, name, kind in rows if d.weekday() < 5}
    if not wanted:
        return 0
    have = set(session.scalars(sa.select(ClosedDay.day).where(ClosedDay.day.in_(wanted))))
    for d in sorted(set(wanted) - have):
        session.add(ClosedDay(day=d, name=wanted[d][0][:80], kind=wanted[d][1]))
    session.flush()
    return len(set(wanted) - have)


def remove_closed_day(session: orm.Session, actor: User | None, now: datetime,
                      day: date) -> None:
    """Open a closed day again."""
    row = session.get(ClosedDay, day)
    if row is None:
        raise AdminError("Deze dag staat niet in de kalender.")
    audit(session, actor, now, "calendar.remove", f"calendar:{day.isoformat()}",
          {"day": day.isoformat(), "name": row.name, "kind": row.kind}, None)
    session.delete(row)
    session.flush()


def import_region(session: orm.Session, actor: User | None, now: datetime, region: str,
                  school_year: str) -> int:
    """Add the shipped school holidays of a region and the national holidays; idempotent."""
    try:
        ranges = school_holidays(region, school_year)
    except ValueError:
        raise AdminError("Voor deze regio en dit schooljaar hebben we geen vakanties.") from None
    start, end = year_bounds(school_year)
    rows = [(d, r.name, "holiday") for r in ranges for d in r.days()]
    rows += [(d, n, "public_holiday") for d, n in national_holidays([start.year, end.year]).items()
             if start <= d <= end]
    # Public holidays win over a holiday range's name when both fall on one day.
    rows.sort(key=lambda r: r[2] != "public_holiday")
    seen: set[date] = set()
    unique = [r for r in rows if not (r[0] in seen or seen.add(r[0]))]
    added = _add(session, unique)
    unconfirmed = [r.name for r in ranges if not r.confirmed]
    if added:
        audit(session, actor, now, "calendar.import", f"calendar:{school_year}", None,
              {"region": region, "school_year": school_year, "days": added,
               "unconfirmed": unconfirmed})
    return added


def default_school_year(today: date) -> str:
    """Return the school year to show first: the current one, or the next from June on."""
    return school_year_of(today + timedelta(days=62))
