"""Adapter between the database and the pure routing engine (tracker.domain.routing)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.core import school
from tracker.core.settings import default_deadlines
from tracker.domain.calendar import SchoolCalendar
from tracker.domain.routing import (
    Decision,
    ReportFacts,
    SchoolSetup,
    StaffMember,
    fallback_rule,
    route,
)
from tracker.domain.rules import Rule
from tracker.models import ClosedDay, Group, RoutingRule, User, group_teacher

__all__ = ["Decision", "decide", "facts_from", "load_calendar", "load_rules", "load_setup",
           "rule_from_row", "split"]


def split(value: str | None) -> tuple[str, ...]:
    """Return the items of a comma-separated column ("" = none)."""
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def rule_from_row(row: RoutingRule) -> Rule:
    """Return the domain rule stored in a RoutingRule row."""
    return Rule(
        id=row.id, priority=row.priority, category=row.category,
        reporter_types=frozenset(split(row.reporter_types)), primary_role=row.primary_role,
        informed_roles=split(row.informed_roles), ack=row.ack, resolve=row.resolve or "",
        chain=split(row.chain), enabled=row.enabled, urgent=row.urgent,
    )


def load_rules(session: orm.Session) -> list[Rule]:
    """Return the enabled routing rules in priority order."""
    rows = session.scalars(sa.select(RoutingRule).where(RoutingRule.enabled.is_(True))
                           .order_by(RoutingRule.priority, RoutingRule.id))
    return [rule_from_row(row) for row in rows]


def load_calendar(session: orm.Session) -> SchoolCalendar:
    """Return the school calendar (the calendar service's loader when there is one)."""
    try:
        from tracker.core import calendar as calendar_service
    except ImportError:
        calendar_service = None
    loader = getattr(calendar_service, "load_calendar", None)
    if loader is not None:
        return loader(session)
    return SchoolCalendar(frozenset(session.scalars(sa.select(ClosedDay.day))))


def _workdays(iso_digits: str) -> frozenset[int]:
    # User.workdays holds ISO weekday digits (1=Mon); the domain counts from 0=Mon.
    return frozenset(int(c) - 1 for c in iso_digits or "" if c in "1234567")


def load_setup(session: orm.Session, calendar: SchoolCalendar | None = None) -> SchoolSetup:
    """Return the school as routing sees it: active staff, groups, the calendar and the
    school's default deadlines (setting `default_deadlines`) for reports no rule matches."""
    users = session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.id))
    staff = tuple(
        StaffMember(id=u.id, email=u.email, name=u.name, roles=u.role_keys,
                    workdays=_workdays(u.workdays), active=u.active)
        for u in users
    )
    groups: dict[int, list[int]] = {}
    rows = session.execute(
        sa.select(Group.number, group_teacher.c.user_id)
        .join(group_teacher, group_teacher.c.group_id == Group.id)
        .join(User, User.id == group_teacher.c.user_id)
        .where(Group.active.is_(True)).order_by(Group.number, User.name, User.id))
    for number, user_id in rows:
        groups.setdefault(number, []).append(user_id)
    return SchoolSetup(staff=staff, groups={n: tuple(ids) for n, ids in groups.items()},
                       calendar=calendar if calendar is not None else load_calendar(session),
                       fallback=fallback_rule(*default_deadlines(session)))


def facts_from(data, at: datetime) -> ReportFacts:
    """Map a ReportInput (or anything shaped like it) to routing facts."""
    reporter = getattr(data.reporter_type, "value", data.reporter_type)
    return ReportFacts(
        reporter_type=str(reporter), category=data.category, at=at, group=data.group_number,
        about_staff_id=data.about_user_id,
        about_staff=data.about_user_id is not None or getattr(data, "about_kind", None) == "staff",
        sexual=bool(data.sexual), danger=bool(data.danger),
        confidential=bool(data.confidential),
        # Optional facts some channels ask for; absent means "category default".
        school_caused=getattr(data, "school_caused", None),
        disclosure=bool(getattr(data, "disclosure", False)),
    )


def decide(session: orm.Session, data, group: Group | None, now: datetime) -> Decision:
    """Route a report with the school's staff, calendar and enabled rules."""
    del group  # the engine works with the group number in the facts
    if school.changed_here(session):
        return route(facts_from(data, now), load_setup(session), load_rules(session))
    snapshot = school.current(session)
    rules = snapshot.derive("routing.rules", lambda s: [rule_from_row(row) for row in s.rules])
    return route(facts_from(data, now), cached_setup(session, snapshot), rules)


def cached_setup(session: orm.Session, snapshot: school.School) -> SchoolSetup:
    """Return load_setup()'s answer from the process's snapshot of the school's setup."""
    def make(s: school.School) -> tuple:
        by_id = sorted(s.staff, key=lambda u: u.id)
        staff = tuple(StaffMember(id=u.id, email=u.email, name=u.name,
                                  roles=s.roles.get(u.id, frozenset()),
                                  workdays=_workdays(u.workdays), active=u.active)
                      for u in by_id)
        groups: dict[int, list[int]] = {}
        for number, user_id in s.group_teachers:
            groups.setdefault(number, []).append(user_id)
        return staff, {n: tuple(ids) for n, ids in groups.items()}

    staff, groups = snapshot.derive("routing.staff", make)
    return SchoolSetup(staff=staff, groups=groups, calendar=load_calendar(session),
                       fallback=fallback_rule(*default_deadlines(session)))
