"""Retention in the database: rules, holds, the due list, and deletion in two steps.

The tick lists what became due (`record_proposal`); only the FG's approval of the list as shown
(`approve`) erases anything. Erasing leaves a tombstone: the case row with its non-personal
columns (category, channel, reporter type, groep, dates, deadlines, escalations) and the kinds
and times of its timeline events, so the overview and yearly figures stay true.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.admin.service import AdminError, audit, get_setting, set_setting
from tracker.domain import retention as rules
from tracker.domain.calendar import local_date
from tracker.domain.messages import Message
from tracker.domain.retention import CaseClock, Hold, RetentionRefused
from tracker.models import (
    AccessLog,
    AdminAudit,
    Case,
    CaseAction,
    CaseEvent,
    CaseLink,
    CasePupil,
    CaseStatus,
    DeletionBatch,
    Evidence,
    LegalHold,
    MeldcodeStep,
    OutboxMail,
    Pupil,
    Report,
    RetentionRule,
    User,
)

HOLD_ROLES = ("fg", "directie")
CERTIFICATE = "retention.deleted"
ERASED = ""  # what an erased text column holds (encrypted columns store its token)

# Timeline data kept on a tombstone: codes and dates, never names or free text.
KEPT_EVENT_DATA = frozenset({"channel", "route", "primary_role", "level", "role", "step",
                             "result", "on", "due", "ack_due", "other", "action_id", "skipped",
                             "template", "source", "kinds"})

SETTINGS = {
    # key: (default days, what it governs)
    "retention_pupil_days": rules.PUPIL_DEFAULT_DAYS,
    "retention_outbox_days": rules.OUTBOX_DEFAULT_DAYS,
    "retention_access_log_days": rules.ACCESS_LOG_DEFAULT_DAYS,
    "retention_audit_log_days": rules.AUDIT_LOG_DEFAULT_DAYS,
}


# --- rules and settings ---------------------------------------------------------------------

@dataclass(frozen=True)
class RuleView:
    key: str
    days: int
    source: str
    default_days: int
    default_source: str
    changed: bool


def rule_views(session: orm.Session) -> list[RuleView]:
    """Return every rule (the school's own where set, else the default) in display order."""
    stored = {r.key: r for r in session.scalars(sa.select(RetentionRule))}
    views = []
    for d in rules.default_rules():
        row = stored.get(d.key)
        views.append(RuleView(d.key, row.days if row else d.days,
                              row.source if row else d.source, d.days, d.source,
                              row is not None))
    return views


def rule_days(session: orm.Session) -> dict[str, int]:
    return {v.key: v.days for v in rule_views(session)}


def save_rule(session: orm.Session, actor: User, now: datetime, key: str, days: int,
              source: str) -> None:
    """Set a rule's period and reason (audited); zero days or an unknown rule is refused."""
    defaults = {d.key: d for d in rules.default_rules()}
    if key not in defaults:
        raise AdminError("Deze bewaarregel bestaat niet.")
    _check_days(days)
    source = source.strip() or defaults[key].source
    row = session.get(RetentionRule, key)
    before = ({"days": row.days, "source": row.source} if row
              else {"days": defaults[key].days, "source": defaults[key].source})
    if row is None:
        row = RetentionRule(key=key, days=days, source=source)
        session.add(row)
    row.days, row.source, row.updated_at, row.updated_by_id = days, source, now, actor.id
    audit(session, actor, now, "retention.rule", f"retention_rule:{key}", before,
          {"days": days, "source": source})


def _check_days(days: int) -> int:
    try:
        return rules.check_days(days)
    except RetentionRefused as refused:
        raise AdminError(refused.message) from None


def fg_contact(session: orm.Session) -> dict[str, str]:
    """Return the FG's contact details for /privacy: {"name", "email", "phone"} (may be empty)."""
    value = get_setting(session, "fg_contact", {}) or {}
    return {k: str(value.get(k, "")) for k in ("name", "email", "phone")}


def save_fg_contact(session: orm.Session, actor: User, now: datetime, contact: dict) -> None:
    set_setting(session, actor, now, "fg_contact",
                {k: (contact.get(k) or "").strip() for k in ("name", "email", "phone")})


def setting_days(session: orm.Session, key: str) -> int:
    return int(get_setting(session, key, SETTINGS[key]))


def save_setting(session: orm.Session, actor: User, now: datetime, key: str, days: int) -> None:
    if key not in SETTINGS:
        raise AdminError("Deze instelling bestaat niet.")
    set_setting(session, actor, now, key, _check_days(days))


# --- holds ----------------------------------------------------------------------------------

def set_hold(session: orm.Session, actor: User, now: datetime, case_id: int, reason: str,
             ends_on: date | None) -> LegalHold:
    """Put a legal hold on a case (FG or directie); audited. A gone case is refused."""
    if not actor.has_role(*HOLD_ROLES):
        raise AdminError("Alleen de FG of de directie kan een bewaarplicht instellen.")
    case = session.get(Case, case_id)
    if case is None:
        raise AdminError(Message("Melding #%(n)d bestaat niet.", n=case_id))
    if case.erased_at is not None:
        raise AdminError(Message("Melding #%(n)d is al verwijderd; er valt niets meer te "
                                 "bewaren.", n=case_id))
    reason = reason.strip()
    if not reason:
        raise AdminError("Geef een reden voor de bewaarplicht.")
    if ends_on is not None and ends_on <= now.date():
        raise AdminError("Kies een einddatum na vandaag, of laat hem leeg.")
    hold = LegalHold(case_id=case_id, reason=reason, set_by_id=actor.id, set_at=now,
                     ends_on=ends_on)
    session.add(hold)
    session.flush()
    # The reason may name people: the audit log records that a hold exists, not why.
    audit(session, actor, now, "retention.hold", f"case:{case_id}", None,
          {"hold": hold.id, "ends_on": ends_on.isoformat() if ends_on else None})
    return hold


def release_hold(session: orm.Session, actor: User, now: datetime, hold_id: int) -> None:
    if not actor.has_role(*HOLD_ROLES):
        raise AdminError("Alleen de FG of de directie kan een bewaarplicht opheffen.")
    hold = session.get(LegalHold, hold_id)
    if hold is None or hold.released_at is not None:
        raise AdminError("Deze bewaarplicht is al opgeheven.")
    hold.released_at, hold.released_by_id = now, actor.id
    audit(session, actor, now, "retention.release", f"case:{hold.case_id}", None,
          {"hold": hold.id})


def active_holds(session: orm.Session, now: datetime) -> list[LegalHold]:
    rows = session.scalars(sa.select(LegalHold).where(LegalHold.released_at.is_(None))
                           .order_by(LegalHold.case_id, LegalHold.id))
    return [h for h in rows if _hold(h).active(now)]


def _hold(row: LegalHold) -> Hold:
    return Hold(row.set_at, row.ends_on, row.released_at)


# --- the due list ---------------------------------------------------------------------------

@dataclass(frozen=True)
class DueView:
    """The due list as the FG sees it: case numbers, counts per rule, no content."""

    due: tuple[int, ...]
    held: tuple[int, ...]
    rules: dict[int, str]
    counts: dict[str, int]
    fingerprint: str
    pupils_due: int = 0  # pupils who left longer ago than the pupil setting (issue 15)


def load_clocks(session: orm.Session) -> list[CaseClock]:
    """Return the clocks of closed cases still holding data, and of the cases linked to them."""
    closed = (sa.select(Case.id).where(Case.status == CaseStatus.CLOSED,
                                       Case.erased_at.is_(None)))
    links: dict[int, set[int]] = defaultdict(set)
    for a, b in session.execute(sa.select(CaseLink.case_id, CaseLink.other_case_id).where(
            sa.or_(CaseLink.case_id.in_(closed), CaseLink.other_case_id.in_(closed)))):
        links[a].add(b)
        links[b].add(a)
    wanted = sa.or_(Case.id.in_(closed), Case.id.in_(list(links)) if links else sa.false())
    cases = session.execute(sa.select(Case.id, Case.status, Case.category, Case.confidential,
                                      Case.route, Case.erased_at).where(wanted)).all()
    ids = [c.id for c in cases]
    events: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    holds: dict[int, list[Hold]] = defaultdict(list)
    for chunk in _chunks(ids):
        for cid, kind, at in session.execute(
                sa.select(CaseEvent.case_id, CaseEvent.kind, CaseEvent.at)
                .where(CaseEvent.case_id.in_(chunk), CaseEvent.kind.in_(rules.RESTART_KINDS))):
            events[cid].append((kind, at))
        for row in session.scalars(sa.select(LegalHold).where(LegalHold.case_id.in_(chunk))):
            holds[row.case_id].append(_hold(row))
    return [CaseClock(c.id, rules.rule_key(c.category, confidential=c.confidential,
                                           route=c.route),
                      c.status == CaseStatus.CLOSED, tuple(events[c.id]), tuple(holds[c.id]),
                      frozenset(links[c.id]), erased=c.erased_at is not None)
            for c in cases]


def _chunks(ids: list[int], size: int = 500):
    for i in range(0, len(ids), size):
        yield ids[i:i + size]


def current_due(session: orm.Session, now: datetime) -> DueView:
    """Return what is due now; changes nothing."""
    clocks = load_clocks(session)
    result = rules.due_list(clocks, rule_days(session), now)
    by_id = {c.case_id: c for c in clocks}
    rule_of = {cid: by_id[cid].rule for cid in result.due + result.held}
    starts = {cid: rules.clock_start(by_id[cid], now) for cid in result.due}
    return DueView(result.due, result.held, rule_of,
                   rules.counts_per_rule(rule_of, result.due),
                   rules.fingerprint(result.due, starts), pupils_due(session, now))


def pupils_due(session: orm.Session, now: datetime) -> int:
    """Return how many pupils left longer ago than the pupil retention setting."""
    days, today = setting_days(session, "retention_pupil_days"), local_date(now)
    return sum(1 for left_on in session.scalars(sa.select(Pupil.left_on)
                                                .where(Pupil.left_on.is_not(None)))
               if rules.pupil_due(left_on, days, today))


def record_proposal(session: orm.Session, now: datetime) -> DeletionBatch | None:
    """The tick's half: list what became due as a proposal for the FG (once per change)."""
    view = current_due(session, now)
    if not view.due:
        return None
    last = session.scalars(sa.select(DeletionBatch).where(DeletionBatch.status == "proposed")
                           .order_by(DeletionBatch.id.desc()).limit(1)).first()
    if last is not None and last.fingerprint == view.fingerprint:
        return None
    batch = DeletionBatch(proposed_at=now, fingerprint=view.fingerprint,
                          case_ids=list(view.due), counts=view.counts, status="proposed")
    session.add(batch)
    session.flush()
    _tell_the_fg(session, batch, now)
    return batch


def _tell_the_fg(session: orm.Session, batch: DeletionBatch, now: datetime) -> None:
    """Mail each FG that a list waits for approval: a count and a link, nothing else."""
    from tracker.core.urls import external_url
    from tracker.escalation.notify import enqueue_mail
    from tracker.models import role_members

    link = external_url("retention.due")
    for user in role_members(session, "fg"):
        enqueue_mail(session, key=f"retention-due:{batch.id}:{user.id}", to=user.email,
                     recipient_kind="staff", template="retention_due", now=now,
                     context={"count": len(batch.case_ids), "link": link},
                     language=user.language or "nl")


# --- deletion -------------------------------------------------------------------------------

def approve(session: orm.Session, actor: User, now: datetime, shown: str) -> dict[str, Any]:
    """Erase the cases of the due list the FG was shown; return the certificate.

    `shown` is the fingerprint of the list on the FG's screen. When the list changed since
    (a case became due, a message restarted a clock, a hold was set), nothing is erased.
    """
    if not actor.has_role("fg"):
        raise AdminError("Alleen de FG keurt een verwijderlijst goed.")
    if session.get_bind().dialect.name == "postgresql":
        # One approval at a time: two FG screens cannot erase the same list twice.
        session.execute(sa.text("SELECT pg_advisory_xact_lock(160017)"))
    view = current_due(session, now)
    if view.fingerprint != shown:
        raise AdminError("De lijst is veranderd sinds u hem zag. Er is niets verwijderd; "
                         "bekijk de nieuwe lijst en keur die goed.")
    if not view.due:
        raise AdminError("Er is niets te verwijderen.")
    for case_id in view.due:
        erase_case(session, case_id, now)
    batch = DeletionBatch(proposed_at=now, fingerprint=view.fingerprint,
                          case_ids=list(view.due), counts=view.counts, status="approved",
                          approved_by_id=actor.id, approved_at=now)
    session.add(batch)
    session.execute(sa.update(DeletionBatch).where(DeletionBatch.status == "proposed")
                    .values(status="superseded"))
    session.flush()
    certificate = {"batch": batch.id, "cases": list(view.due), "count": len(view.due),
                   "counts": view.counts, "approved_by": actor.email,
                   "approved_at": now.isoformat(),
                   "erased": "meldingteksten, namen, adressen, telefoonnummers, notities, "
                             "berichten, bijlagen, ontvangstcodes, koppelingen met leerlingen"}
    audit(session, actor, now, CERTIFICATE, f"deletion_batch:{batch.id}", None, certificate)
    return certificate


def erase_case(session: orm.Session, case_id: int, now: datetime) -> None:
    """Erase a case's personal data; keep its tombstone (see the module docstring)."""
    case = session.scalars(sa.select(Case).where(Case.id == case_id)
                           .options(orm.lazyload(Case.group)).with_for_update()
                           .execution_options(populate_existing=True)).one_or_none()
    if case is None or case.erased_at is not None:
        return
    case.reason = ERASED
    case.outcome = None
    case.receipt_hash = case.receipt_kind = None
    case.reporter_email = None
    case.about_user_id = None
    case.erased_at = now

    def erase(model, **values) -> None:
        table = model.__table__
        session.execute(sa.update(table).where(table.c.case_id == case_id).values(**values))

    erase(Report, description=ERASED, about_text=None, reporter_name=None, reporter_email=None,
          reporter_phone=None, about_user_id=None, submitted_by_id=None)
    for event in session.scalars(sa.select(CaseEvent).where(CaseEvent.case_id == case_id)):
        event.body = None
        event.submission_key = None
        event.data = {k: v for k, v in (event.data or {}).items() if k in KEPT_EVENT_DATA}
    erase(CaseAction, title=ERASED)
    erase(MeldcodeStep, finding=ERASED)
    erase(LegalHold, reason=ERASED)
    session.execute(sa.delete(OutboxMail.__table__)
                    .where(OutboxMail.__table__.c.case_id == case_id))
    # Evidence goes whole: a screenshot is nothing but personal data (issue 17).
    session.execute(sa.delete(Evidence.__table__)
                    .where(Evidence.__table__.c.case_id == case_id))
    # Which children a case was about is personal data too; the pupil register itself follows
    # its own (leaving) clock.
    session.execute(sa.delete(CasePupil.__table__)
                    .where(CasePupil.__table__.c.case_id == case_id))
    session.flush()
    session.expire_all()  # the Core updates above bypass the loaded objects


def compact(engine: sa.Engine) -> None:
    """Make erased bytes unreadable in the SQLite file: zero freed pages, empty the WAL.

    PostgreSQL keeps old row versions until VACUUM; its autovacuum removes them, and the
    README says to vacuum after a deletion round when backups are taken right after.
    """
    if engine.dialect.name != "sqlite":
        return
    import logging

    raw = engine.raw_connection()  # outside SQLAlchemy's transaction: VACUUM needs none
    try:
        cursor = raw.cursor()
        cursor.execute("VACUUM")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    except Exception:  # the deletion is committed; a busy database compacts next time
        logging.getLogger(__name__).warning("retention: SQLite VACUUM failed", exc_info=True)
    finally:
        raw.close()


# --- housekeeping the tick does -------------------------------------------------------------

def purge(session: orm.Session, now: datetime) -> dict[str, int]:
    """Delete delivered outbox mail, old access-log and audit-log rows past their settings.

    Deletion certificates stay: they prove what was deleted.
    """
    done = {}
    cut = now - timedelta(days=setting_days(session, "retention_outbox_days"))
    done["outbox"] = session.execute(
        sa.delete(OutboxMail).where(OutboxMail.status.in_(("sent", "dead")),
                                    sa.func.coalesce(OutboxMail.sent_at,
                                                     OutboxMail.created_at) < cut)).rowcount
    cut = now - timedelta(days=setting_days(session, "retention_access_log_days"))
    done["access_log"] = session.execute(sa.delete(AccessLog).where(AccessLog.at < cut)).rowcount
    cut = now - timedelta(days=setting_days(session, "retention_audit_log_days"))
    done["audit_log"] = session.execute(
        sa.delete(AdminAudit).where(AdminAudit.at < cut,
                                    AdminAudit.action != CERTIFICATE)).rowcount
    return done


JOB = "retention"


def daily(session: orm.Session, now: datetime) -> int:
    """The tick's retention work, once a day: list what became due, purge old mail and logs.

    Returns how many cases are due (0 when another tick already did today's work).
    """
    from tracker.domain.calendar import local
    from tracker.models import TickRun

    period = local(now).date().isoformat()
    if session.get(TickRun, (JOB, period)) is not None:
        return 0
    try:
        with session.begin_nested():
            session.add(TickRun(job=JOB, period=period, at=now))
    except sa.exc.IntegrityError:
        return 0  # a parallel tick claimed it first
    purge(session, now)
    record_proposal(session, now)
    return len(current_due(session, now).due)
