"""The tick: everything that is due at a moment, done once (docs/DESIGN.md §6).

Each case carries `tick_due`, the next moment it needs the tick (kept by listeners in
tracker.models); a tick reads only the cases whose moment has passed, locks them (PostgreSQL:
FOR UPDATE SKIP LOCKED, so a second tick running at the same time takes other rows), does
what is due and records it in state fields, so running it again for the same `now` finds
nothing. Mail goes through the outbox in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.core.calendar import forget_calendar, load_calendar
from tracker.core.settings import followup_days
from tracker.core.timeline import add_event
from tracker.domain.calendar import (
    END_OF_DAY,
    SchoolCalendar,
    add_school_days,
    at_local,
    local_date,
)
from tracker.domain.events import EventKind
from tracker.domain.lifecycle import Job, followup_check_at, tick_jobs
from tracker.escalation import digest, outbox
from tracker.escalation.notify import iso, mail_staff, participants
from tracker.models import (
    Case,
    CaseAction,
    CaseParticipant,
    CaseStatus,
    ParticipantKind,
    User,
    role_members,
)

BATCH = 200
NEXT_STEP_SCHOOL_DAYS = 1
OWNERS = (ParticipantKind.ASSIGNEE, ParticipantKind.ESCALATED)


@dataclass
class TickReport:
    cases: int = 0
    escalated: list[int] = field(default_factory=list)
    resolve_reminders: int = 0
    legal_notices: int = 0
    followups: int = 0
    actions: int = 0
    digests: int = 0
    retention_due: int = 0  # cases the daily retention run listed for the FG (issue 16)
    mail: outbox.SendResult = field(default_factory=outbox.SendResult)

    def summary(self) -> str:
        return (f"{self.cases} cases looked at, {len(self.escalated)} escalated, "
                f"{self.resolve_reminders} resolve reminders, {self.legal_notices} legal "
                f"notices, {self.followups} follow-ups, {self.actions} overdue actions, "
                f"{self.digests} digests, {self.retention_due} due for deletion; "
                f"mail: {len(self.mail.sent)} sent, "
                f"{len(self.mail.retrying)} to retry, {len(self.mail.dead)} dead")


@dataclass
class _Tick:
    session: orm.Session
    now: datetime
    calendar: SchoolCalendar
    report: TickReport
    followup_days: int = 10  # the school setting `followup_days`, read once per tick
    _roles: dict[str, list[User]] = field(default_factory=dict)

    def members(self, role: str, case: Case) -> list[User]:
        """Return who holds a role for this case; never the person the case is about."""
        if role == "leerkracht":
            people = [t for t in (case.group.teachers if case.group else []) if t.active]
        else:
            if role not in self._roles:
                self._roles[role] = role_members(self.session, role)
            people = self._roles[role]
        return [u for u in people if u.id != case.about_user_id]


def _locked_ids(session: orm.Session, stmt: sa.Select) -> list[int]:
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    return list(session.scalars(stmt))


def escalate(tick: _Tick, case: Case) -> None:
    """Move an unacknowledged case one step up its chain (skipping roles with nobody)."""
    chain, now = case.escalation_chain or [], tick.now
    already = set(tick.session.scalars(
        sa.select(CaseParticipant.user_id).where(CaseParticipant.case_id == case.id)))
    skipped, people, role = [], [], None
    while case.escalation_level < len(chain) and not people:
        role = chain[case.escalation_level]
        case.escalation_level += 1
        people = tick.members(role, case)
        if not people:
            skipped.append(role)
    if role is None:
        case.escalation_due = None
        return
    new = [u for u in people if u.id not in already]
    for user in new:
        tick.session.add(CaseParticipant(case_id=case.id, user_id=user.id,
                                         kind=ParticipantKind.ESCALATED, added_at=now))
    more = case.escalation_level < len(chain)
    case.escalated_at = now
    case.escalation_due = (add_school_days(tick.calendar, now, NEXT_STEP_SCHOOL_DAYS)
                           if more else None)
    add_event(tick.session, case, EventKind.ESCALATED, now, actor_label="system", role=role,
              level=case.escalation_level, to=[u.email for u in new], skipped=skipped,
              ack_due=iso(case.ack_due))
    mail_staff(tick.session, new, case, template="escalated",
               key=f"escalated:{case.id}:{case.escalation_level}", now=now,
               deadline=iso(case.escalation_due))
    tick.report.escalated.append(case.id)


def remind_resolve(tick: _Tick, case: Case) -> None:
    """Tell the owners once that the resolution deadline passed."""
    case.resolve_reminded_at = tick.now
    add_event(tick.session, case, EventKind.DEADLINE_PASSED, tick.now, actor_label="system",
              deadline="resolve", due=iso(case.resolve_due))
    mail_staff(tick.session, participants(tick.session, case, OWNERS), case,
               template="resolve_overdue", now=tick.now, deadline=iso(case.resolve_due),
               key=f"resolve-overdue:{case.id}:{case.resolve_due:%Y%m%d%H%M}")
    tick.report.resolve_reminders += 1


def legal_notice(tick: _Tick, case: Case) -> None:
    """Warn the FG and directie as a legal deadline nears, and when it passes."""
    passed = tick.now > case.legal_due
    kind = "legal_due_passed" if passed else "legal_due_soon"
    case.legal_notices = 2 if passed else 1
    people = {u.id: u for role in ("fg", "directie") for u in tick.members(role, case)}
    event = EventKind.LEGAL_DEADLINE_PASSED if passed else EventKind.LEGAL_DEADLINE_NEAR
    add_event(tick.session, case, event, tick.now, actor_label="system", due=iso(case.legal_due))
    mail_staff(tick.session, people.values(), case, template=kind, now=tick.now, urgent=True,
               key=f"{kind}:{case.id}:{case.legal_due:%Y%m%d%H%M}",
               deadline=iso(case.legal_due))
    tick.report.legal_notices += 1


def followup(tick: _Tick, case: Case) -> None:
    """Schedule the follow-up check of a resolved case, or announce it when it is due."""
    if case.followup_due is None:
        case.followup_due = followup_check_at(tick.calendar, case.resolved_at,
                                              tick.followup_days)
        add_event(tick.session, case, EventKind.FOLLOWUP_SCHEDULED, tick.now,
                  actor_label="system", due=iso(case.followup_due))
        return
    case.followup_announced_at = tick.now
    add_event(tick.session, case, EventKind.FOLLOWUP_DUE, tick.now, actor_label="system",
              due=iso(case.followup_due))
    mail_staff(tick.session, participants(tick.session, case, OWNERS), case,
               template="followup_due", now=tick.now, deadline=iso(case.followup_due),
               key=f"followup-due:{case.id}:{case.followup_due:%Y%m%d}")
    tick.report.followups += 1


def process_case(tick: _Tick, case: Case) -> None:
    """Do everything that is due for one (locked) case."""
    for job in tick_jobs(case, tick.now):  # the case's clock decides (tracker/domain/lifecycle)
        JOBS[job](tick, case)
    tick.report.cases += 1


JOBS = {Job.ESCALATE: escalate, Job.REMIND_RESOLVE: remind_resolve,
        Job.LEGAL_NOTICE: legal_notice, Job.FOLLOWUP: followup}


def process_due_cases(tick: _Tick, *, after: tuple[datetime, int] | None = None,
                      limit: int = BATCH) -> list[tuple[datetime, int]]:
    """Lock and process one batch of cases whose tick moment passed; flush, no commit.

    Walks the tick_due index in (tick_due, id) order from `after`, so a case is looked at
    once per tick even if something left it due; returns the batch's (tick_due, id) keys.
    """
    stmt = (sa.select(Case.id, Case.tick_due).where(Case.tick_due < tick.now)
            .order_by(Case.tick_due, Case.id).limit(limit))
    if after is not None:
        stmt = stmt.where(sa.tuple_(Case.tick_due, Case.id) > sa.tuple_(*after))
    if tick.session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    keys = [(due, case_id) for case_id, due in tick.session.execute(stmt)]
    if keys:
        # One flush a batch: autoflush before every query would cost more than the work.
        with tick.session.no_autoflush:
            cases = tick.session.scalars(
                sa.select(Case).where(Case.id.in_([k[1] for k in keys])).order_by(Case.id)
                .execution_options(populate_existing=True))
            for case in cases:
                process_case(tick, case)
        tick.session.flush()
    return keys


def remind_actions(tick: _Tick, *, limit: int = BATCH) -> int:
    """Remind owners of actions whose due day has ended; flush, no commit."""
    today = local_date(tick.now)
    ids = _locked_ids(tick.session, sa.select(CaseAction.id)
                      .where(CaseAction.done_at.is_(None), CaseAction.reminded_at.is_(None),
                             CaseAction.due < today)
                      .order_by(CaseAction.due).limit(limit))
    actions = tick.session.scalars(sa.select(CaseAction).where(CaseAction.id.in_(ids)))
    for action in actions:
        action.reminded_at = tick.now
        case = tick.session.get(Case, action.case_id)
        if case.status == CaseStatus.CLOSED:
            continue
        add_event(tick.session, case, EventKind.ACTION_OVERDUE, tick.now, actor_label="system",
                  action_id=action.id)
        mail_staff(tick.session, [action.owner], case, template="action_overdue",
                   key=f"action-overdue:{action.id}", now=tick.now,
                   deadline=iso(at_local(action.due, END_OF_DAY)))
        tick.report.actions += 1
    tick.session.flush()
    return len(ids)


def run_tick(session: orm.Session, now: datetime, *, batch: int = BATCH,
             send_mail: bool = True) -> TickReport:
    """Do everything due at `now`, then send the outbox.

    This is a job, like a request: it commits after each batch so locks stay short and a
    failure keeps the batches already done. Sending mail needs an app context.
    """
    forget_calendar(session)  # a long-lived worker session must see calendar edits
    tick = _Tick(session, now, load_calendar(session), TickReport(),
                 followup_days=followup_days(session))
    after = None
    while keys := process_due_cases(tick, after=after, limit=batch):
        session.commit()
        after = keys[-1]
    while remind_actions(tick, limit=batch) == batch:
        session.commit()
    session.commit()
    tick.report.digests = digest.send_digest(session, now, tick.calendar)
    session.commit()
    from tracker.retention import service as retention

    tick.report.retention_due = retention.daily(session, now)
    session.commit()
    if send_mail:
        tick.report.mail = outbox.send_due(session, now)
    return tick.report
