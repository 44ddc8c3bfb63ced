"""A child's chronology: every case linked to the pupil that the viewer may see (issue 15.3).

Newest first, with category, the child's role, status and dates; a summary for the roles that
oversee pupil care. Each listed case is a read: it lands in the access log. Sealed cases
appear only to the vertrouwenspersoon, and a case about the viewer never (visible_clause,
sealed_clause: the same rule as the queue).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.cases.service import record_view
from tracker.core.access import sealed_clause, visible_clause
from tracker.domain.calendar import local_date
from tracker.domain.pupils import SUMMARY_ROLES, school_year_start
from tracker.models import Case, CasePupil, Pupil, User


@dataclass(frozen=True)
class Entry:
    case: Case
    role: str


@dataclass(frozen=True)
class Chronology:
    pupil: Pupil
    entries: list[Entry]
    summary: bool  # whether the viewer sees the counts below
    per_category: Counter = field(default_factory=Counter)
    per_role: Counter = field(default_factory=Counter)
    this_year: int = 0


def chronology(session: orm.Session, pupil: Pupil, viewer: User, now: datetime) -> Chronology:
    """Return the child's cases the viewer may see, newest first (log them with record_reads)."""
    rows = session.execute(
        sa.select(Case, CasePupil.role).join(CasePupil, CasePupil.case_id == Case.id)
        .where(CasePupil.pupil_id == pupil.id,
               sa.or_(visible_clause(viewer, few=True), sealed_clause(viewer)))
        .options(orm.selectinload(Case.participants))
        .order_by(Case.created_at.desc(), Case.id.desc())).all()
    entries = [Entry(case, role) for case, role in rows]
    if not viewer.role_keys & SUMMARY_ROLES:
        return Chronology(pupil, entries, summary=False)
    start = school_year_start(local_date(now))
    year = [e for e in entries if local_date(e.case.created_at) >= start]
    return Chronology(pupil, entries, True, Counter(e.case.category for e in year),
                      Counter(e.role for e in year), len(year))


def record_reads(session: orm.Session, view: Chronology, viewer: User, now: datetime) -> None:
    """Write every case the chronology showed into the access log."""
    for entry in view.entries:
        record_view(session, entry.case, viewer, now, via="chronology")
