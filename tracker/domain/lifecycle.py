"""A case's clock, each rule once: what the case waits for and by when, when its follow-up check
falls, and what the tick must do for it (docs/DESIGN.md §5-§6).

The model keeps `tick_due` from `next_tick_moment`, the tick does `tick_jobs`, the queue and the
digest show `waiting_for`; the queue sorts by the SQL twin of `waiting_for`
(tracker/core/lifecycle_sql.py, tested against this one in tests/test_lifecycle.py).
The functions read a case's columns by name, so the model, a row or a test's stand-in will do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Protocol

from tracker.domain.calendar import SchoolCalendar, add_school_days, at_local, local_date
from tracker.domain.categories import needs_follow_up_check
from tracker.domain.states import CaseState

WAITING_FOR_ACK = (CaseState.NEW, CaseState.REOPENED)
SETTLED = (CaseState.RESOLVED, CaseState.CLOSED)
CHECK_TIME = time(8, 0)  # a follow-up check is due in the morning of its day
LEGAL_WARNING_BEFORE = timedelta(hours=24)


class CaseClock(Protocol):
    """The columns of a case that its clock reads."""

    status: CaseState | str | None
    category: str
    ack_due: datetime | None
    resolve_due: datetime | None
    legal_due: datetime | None
    legal_notices: int | None
    escalation_due: datetime | None
    resolve_reminded_at: datetime | None
    resolved_at: datetime | None
    followup_due: datetime | None
    followup_result: str | None
    followup_announced_at: datetime | None


class Waiting(StrEnum):
    """What a case waits for (the words in queues and the digest)."""

    ACK = "ack"  # someone to acknowledge it
    RESOLVE = "resolve"  # its handlers to resolve it
    LEGAL = "legal"  # a legal clock in real hours (a data breach: 72 hours)
    FOLLOWUP = "followup"  # the follow-up check "is het gestopt?"
    CLOSE = "close"  # resolved, nothing planned: someone closes it
    NOTHING = "nothing"  # closed


@dataclass(frozen=True, slots=True)
class Deadline:
    what: Waiting
    due: datetime | None

    def overdue(self, now: datetime) -> bool:
        return self.due is not None and self.due < now


def _status(case: CaseClock) -> CaseState:
    # Column defaults are not applied before the insert: a new case is NEW.
    return CaseState(case.status or CaseState.NEW)


def check_pending(case: CaseClock) -> bool:
    """A follow-up check is planned and not yet recorded."""
    return case.followup_due is not None and case.followup_result is None


def waiting_for(case: CaseClock) -> Deadline:
    """What the case waits for now, and by when."""
    status = _status(case)
    if status is CaseState.CLOSED:
        return Deadline(Waiting.NOTHING, None)
    if status in WAITING_FOR_ACK:
        return Deadline(Waiting.ACK, case.ack_due)
    if status is CaseState.RESOLVED:
        if check_pending(case):
            return Deadline(Waiting.FOLLOWUP, case.followup_due)
        return Deadline(Waiting.CLOSE, None)
    if case.legal_due is not None and (case.legal_notices or 0) < 2:
        return Deadline(Waiting.LEGAL, case.legal_due)
    return Deadline(Waiting.RESOLVE, case.resolve_due)


def check_moment(day: date) -> datetime:
    """The moment a follow-up check planned for `day` is due."""
    return at_local(day, CHECK_TIME)


def followup_check_at(calendar: SchoolCalendar, resolved_at: datetime, days: int) -> datetime:
    """The follow-up check of a case resolved at `resolved_at`: `days` school days later."""
    return check_moment(local_date(add_school_days(calendar, resolved_at, days)))


class Job(StrEnum):
    """What the tick does for a case (tracker/escalation/tick.py), in this order."""

    ESCALATE = "escalate"  # not acknowledged in time: one step up the chain
    REMIND_RESOLVE = "remind_resolve"  # the resolve deadline passed: remind its handlers
    LEGAL_NOTICE = "legal_notice"  # a legal deadline nears (24 hours before) or passed
    FOLLOWUP = "followup"  # plan the follow-up check, or announce it when it is due


def tick_moments(case: CaseClock) -> dict[Job, datetime]:
    """When each job still to do for this case falls due."""
    status = _status(case)
    moments: dict[Job, datetime] = {}
    if status in WAITING_FOR_ACK and case.escalation_due is not None:
        moments[Job.ESCALATE] = case.escalation_due
    if status not in SETTLED:
        if case.resolve_due and case.resolve_reminded_at is None \
                and status is not CaseState.REFERRED:
            moments[Job.REMIND_RESOLVE] = case.resolve_due
        if case.legal_due and (case.legal_notices or 0) < 2:
            moments[Job.LEGAL_NOTICE] = case.legal_due if case.legal_notices \
                else case.legal_due - LEGAL_WARNING_BEFORE
    if status is CaseState.RESOLVED and case.followup_announced_at is None \
            and case.followup_result is None:
        if case.followup_due:
            moments[Job.FOLLOWUP] = case.followup_due
        elif case.resolved_at and needs_follow_up_check(case.category):
            moments[Job.FOLLOWUP] = case.resolved_at  # the tick plans the check
    return moments


def next_tick_moment(case: CaseClock) -> datetime | None:
    """The next moment the tick has something to do for this case (the model's tick_due)."""
    return min(tick_moments(case).values(), default=None)


def tick_jobs(case: CaseClock, now: datetime) -> list[Job]:
    """What the tick must do for this case at `now`, in order."""
    return [job for job, moment in tick_moments(case).items() if moment < now]
