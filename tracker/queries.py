"""Read models for pages: a fixed number of queries whatever the size of the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.access import sealed_clause, visible_clause
from tracker.domain.permissions import OVERSIGHT_ROLE, VP_ROLE
from tracker.models import (
    AccessLog,
    Case,
    CaseAction,
    CaseEvent,
    CaseLink,
    CaseStatus,
    Group,
    MeldcodeStep,
    User,
    UserRole,
)

PAGE_SIZE = 50
WAITING_FOR_ACK = (CaseStatus.NEW, CaseStatus.REOPENED)


def next_due():
    """Return the SQL expression of a case's next deadline."""
    return sa.case((Case.status.in_(WAITING_FOR_ACK), Case.ack_due), else_=Case.resolve_due)


@dataclass(frozen=True)
class QueueView:
    cases: list[Case]
    counts: dict[str, int]
    page: int
    pages: int
    status: str | None
    now: datetime
    filters: dict[str, str] = field(default_factory=dict)
    groups: list[tuple[int, str]] = field(default_factory=list)

    def is_overdue(self, case: Case) -> bool:
        due = case.ack_due if case.status in WAITING_FOR_ACK else case.resolve_due
        return due is not None and due < self.now and case.status != CaseStatus.CLOSED

    def args(self, **changes) -> dict[str, str | int]:
        """Return the query-string arguments of this view with some changed (for links)."""
        out = {"status": self.status, **self.filters, **changes}
        return {k: v for k, v in out.items() if v not in (None, "")}


def queue(session: orm.Session, user: User, now: datetime, *, page: int = 1,
          status: str | None = None, category: str | None = None, group: int | None = None,
          role: str | None = None) -> QueueView:
    """Return one page of the cases a person may act on, overdue first, then by deadline."""
    where = [visible_clause(user)]
    filters: dict[str, str] = {}
    if category:
        where.append(Case.category == category)
        filters["category"] = category
    if group is not None:
        where.append(Case.group_id.in_(sa.select(Group.id).where(Group.number == group)))
        filters["group"] = str(group)
    if role:
        where.append(Case.primary_role == role)
        filters["role"] = role
    # Closed cases are counted only when asked for: a teacher's history grows every year,
    # the open work does not.
    count_where = where if status == CaseStatus.CLOSED else [*where, Case.status != "closed"]
    counts = {str(k): v for k, v in session.execute(
        sa.select(Case.status, sa.func.count()).where(*count_where).group_by(Case.status))}
    if status in {s.value for s in CaseStatus}:
        where.append(Case.status == status)
    else:
        status = None
        where.append(Case.status != CaseStatus.CLOSED)
    due = next_due()
    overdue = sa.case((sa.and_(due.is_not(None), due < now), 0), else_=1)
    total = sum(v for k, v in counts.items() if (k == status if status else k != "closed"))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    cases = list(session.scalars(
        sa.select(Case).where(*where)
        .options(orm.joinedload(Case.group).lazyload(Group.teachers))
        .order_by(overdue, due.is_(None), due, Case.id)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ))
    groups = [(n, name) for n, name in session.execute(
        sa.select(Group.number, Group.name).where(Group.active.is_(True))
        .order_by(Group.number))]
    return QueueView(cases, counts, page, pages, status, now, filters, groups)


@dataclass(frozen=True)
class CasePage:
    events: list[CaseEvent]
    access_log: list[AccessLog]
    actions: list[CaseAction] = field(default_factory=list)
    links: list[Case] = field(default_factory=list)
    meldcode: dict[int, MeldcodeStep] = field(default_factory=dict)
    staff: list[User] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)
    access_log_visible: bool = True

    @property
    def notes(self) -> list[str]:
        """Return the routing notes (e.g. Veilig Thuis' number) of the case."""
        routed = next((e for e in self.events if e.kind == "routed"), None)
        return list(routed.data.get("notes", [])) if routed else []


def case_page(session: orm.Session, case: Case, viewer: User | None = None) -> CasePage:
    """Return what the case page shows besides the case and its reports."""
    events = list(session.scalars(
        sa.select(CaseEvent).where(CaseEvent.case_id == case.id)
        .options(orm.joinedload(CaseEvent.actor).lazyload(User.roles))
        .order_by(CaseEvent.at, CaseEvent.id)))
    log_visible = viewer is None or bool(
        viewer.role_keys & {VP_ROLE if case.confidential else OVERSIGHT_ROLE})
    log = list(session.scalars(
        sa.select(AccessLog).where(AccessLog.case_id == case.id)
        .options(orm.joinedload(AccessLog.user).lazyload(User.roles))
        .order_by(AccessLog.at.desc(), AccessLog.id.desc()).limit(50))) if log_visible else []
    if viewer is None:
        return CasePage(events, log)
    actions = list(session.scalars(
        sa.select(CaseAction).where(CaseAction.case_id == case.id)
        .options(orm.joinedload(CaseAction.owner).lazyload(User.roles))
        .order_by(CaseAction.done_at.is_not(None), CaseAction.due, CaseAction.id)))
    links = list(session.scalars(
        sa.select(Case).join(CaseLink, CaseLink.other_case_id == Case.id)
        .options(orm.joinedload(Case.group).lazyload(Group.teachers))
        .where(CaseLink.case_id == case.id, _visible_to(viewer)).order_by(Case.id)))
    steps = {s.step: s for s in session.scalars(
        sa.select(MeldcodeStep).where(MeldcodeStep.case_id == case.id)
        .options(orm.joinedload(MeldcodeStep.by).lazyload(User.roles)))}
    staff = _staff_for(session, case)
    about_ids = {r.about_user_id for r in case.reports if r.about_user_id}
    names = {u.id: u.name for u in staff}
    missing = about_ids - set(names)
    if missing:
        names |= dict(session.execute(sa.select(User.id, User.name)
                                      .where(User.id.in_(missing))).all())
    return CasePage(events, log, actions, links, steps, staff, names, log_visible)


def _visible_to(viewer: User) -> sa.ColumnElement[bool]:
    return sa.or_(visible_clause(viewer), sealed_clause(viewer))


def _staff_for(session: orm.Session, case: Case) -> list[User]:
    """Return who may be given this case: active staff, never its subject (one query)."""
    stmt = (sa.select(User).where(User.active.is_(True)).options(orm.lazyload(User.roles))
            .order_by(User.name))
    if case.about_user_id is not None:
        stmt = stmt.where(User.id != case.about_user_id)
    if case.confidential:
        stmt = stmt.where(User.id.in_(sa.select(UserRole.user_id)
                                      .where(UserRole.role == VP_ROLE)))
    return list(session.scalars(stmt))
