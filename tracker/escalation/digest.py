"""The morning digest: at 07:30 on each school day, one mail per person with open cases."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.core.urls import external_url
from tracker.domain.calendar import END_OF_DAY, QUIET_END, SchoolCalendar, at_local, local
from tracker.domain.lifecycle import Waiting, waiting_for
from tracker.escalation.notify import case_link, enqueue_mail, iso
from tracker.models import Case, CaseParticipant, CaseStatus, TickRun, User

JOB = "digest"
MAX_LISTED = 50


def _deadline(case: Case) -> tuple[str, datetime | None]:
    deadline = waiting_for(case)  # the case's clock (tracker/domain/lifecycle)
    if deadline.what is Waiting.NOTHING:
        return "news", None  # a closed case is listed only for a message from the reporter
    return deadline.what.value, deadline.due


def _claim(session: orm.Session, period: str, now: datetime) -> bool:
    """Record that today's digest is being sent; False when another tick already did."""
    if session.get(TickRun, (JOB, period)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(TickRun(job=JOB, period=period, at=now))
    except sa.exc.IntegrityError:
        return False  # a parallel tick claimed it first
    return True


def send_digest(session: orm.Session, now: datetime, calendar: SchoolCalendar) -> int:
    """Queue today's digest mails once, from 07:30 on a school day; return how many."""
    today = local(now)
    if not calendar.is_school_day(today.date()) or not (
            QUIET_END <= today.time() < END_OF_DAY):
        return 0
    if not _claim(session, today.date().isoformat(), now):
        return 0
    end_of_today = at_local(today.date(), END_OF_DAY)
    rows = session.execute(
        sa.select(CaseParticipant.user_id, Case)
        .join(Case, Case.id == CaseParticipant.case_id)
        .where(sa.or_(
            # An unread message from the reporter stands here until someone opens the case.
            Case.reporter_news_at.is_not(None),
            sa.and_(Case.status != CaseStatus.CLOSED,
                    sa.or_(Case.status != CaseStatus.RESOLVED,
                           sa.and_(Case.followup_due <= end_of_today,
                                   Case.followup_result.is_(None))))))
        .order_by(CaseParticipant.user_id, Case.id))
    per_user: dict[int, list[dict]] = defaultdict(list)
    for user_id, case in rows:
        if user_id == case.about_user_id:
            continue
        what, due = _deadline(case)
        per_user[user_id].append({
            "id": case.id, "category": None if case.confidential else case.category,
            "what": what, "deadline": iso(due),
            "overdue": bool(due and due < now),
            "news": case.reporter_news_at is not None, "link": case_link(case.id)})
    users = session.scalars(sa.select(User).where(User.id.in_(per_user), User.active))
    count = 0
    for user in users:
        # A reporter's news and overdue first, then by deadline; a mail lists MAX_LISTED, the
        # queue has the rest.
        cases = sorted(per_user[user.id], key=lambda c: (not c["news"], not c["overdue"],
                                                         c["deadline"] or "~"))
        mail = enqueue_mail(session, key=f"digest:{today.date().isoformat()}:{user.id}",
                            to=user.email, recipient_kind="staff", template="digest",
                            now=now, language=user.language or "nl",
                            context={"cases": cases[:MAX_LISTED], "total": len(cases),
                                     "link": external_url("cases.queue")})
        count += mail is not None
    session.flush()
    return count
