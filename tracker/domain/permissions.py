"""Who may see and act on a case. One rule, used by views, templates and queries."""

from __future__ import annotations

from dataclasses import dataclass

VP_ROLE = "vertrouwenspersoon"
OVERSIGHT_ROLE = "directie"
# Who analyses the figures (/overzicht, issue 14): each counts what they may see.
INSIGHT_ROLES = frozenset({"directie", "anti_pest", "ib", "fg"})


@dataclass(frozen=True)
class Viewer:
    id: int
    roles: frozenset[str]


@dataclass(frozen=True)
class CaseScope:
    """What access depends on: who the case reaches, whether it is sealed, whom it is about."""

    participant_ids: frozenset[int]
    confidential: bool
    about_user_id: int | None


def can_view(viewer: Viewer, case: CaseScope) -> bool:
    """Return whether the viewer may see the case at all (lists, counts, pages)."""
    if case.about_user_id is not None and case.about_user_id == viewer.id:
        return False  # a report about a person never reaches that person
    if case.confidential:
        return VP_ROLE in viewer.roles
    return viewer.id in case.participant_ids or OVERSIGHT_ROLE in viewer.roles


def can_act(viewer: Viewer, case: CaseScope) -> bool:
    """Return whether the viewer may take actions on the case."""
    return can_view(viewer, case)


def can_see_access_log(viewer: Viewer, case: CaseScope) -> bool:
    """Return whether the viewer may read who opened the case: the VP for sealed cases,
    the directie for ordinary ones (docs/DESIGN.md §8)."""
    if not can_view(viewer, case):
        return False
    return (VP_ROLE if case.confidential else OVERSIGHT_ROLE) in viewer.roles


def overviews(viewer: Viewer) -> tuple[str, ...]:
    """Return the overviews the viewer may open: 'ordinary' (the cases they may see) and
    'sealed' (the vertrouwenspersoon's own: the only place sealed cases are counted)."""
    return tuple(kind for kind, ok in (("ordinary", bool(INSIGHT_ROLES & viewer.roles)),
                                       ("sealed", VP_ROLE in viewer.roles)) if ok)


# Why a person may not be given a case (None: they may). One rule for every way a case
# reaches someone: assigning, an action's owner, handing over a departing colleague's cases.
SUBJECT = "subject"  # the report is about them
SEALED = "sealed"  # confidential, and they are no vertrouwenspersoon
INACTIVE = "inactive"  # their account is switched off


def receive_refusal(user_id: int, roles: frozenset[str], about_user_id: int | None,
                    confidential: bool, active: bool = True) -> str | None:
    """Return why a person may not be given a case (SUBJECT, SEALED, INACTIVE), or None."""
    if about_user_id is not None and user_id == about_user_id:
        return SUBJECT
    if confidential and VP_ROLE not in roles:
        return SEALED
    if not active:
        return INACTIVE
    return None


# Who takes a case when the colleague chosen may not have it (the case is about them, or it is
# sealed), as routing passes it on (docs/DESIGN.md §4 rule 1): an ordinary case to the
# directie, or the bestuur when the subject is of the directie; a sealed case to another
# vertrouwenspersoon.
HAND_OVER_FALLBACK: dict[bool, tuple[str, ...]] = {False: (OVERSIGHT_ROLE, "bestuur"),
                                                   True: (VP_ROLE,)}


def role_may_hold(role: str, confidential: bool) -> bool:
    """Return whether a role's holders may be given a case at all (a sealed case: the VP only)."""
    return receive_refusal(0, frozenset({role}), None, confidential) is None


def may_receive(user_id: int, roles: frozenset[str], about_user_id: int | None,
                confidential: bool, active: bool = True) -> bool:
    """Return whether a person may be given a case (assigned, informed, owner of an action)."""
    return receive_refusal(user_id, roles, about_user_id, confidential, active) is None
