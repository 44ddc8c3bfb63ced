"""Read models for pages: a fixed number of queries whatever the size of the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.access import visible_clause
from tracker.models import AccessLog, Case, CaseEvent, CaseStatus, User

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

    def is_overdue(self, case: Case) -> bool:
        due = case.ack_due if case.status in WAITING_FOR_ACK else case.resolve_due
        return due is not None and due < self.now and case.status != CaseStatus.CLOSED


def queue(session: orm.Session, user: User, now: datetime, *, page: int = 1,
          status: str | None = None) -> QueueView:
    """Return one page of the cases a person may act on, overdue first, then by deadline."""
    visible = visible_clause(user)
    counts = dict(session.execute(
        sa.select(Case.status, sa.func.count()).where(visible).group_by(Case.status)).all())
    counts = {str(k): v for k, v in counts.items()}
    where = [visible]
    if status in {s.value for s in CaseStatus}:
        where.append(Case.status == status)
    else:
        status = None
        where.append(Case.status != CaseStatus.CLOSED)
    due = next_due()
    overdue = sa.case((sa.and_(due.is_not(None), due < now), 0), else_=1)
    total = sum(v for k, v in counts.items() if (k == status if status else k != "closed"))
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    cases = list(session.scalars(
        sa.select(Case).where(*where)
        .order_by(overdue, due.is_(None), due, Case.id)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ))
    return QueueView(cases, counts, page, pages, status, now)


@dataclass(frozen=True)
class CasePage:
    events: list[CaseEvent]
    access_log: list[AccessLog]


def case_page(session: orm.Session, case: Case) -> CasePage:
    """Return what the case page shows besides the case and its reports."""
    events = list(session.scalars(
        sa.select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.at,
                                                                          CaseEvent.id)))
    log = list(session.scalars(
        sa.select(AccessLog).where(AccessLog.case_id == case.id)
        .order_by(AccessLog.at.desc()).limit(50)))
    return CasePage(events, log)
