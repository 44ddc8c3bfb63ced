"""Insight (issue 14): a period's figures, counted by the database.

Every figure is an SQL aggregate over the cases opened in the period that the scope lets the
viewer see (`tracker.core.access.visible_clause` / `sealed_clause`); nothing loops over cases in
Python. Percentiles read the one or two rows at the positions `domain.insight.rank_positions`
names, so they agree with `domain.insight.percentile` by construction (tests check both).

A case is opened by exactly one report (tracker/reporting/service.py), so "reports" counts
cases opened in the period and the report row gives the channel, reporter type and place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.domain.insight import Period, fraction, months, rank_positions
from tracker.models import Case, CaseEvent, Group, MeldcodeStep, Report

HEARD_BACK_EVENT = "message_to_reporter"


@dataclass(frozen=True)
class Filters:
    """What the overview narrows to; None means all."""

    category: str | None = None
    group: int | None = None  # the groep's number
    channel: str | None = None
    reporter_type: str | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in (self.category, self.group, self.channel,
                                           self.reporter_type))


@dataclass(frozen=True)
class Spread:
    """Median and 90th percentile of a duration in hours, over `n` cases."""

    n: int
    median: float | None
    p90: float | None


@dataclass
class Figures:
    """One period's figures for one viewer's scope."""

    period: Period
    reports: int
    by_month: list[tuple[date, int]]
    by_category: dict[str, int]
    by_channel: dict[str, int]
    by_reporter_type: dict[str, int]
    by_group: dict[int | None, int]
    by_location: dict[str | None, int]
    ack_judged: int  # cases whose acknowledgement deadline is decided (met or passed)
    ack_in_time: int
    resolve_judged: int  # the same for the resolution deadline
    resolve_in_time: int
    to_acknowledge: Spread
    to_close: Spread
    escalated: int
    referrals: dict[str, int]
    meldcode_cases: int
    meldcode_steps: dict[int, int]  # furthest step reached -> cases (0 = none recorded yet)
    legal_routes: dict[str, int]
    checks_recorded: int
    checks_stopped: int
    reachable: int  # cases with a receipt code or a reporter's e-mail address
    heard_back: int
    receipts: int
    receipts_used: int
    to_first_message: Spread
    year_before: int | None = None
    year_before_by_category: dict[str, int] = field(default_factory=dict)

    @property
    def acknowledged_in_time(self) -> float | None:
        return fraction(self.ack_in_time, self.ack_judged)

    @property
    def reporter_heard_back(self) -> float | None:
        return fraction(self.heard_back, self.reachable)


def hours_between(session: orm.Session, later, earlier) -> sa.ColumnElement[float]:
    """Return the SQL for (later - earlier) in hours on this session's database."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.extract("epoch", later - earlier) / 3600.0
    return (sa.func.julianday(later) - sa.func.julianday(earlier)) * 24.0


def grouped(session: orm.Session, stmt: sa.Select) -> dict:
    """Return {k: rows} for the column `k` of stmt's rows.

    Grouped in an outer query: PostgreSQL sees an expression with bound parameters (a CASE,
    a JSON path) in SELECT and GROUP BY as two different expressions.
    """
    sub = stmt.subquery()
    rows = session.execute(sa.select(sub.c.k, sa.func.count()).group_by(sub.c.k))
    return {key: n for key, n in rows}


class _Query:
    """The period's cases in one scope, with filters, as reusable SQL pieces."""

    def __init__(self, session: orm.Session, period: Period, scope: sa.ColumnElement[bool],
                 filters: Filters) -> None:
        self.session, self.period = session, period
        lo, hi = period.utc_bounds()
        where = [Case.created_at >= lo, Case.created_at < hi, scope]
        if session.get_bind().dialect.name == "sqlite":
            # The period as its own subquery: otherwise SQLite walks the `confidential` index
            # of the scope and reads every case (50,000 cases: 23 -> 1.5 ms a count).
            # PostgreSQL's planner reads the created_at range well as it is (and the subquery
            # would make it scan the table: 49 -> 4 ms).
            where[:2] = [Case.id.in_(sa.select(Case.id).where(*where[:2]))]
        if filters.category is not None:
            where.append(Case.category == filters.category)
        if filters.group is not None:
            where.append(Case.group_id.in_(
                sa.select(Group.id).where(Group.number == filters.group)))
        if filters.channel is not None:
            where.append(Report.channel == filters.channel)
        if filters.reporter_type is not None:
            where.append(Report.reporter_type == filters.reporter_type)
        self.where = sa.and_(*where)
        # The report row is joined only where it is read: on PostgreSQL the join costs a
        # scan of every report (100,000 cases: 4 -> 45 ms a count).
        self.needs_report = filters.channel is not None or filters.reporter_type is not None

    def select(self, *columns, report: bool = False) -> sa.Select:
        stmt = sa.select(*columns).select_from(Case)
        if report or self.needs_report:
            stmt = stmt.join(Report, Report.case_id == Case.id)
        return stmt.where(self.where)

    def count(self, *extra: sa.ColumnElement[bool]) -> int:
        return self.session.scalar(self.select(sa.func.count(Case.id)).where(*extra)) or 0

    def counts(self, **conditions: sa.ColumnElement[bool]) -> dict[str, int]:
        """Count the cases meeting each condition, all in one pass."""
        row = self.session.execute(self.select(*(
            sa.func.coalesce(sa.func.sum(sa.case((cond, 1), else_=0)), 0).label(name)
            for name, cond in conditions.items()))).one()
        return {name: int(n) for name, n in row._mapping.items()}

    def counts_by(self, column, *extra: sa.ColumnElement[bool]) -> dict:
        return grouped(self.session, self.select(column.label("k")).where(*extra))

    def report_counts(self) -> dict[str, dict]:
        """Count by channel, reporter type and place in one query over the report rows (a
        handful of groups, folded here)."""
        out: dict[str, dict] = {"by_channel": {}, "by_reporter_type": {}, "by_location": {}}
        rows = self.session.execute(
            self.select(Report.channel, Report.reporter_type, Report.location,
                        sa.func.count(), report=True)
            .group_by(Report.channel, Report.reporter_type, Report.location))
        for channel, reporter, location, n in rows:
            for key, value in (("by_channel", channel), ("by_location", location),
                               ("by_reporter_type", getattr(reporter, "value", reporter))):
                out[key][value] = out[key].get(value, 0) + n
        return out

    def ids(self) -> sa.Select:
        return self.select(Case.id)

    def spread(self, hours: sa.ColumnElement[float], *extra: sa.ColumnElement[bool]) -> Spread:
        """Median and 90th percentile of `hours` over the cases where `extra` holds."""
        return self.spread_of(self.select(hours.label("h")).where(*extra))

    def spread_of(self, stmt: sa.Select) -> Spread:
        """Median and 90th percentile of the column `h` of stmt's rows."""
        base = stmt.subquery()
        n = self.session.scalar(sa.select(sa.func.count()).select_from(base)) or 0
        return Spread(n, self._at(base, n, 50), self._at(base, n, 90))

    def _at(self, base: sa.Subquery, n: int, p: float) -> float | None:
        if not n:
            return None
        lower, upper, weight = rank_positions(n, p)
        values = list(self.session.scalars(
            sa.select(base.c.h).order_by(base.c.h).offset(lower).limit(upper - lower + 1)))
        low, high = float(values[0]), float(values[-1])
        return round(low + (high - low) * weight, 2)


def figures(session: orm.Session, period: Period, scope: sa.ColumnElement[bool], now: datetime,
            filters: Filters = Filters(), *, compare: bool = True) -> Figures:
    """Count the period's figures for the cases `scope` lets the viewer see."""
    q = _Query(session, period, scope, filters)
    month_list = months(period)
    bucket = sa.case(*((Case.created_at < m.end, i) for i, m in enumerate(month_list)),
                     else_=-1)
    per_month = q.counts_by(bucket)
    ack_decided = sa.and_(Case.ack_due.is_not(None),
                          sa.or_(Case.acknowledged_at.is_not(None), Case.ack_due <= now))
    in_time = sa.and_(Case.acknowledged_at.is_not(None), Case.acknowledged_at <= Case.ack_due)
    resolve_decided = sa.and_(Case.resolve_due.is_not(None),
                              sa.or_(Case.resolved_at.is_not(None), Case.resolve_due <= now))
    resolved_in_time = sa.and_(Case.resolved_at.is_not(None),
                               Case.resolved_at <= Case.resolve_due)
    first_message = (sa.select(CaseEvent.case_id, sa.func.min(CaseEvent.at).label("at"))
                     .where(CaseEvent.kind == HEARD_BACK_EVENT,
                            CaseEvent.case_id.in_(q.ids()))
                     .group_by(CaseEvent.case_id).subquery())
    reachable = sa.or_(Case.receipt_hash.is_not(None), Case.reporter_email.is_not(None))
    heard = Case.id.in_(sa.select(first_message.c.case_id))
    steps = (sa.select(MeldcodeStep.case_id, sa.func.max(MeldcodeStep.step).label("top"))
             .group_by(MeldcodeStep.case_id).subquery())
    meldcode = grouped(session, q.select(sa.func.coalesce(steps.c.top, 0).label("k"))
                       .outerjoin(steps, steps.c.case_id == Case.id)
                       .where(Case.category == "home_concern"))
    meldcode_steps = {int(k): n for k, n in sorted(meldcode.items())}
    # One row per case and body: a case referred twice to the same body counts once.
    referrals = grouped(session, sa.select(CaseEvent.case_id,
                                           CaseEvent.data["to"].as_string().label("k"))
                        .where(CaseEvent.kind == "referred", CaseEvent.case_id.in_(q.ids()))
                        .distinct())
    counted = q.counts(
        reports=sa.true(), ack_judged=ack_decided, ack_in_time=sa.and_(ack_decided, in_time),
        resolve_judged=resolve_decided,
        resolve_in_time=sa.and_(resolve_decided, resolved_in_time),
        escalated=Case.escalation_level > 0,
        checks_recorded=Case.followup_result.is_not(None),
        checks_stopped=Case.followup_result == "stopped",
        reachable=reachable, heard_back=sa.and_(reachable, heard),
        receipts=Case.receipt_hash.is_not(None),
        receipts_used=sa.and_(Case.receipt_hash.is_not(None),
                              Case.receipt_used_at.is_not(None)))
    result = Figures(
        period=period,
        **counted,
        by_month=[(m.first, per_month.get(i, 0)) for i, m in enumerate(month_list)],
        by_category=q.counts_by(Case.category),
        **q.report_counts(),
        by_group=grouped(session, q.select(Group.number.label("k"))
                         .outerjoin(Group, Group.id == Case.group_id)),
        to_acknowledge=q.spread(hours_between(session, Case.acknowledged_at, Case.created_at),
                                Case.acknowledged_at.is_not(None)),
        to_close=q.spread(hours_between(session, Case.closed_at, Case.created_at),
                          Case.closed_at.is_not(None)),
        referrals=referrals,
        meldcode_cases=sum(meldcode_steps.values()),
        meldcode_steps=meldcode_steps,
        legal_routes=q.counts_by(Case.route, Case.route.like("legal_%")),
        to_first_message=q.spread_of(q.select(
            hours_between(session, first_message.c.at, Case.created_at).label("h"))
            .join(first_message, first_message.c.case_id == Case.id)),
    )
    if compare:
        before = _Query(session, period.year_before(), scope, filters)
        result.year_before = before.count()
        result.year_before_by_category = before.counts_by(Case.category)
    return result


def stats(session: orm.Session, period: Period, now: datetime) -> dict:
    """Return the `flask stats --json` contract: all cases, sealed ones only in the total."""
    lo, hi = period.utc_bounds()
    total = session.scalar(sa.select(sa.func.count(Case.id))
                           .where(Case.created_at >= lo, Case.created_at < hi)) or 0
    f = figures(session, period, Case.confidential.is_(False), now, compare=False)
    return {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "reports": total,
        "by_category": f.by_category,
        "acknowledged_in_time": f.acknowledged_in_time,
        "median_hours_to_acknowledge": f.to_acknowledge.median,
        "escalated": f.escalated,
        "reporter_heard_back": f.reporter_heard_back,
    }


# --- exports (issue 14.3) -------------------------------------------------------------------

EXPORT_COLUMNS = ("nummer", "gemeld_op", "soort", "kanaal", "melder", "groep", "status",
                  "opgepakt_op", "op_tijd_opgepakt", "afgerond_op", "op_tijd_afgerond",
                  "gesloten_op", "escalaties", "doorverwezen_naar")


def _deadline_met(done, due, now: datetime) -> sa.ColumnElement:
    return sa.case((due.is_(None), sa.null()),
                   (done.is_not(None), sa.case((done <= due, 1), else_=0)),
                   (due <= now, 0), else_=sa.null())


def export_rows(session: orm.Session, period: Period, scope: sa.ColumnElement[bool],
                now: datetime, filters: Filters = Filters()) -> list[tuple]:
    """Return one row of metadata per case (EXPORT_COLUMNS, times aware UTC), oldest first.

    Metadata only: no description, names, addresses or notes. The referral is the body's key
    (of several, the last in the alphabet: one column, the same on both databases)."""
    q = _Query(session, period, scope, filters)
    referrals = (sa.select(CaseEvent.case_id, sa.func.max(CaseEvent.data["to"].as_string())
                           .label("to"))
                 .where(CaseEvent.kind == "referred", CaseEvent.case_id.in_(q.ids()))
                 .group_by(CaseEvent.case_id).subquery())
    # Met (true), missed (false: late, or not done and the deadline passed) or open (null).
    ack_met = _deadline_met(Case.acknowledged_at, Case.ack_due, now)
    resolve_met = _deadline_met(Case.resolved_at, Case.resolve_due, now)
    stmt = (q.select(Case.id, Case.created_at, Case.category, Report.channel,
                     Report.reporter_type, Group.number, Case.status, Case.acknowledged_at,
                     ack_met, Case.resolved_at, resolve_met, Case.closed_at,
                     Case.escalation_level, referrals.c.to, report=True)
            .outerjoin(Group, Group.id == Case.group_id)
            .outerjoin(referrals, referrals.c.case_id == Case.id)
            .order_by(Case.created_at, Case.id))
    met = lambda v: None if v is None else bool(v)  # noqa: E731 - 1/0 on both databases
    return [(*row[:8], met(row[8]), row[9], met(row[10]), *row[11:])
            for row in session.execute(stmt)]
