"""Load-and-check helpers: the one place views and templates ask who may see a case."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy import orm

from tracker.domain.permissions import OVERSIGHT_ROLE, VP_ROLE, CaseScope, Viewer, can_act
from tracker.models import Case, CaseParticipant, User


def viewer_of(user: User) -> Viewer:
    """Return the permission view of a user."""
    return Viewer(id=user.id, roles=user.role_keys)


def scope_of(case: Case) -> CaseScope:
    """Return the permission view of a case (participants must be loaded)."""
    return CaseScope(
        participant_ids=frozenset(p.user_id for p in case.participants),
        confidential=case.confidential,
        about_user_id=case.about_user_id,
    )


def visible_clause(user: User) -> sa.ColumnElement[bool]:
    """Return the SQL form of `can_view` for queries over Case."""
    not_about = sa.or_(Case.about_user_id.is_(None), Case.about_user_id != user.id)
    roles = user.role_keys
    confidential = sa.true() if VP_ROLE in roles else sa.false()
    if OVERSIGHT_ROLE in roles:
        ordinary = sa.true()
    else:
        ordinary = sa.exists().where(CaseParticipant.case_id == Case.id,
                                     CaseParticipant.user_id == user.id)
    return sa.and_(
        not_about,
        sa.or_(sa.and_(Case.confidential.is_(True), confidential),
               sa.and_(Case.confidential.is_(False), ordinary)),
    )


def case_or_404(session: orm.Session, case_id: int, user: User) -> Case:
    """Load a case the user may act on; a missing case and a forbidden one look the same."""
    case = session.scalar(
        sa.select(Case).where(Case.id == case_id)
        .options(orm.selectinload(Case.participants), orm.selectinload(Case.reports))
    )
    if case is None or not can_act(viewer_of(user), scope_of(case)):
        abort(404)
    return case
