"""Sealed and legal roles take two people (issue 11.3).

Granting vertrouwenspersoon, bestuur or fg is a proposal by an admin that another person
confirms: a current holder of that role or a bestuur member, never the person it is for and
never the proposer. Until then the grant gives no rights.
"""

from __future__ import annotations

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
