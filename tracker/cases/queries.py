"""Read models for pages: a fixed number of queries whatever the size of the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.core import school
from tracker.core.access import sealed_clause, visible_clause
from tracker.core.lifecycle_sql import deadline_clause
from tracker.domain.categories import CategoryKey
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
)

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One line of a queue: only what the line shows, not the whole case."""

    id: int
    category: str
    status: str
    primary_role: str
    group_name: str | None
    urgent: bool
    due: datetime | None
    overdue: bool
    news: bool = False  # a message from the reporter nobody has read yet (issue 12.1)


@dataclass(frozen=True)
class QueueView:
    cases: list[QueueRow]
    counts: dict[str, int]
    page: int
    pages: int
    status: str | None
    now: datetime
    filters: dict[str, str] = field(default_factory=dict)
    groups: list[tuple[int, str]] = field(default_factory=list)
    news: int = 0  # open cases with an unread message from the reporter

    def args(self, **changes) -> dict[str, str | int]:
        """Return the query-string arguments of this view with some changed (for links)."""
        out = {"status": self.status, **self.filters, **changes}
        return {k: v for k, v in out.items() if v not in (None, "")}


def known_status(status: str | None) -> str | None:
    """Return a status key from a query string, or None for "all open cases"."""
    return status if status in {s.value for s in CaseStatus} else None


def queue_page(session: orm.Session, now: datetime, *, where: list, page: int,
               status: str | None, sort: str | None = None
               ) -> tuple[list[QueueRow], dict[str, int], int, int, int]:
    """Return (rows, counts per status, page, pages, open cases with news) of the cases
    `where` selects: overdue first, then by deadline; with `sort="news"` the cases with an
    unread message from the reporter first, oldest message first. Two queries, reading only
    the columns a line shows."""
    counts, news = {}, 0
    for key, number, unread in session.execute(
            sa.select(Case.status, sa.func.count(), sa.func.count(Case.reporter_news_at))
            .where(*where).group_by(Case.status)):
        counts[str(key)] = number
        news += unread if str(key) != CaseStatus.CLOSED else 0
    where = [*where, Case.status == status if status else Case.status != CaseStatus.CLOSED]
    total = sum(v for k, v in counts.items() if (k == status if status else k != "closed"))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    due = deadline_clause()  # what the case waits for (tracker/domain/lifecycle.waiting_for)
    overdue = sa.case((sa.and_(due.is_not(None), due < now), 0), else_=1)
    order = [overdue, due.is_(None), due, Case.id]
    if sort == "news":
        order = [Case.reporter_news_at.is_(None), Case.reporter_news_at, *order]
    rows = session.execute(
        sa.select(Case.id, Case.category, Case.status, Case.primary_role, Group.name,
                  Case.urgent, due, Case.reporter_news_at)
        .outerjoin(Group, Case.group_id == Group.id).where(*where)
        .order_by(*order)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))
    lines = []
    for case_id, category, case_status, role, group, urgent, when, news_at in rows:
        lines.append(QueueRow(case_id, category, CaseStatus(case_status).value, role, group,
                              urgent, when, when is not None and when < now,
                              news_at is not None))
    return lines, counts, page, pages, news


def queue(session: orm.Session, user: User, now: datetime, *, page: int = 1,
          status: str | None = None, category: str | None = None, group: int | None = None,
          role: str | None = None, sort: str | None = None) -> QueueView:
    """Return one page of the cases a person may act on, overdue first, then by deadline
    (or, with `sort="news"`, those with an unread message from the reporter first)."""
    status = known_status(status)
    # Closed cases are read only when asked for: a teacher's history grows every year, the
    # open work does not.
    where = [visible_clause(user, open_only=status != CaseStatus.CLOSED)]
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
    if sort == "news":
        filters["sort"] = sort
    rows, counts, page, pages, news = queue_page(session, now, where=where, page=page,
                                                 status=status, sort=sort)
    groups = [(g.number, g.name) for g in school.current(session).groups if g.active]
    return QueueView(rows, counts, page, pages, status, now, filters, groups, news)


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
    # IN, not a join: SQLite then starts from the case's few links (bench: 6 -> 0.1 ms).
    links = list(session.scalars(
        sa.select(Case)
        .options(orm.joinedload(Case.group).lazyload(Group.teachers))
        .where(Case.id.in_(sa.select(CaseLink.other_case_id)
                           .where(CaseLink.case_id == case.id)),
               _visible_to(viewer)).order_by(Case.id)))
    # Only a home_concern case follows the meldcode (docs/DESIGN.md §5): others have no steps.
    steps = {s.step: s for s in session.scalars(
        sa.select(MeldcodeStep).where(MeldcodeStep.case_id == case.id)
        .options(orm.joinedload(MeldcodeStep.by).lazyload(User.roles)))
    } if case.category == CategoryKey.HOME_CONCERN else {}
    staff = _staff_for(session, case)
    about_ids = {r.about_user_id for r in case.reports if r.about_user_id}
    names = {u.id: u.name for u in staff}
    missing = about_ids - set(names)
    if missing:
        names |= dict(session.execute(sa.select(User.id, User.name)
                                      .where(User.id.in_(missing))).all())
    return CasePage(events, log, actions, links, steps, staff, names, log_visible)


def _visible_to(viewer: User) -> sa.ColumnElement[bool]:
    return sa.or_(visible_clause(viewer, few=True), sealed_clause(viewer))


def _staff_for(session: orm.Session, case: Case) -> list[sa.Row]:
    """Return who may be given this case (id, name by name): active staff, never its
    subject; for a sealed case only a vertrouwenspersoon (from the school's setup)."""
    snapshot = school.current(session)
    vp = getattr(VP_ROLE, "value", VP_ROLE)
    return [u for u in snapshot.staff if u.id != case.about_user_id
            and (not case.confidential or vp in snapshot.roles.get(u.id, ()))]
