"""Repetition signals to the anti-pestcoördinator, once per pattern (issue 15.4).

After a child is linked to a case the pupil patterns are checked, after a new report the place
pattern. A new pattern becomes a RepetitionSignal (pointing at its newest case), a content-free
mail to every anti-pestcoördinator about the newest case, and a line on their queue page; they
are informed of the pattern's cases so that they can open them (never of a case about
themselves), and each of those cases gets a timeline event saying so. The thresholds are
school settings (tracker.core.settings).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.cases.service import add_participant
from tracker.core.access import visible_clause
from tracker.core.calendar import load_calendar
from tracker.core.settings import repetition_thresholds
from tracker.core.timeline import add_event
from tracker.domain import repetition as rules
from tracker.domain.permissions import may_receive
from tracker.escalation import notify
from tracker.models import (
    Case,
    CasePupil,
    ParticipantKind,
    RepetitionSignal,
    Report,
    User,
    role_members,
)

COORDINATOR = "anti_pest"


def _facts(session: orm.Session, case_ids: set[int]) -> dict[int, rules.CaseFact]:
    rows = session.execute(sa.select(Case.id, Case.created_at, Case.category, Case.confidential)
                           .where(Case.id.in_(case_ids))) if case_ids else []
    return {r.id: rules.CaseFact(r.id, r.created_at, r.category, r.confidential) for r in rows}


def after_link(session: orm.Session, case: Case, now: datetime) -> list[RepetitionSignal]:
    """Check the pupil patterns of a case whose children changed; signal the new ones."""
    here = session.execute(sa.select(CasePupil.pupil_id, CasePupil.role)
                           .where(CasePupil.case_id == case.id)).all()
    if not here:
        return []
    links: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in session.execute(sa.select(CasePupil.case_id, CasePupil.pupil_id, CasePupil.role)
                               .where(CasePupil.pupil_id.in_({p for p, _ in here}))):
        links[row.case_id].append((row.pupil_id, row.role))
    facts = _facts(session, set(links))
    days, _ = repetition_thresholds(session)
    cal = load_calendar(session)
    patterns = []
    for pupil_id, role in here:
        if role == rules.AFFECTED:
            mine = [facts[cid] for cid, rows in links.items()
                    if (pupil_id, rules.AFFECTED) in rows and cid in facts]
            patterns.append(rules.repeat_affected(pupil_id, mine, case.id, cal, days))
    patterns += rules.repeated_pairs(links, facts, case.id)
    return [s for p in patterns if p and (s := _signal(session, p, facts, now))]


def after_report(session: orm.Session, case: Case, location: str | None,
                 now: datetime) -> RepetitionSignal | None:
    """Check the place pattern after a new report; signal it when new."""
    if location is None or case.confidential:
        return None
    _, count = repetition_thresholds(session)
    # A month is at most 31 days; the rule itself decides what falls within it.
    rows = session.execute(
        sa.select(Case.id, Case.created_at, Case.category, Case.confidential, Report.location)
        .join(Report, Report.case_id == Case.id)
        .where(Report.location == location, Case.created_at >= case.created_at
               - timedelta(days=32), Case.created_at <= case.created_at)).all()
    facts = {r.id: rules.CaseFact(r.id, r.created_at, r.category, r.confidential, r.location)
             for r in rows}
    trigger = facts.get(case.id)
    pattern = rules.same_place(list(facts.values()), trigger, count) if trigger else None
    return _signal(session, pattern, facts, now) if pattern else None


def _signal(session: orm.Session, pattern: rules.Pattern, facts: dict[int, rules.CaseFact],
            now: datetime) -> RepetitionSignal | None:
    if session.scalar(sa.select(RepetitionSignal.id)
                      .where(RepetitionSignal.key == pattern.key)) is not None:
        return None  # told once per pattern
    newest_id = max(pattern.case_ids, key=lambda cid: (facts[cid].at, cid))
    signal = RepetitionSignal(kind=pattern.kind, key=pattern.key, case_id=newest_id,
                              case_ids=list(pattern.case_ids), at=now)
    session.add(signal)
    coordinators = role_members(session, COORDINATOR)
    cases = {c.id: c for c in session.scalars(sa.select(Case)
                                             .where(Case.id.in_(pattern.case_ids)))}
    # Each case of the pattern says why the coordinators are now on it (the signal's reason).
    for case in cases.values():
        informed = [p.id for p in coordinators
                    if may_receive(p.id, p.role_keys, case.about_user_id, case.confidential)]
        for person in (p for p in coordinators if p.id in informed):
            add_participant(session, case, person, ParticipantKind.INFORMED, now)
        add_event(session, case, "repetition_signal", now, actor_label="system",
                  signal=pattern.kind, cases=list(pattern.case_ids), informed=informed)
    newest = cases[newest_id]
    session.flush()
    notify.mail_staff(session, coordinators, newest, template="repetition_signal",
                      key=f"repetition:{signal.id}", now=now, urgent=False)
    return signal


def for_queue(session: orm.Session, user: User, limit: int = 20) -> list[tuple[RepetitionSignal,
                                                                             list[int]]]:
    """Return the newest signals for an anti-pestcoördinator, each with the cases they may
    open (the pattern's cases they can see)."""
    if not user.has_role(COORDINATOR):
        return []
    signals = list(session.scalars(sa.select(RepetitionSignal)
                                   .order_by(RepetitionSignal.at.desc(),
                                             RepetitionSignal.id.desc()).limit(limit)))
    ids = {cid for s in signals for cid in s.case_ids}
    visible = set(session.scalars(sa.select(Case.id).where(
        Case.id.in_(ids), visible_clause(user, few=True)))) if ids else set()
    return [(s, [cid for cid in s.case_ids if cid in visible]) for s in signals
            if s.case_id in visible]
