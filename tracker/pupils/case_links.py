"""Children on a case: find the pupils a person may see, link and unlink them (issue 15.2).

A link says what a child is in the case (affected, involved, reported as causing it); it never
changes what the reporter wrote. Each link and unlink is a timeline event holding the pupil's
id and role only: the name stays in the encrypted register.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.cases.service import ActionRefused
from tracker.core.timeline import add_event
from tracker.domain.pupils import LinkRole, may_see_pupil, name_key, sees_all_pupils
from tracker.models import Case, CasePupil, CaseStatus, Pupil, User, group_teacher
from tracker.pupils import repetition


def own_group_ids(session: orm.Session, user: User) -> frozenset[int]:
    """Return the ids of the groups the person teaches."""
    return frozenset(session.scalars(sa.select(group_teacher.c.group_id)
                                     .where(group_teacher.c.user_id == user.id)))


def may_see(session: orm.Session, user: User, pupil: Pupil) -> bool:
    """Return whether the person may find this pupil (their groups, or the whole school)."""
    roles = user.role_keys
    if sees_all_pupils(roles):
        return True
    return may_see_pupil(roles, own_group_ids(session, user), pupil.group_id)


def visible_pupils(session: orm.Session, user: User, query: str = "") -> list[Pupil]:
    """Return the pupils at school the person may find, by name, sorted by name.

    Names are encrypted, so the search runs in Python over the pupils of the person's groups
    (a teacher) or of the school (a few hundred).
    """
    stmt = sa.select(Pupil).where(Pupil.left_on.is_(None))
    if not sees_all_pupils(user.role_keys):
        stmt = stmt.where(Pupil.group_id.in_(own_group_ids(session, user) or {-1}))
    wanted = name_key(query)
    found = [p for p in session.scalars(stmt) if wanted in name_key(p.name)]
    return sorted(found, key=lambda p: (name_key(p.last_name), name_key(p.first_name)))


def linked(session: orm.Session, case: Case) -> list[CasePupil]:
    """Return the children linked to a case, in the order they were linked."""
    return list(session.scalars(sa.select(CasePupil).where(CasePupil.case_id == case.id)
                                .order_by(CasePupil.linked_at, CasePupil.pupil_id)))


def link(session: orm.Session, case: Case, actor: User, now: datetime, pupil_id: int | None,
         role: str) -> CasePupil:
    """Link a pupil the actor may see to the case in a role; refuse a second link."""
    if case.status == CaseStatus.CLOSED:
        raise ActionRefused("Deze casus is gesloten. Heropen hem eerst.")
    if role not in {r.value for r in LinkRole}:
        raise ActionRefused("Kies wat het kind in deze melding is.")
    pupil = session.get(Pupil, pupil_id) if pupil_id else None
    if pupil is None or pupil.left_on is not None or not may_see(session, actor, pupil):
        raise ActionRefused("Deze leerling kun je niet koppelen: niet gevonden, of niet in "
                            "jouw groep.")
    if session.get(CasePupil, (case.id, pupil.id)) is not None:
        raise ActionRefused("Deze leerling is al aan deze melding gekoppeld. Ontkoppel eerst "
                            "om de rol te veranderen.")
    row = CasePupil(case_id=case.id, pupil_id=pupil.id, role=role, linked_at=now,
                    linked_by_id=actor.id)
    session.add(row)
    add_event(session, case, "pupil_linked", now, actor=actor, pupil=pupil.id, role=role)
    session.flush()
    repetition.after_link(session, case, now)
    return row


def unlink(session: orm.Session, case: Case, actor: User, now: datetime,
           pupil_id: int | None) -> None:
    """Take a child off the case; the timeline keeps that it was linked."""
    if case.status == CaseStatus.CLOSED:
        raise ActionRefused("Deze casus is gesloten. Heropen hem eerst.")
    row = session.get(CasePupil, (case.id, pupil_id)) if pupil_id else None
    if row is None:
        raise ActionRefused("Deze leerling is niet aan deze melding gekoppeld.")
    session.delete(row)
    add_event(session, case, "pupil_unlinked", now, actor=actor, pupil=row.pupil_id,
              role=row.role)
    session.flush()


@dataclass(frozen=True)
class Panel:
    """What the case page shows of the children: who is linked, and whom one may link."""

    links: list[CasePupil]
    visible_ids: frozenset[int]  # linked pupils whose chronology the viewer may open
    candidates: list[Pupil]
    query: str
    names: dict[int, str]  # every pupil the timeline mentions


def panel(session: orm.Session, case: Case, viewer: User, query: str,
          mentioned: set[int]) -> Panel:
    """Return the children part of a case page; pupils to link only once a name is searched
    (one query for an ordinary page view)."""
    links = linked(session, case)
    linked_ids = {row.pupil_id for row in links}
    candidates = [p for p in visible_pupils(session, viewer, query)
                  if p.id not in linked_ids] if query else []
    others = mentioned - linked_ids
    pupils = [row.pupil for row in links] + (list(session.scalars(
        sa.select(Pupil).where(Pupil.id.in_(others)))) if others else [])
    roles = viewer.role_keys
    groups = own_group_ids(session, viewer) if links and not sees_all_pupils(roles) else \
        frozenset()
    visible = frozenset(row.pupil_id for row in links
                        if may_see_pupil(roles, groups, row.pupil.group_id))
    return Panel(links, visible, candidates, query, {p.id: p.name for p in pupils})
