"""The SQL twins of the case clock's rules (tracker/domain/lifecycle.py), for queries that sort
or filter by them. tests/test_lifecycle.py checks that each twin agrees with its rule."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.domain.lifecycle import WAITING_FOR_ACK
from tracker.domain.states import CaseState
from tracker.models import Case


def deadline_clause() -> sa.ColumnElement:
    """`waiting_for(case).due` in SQL: the moment the case waits for, NULL when nothing."""
    return sa.type_coerce(sa.case(
        (Case.status == CaseState.CLOSED, sa.null()),
        (Case.status.in_(WAITING_FOR_ACK), Case.ack_due),
        (Case.status == CaseState.RESOLVED,
         sa.case((Case.followup_result.is_(None), Case.followup_due), else_=sa.null())),
        (sa.and_(Case.legal_due.is_not(None), sa.func.coalesce(Case.legal_notices, 0) < 2),
         Case.legal_due),
        else_=Case.resolve_due), Case.ack_due.type)

