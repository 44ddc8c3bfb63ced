"""Sealed and legal roles take two people (issue 11.3).

Granting vertrouwenspersoon, bestuur or fg is a proposal by an admin that another person
confirms: a current holder of that role or a bestuur member, never the person it is for and
never the proposer. Until then the grant gives no rights.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tracker.domain.roles import Role

# Roles that open sealed cases or the legal routes: they are granted by two people.
TWO_PERSON_ROLES: frozenset[str] = frozenset({Role.VERTROUWENSPERSOON.value,
                                              Role.BESTUUR.value, Role.FG.value})


def needs_confirmation(role: str) -> bool:
    """Return whether granting this role is a proposal that a second person confirms."""
    return role in TWO_PERSON_ROLES


def may_propose(proposer_roles: frozenset[str]) -> bool:
    """Return whether someone may propose a grant: an admin."""
    return Role.ADMIN.value in proposer_roles


@dataclass(frozen=True)
class Proposal:
    """A pending grant: `role` for `person_id`, proposed by `proposer_id`."""

    role: str
    person_id: int
    proposer_id: int | None


def may_confirm(confirmer_id: int, confirmer_roles: frozenset[str],
                proposal: Proposal) -> bool:
    """Return whether this person may confirm (or refuse) the proposal.

    A current holder of the role or a bestuur member, who is neither the person the role is
    for nor the one who proposed it: two different people always decide.
    """
    if confirmer_id in (proposal.person_id, proposal.proposer_id):
        return False
    return proposal.role in confirmer_roles or Role.BESTUUR.value in confirmer_roles


def someone_may_confirm(proposal: Proposal,
                        people: Iterable[tuple[int, frozenset[str]]]) -> bool:
    """Return whether any of these people (id, roles) may confirm the proposal.

    When nobody may (a new school without a holder or a bestuur member), only someone with
    access to the server confirms it, from the console (`flask role-grant confirm`).
    """
    return any(may_confirm(person_id, roles, proposal) for person_id, roles in people)


def refusal(confirmer_id: int, confirmer_roles: frozenset[str], proposal: Proposal) -> str | None:
    """Return why this person may not decide on the proposal (Dutch), or None when they may."""
    if confirmer_id == proposal.person_id:
        return "Over een rol voor jezelf beslis je niet: dat doet een ander."
    if confirmer_id == proposal.proposer_id:
        return "Je hebt dit zelf voorgesteld: een tweede persoon beslist."
    if not may_confirm(confirmer_id, confirmer_roles, proposal):
        return ("Alleen een huidige houder van deze rol of een bestuurslid beslist over dit "
                "voorstel.")
    return None
