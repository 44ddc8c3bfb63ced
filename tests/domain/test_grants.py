"""Who may confirm a grant of a sealed or legal role (issue 11.3)."""

from __future__ import annotations

import pytest

from tracker.domain.grants import (
    Proposal,
    may_confirm,
    may_propose,
    needs_confirmation,
    refusal,
    someone_may_confirm,
)

VP, BESTUUR, FG, ADMIN, DIRECTIE = "vertrouwenspersoon", "bestuur", "fg", "admin", "directie"
PERSON, PROPOSER, OTHER = 1, 2, 3


@pytest.mark.parametrize(("role", "expected"), [
    (VP, True), (BESTUUR, True), (FG, True),
    (ADMIN, False), (DIRECTIE, False), ("leerkracht", False), ("ib", False), ("anti_pest", False),
])
def test_which_roles_take_two_people(role, expected):
    assert needs_confirmation(role) is expected


@pytest.mark.parametrize(("roles", "expected"), [
    ({ADMIN}, True), ({ADMIN, DIRECTIE}, True), ({DIRECTIE}, False), ({VP}, False),
    ({BESTUUR}, False), (set(), False),
])
def test_only_an_admin_proposes(roles, expected):
    assert may_propose(frozenset(roles)) is expected


@pytest.mark.parametrize(("role", "confirmer", "roles", "proposer", "expected"), [
    # A current holder of the role confirms.
    (VP, OTHER, {VP}, PROPOSER, True),
    (FG, OTHER, {FG}, PROPOSER, True),
    (BESTUUR, OTHER, {BESTUUR}, PROPOSER, True),
    # A bestuur member confirms any of the three.
    (VP, OTHER, {BESTUUR}, PROPOSER, True),
    (FG, OTHER, {BESTUUR, "leerkracht"}, PROPOSER, True),
    # Holding another sealed role, or administering accounts, is not enough.
    (VP, OTHER, {FG}, PROPOSER, False),
    (FG, OTHER, {VP}, PROPOSER, False),
    (BESTUUR, OTHER, {VP, FG}, PROPOSER, False),
    (VP, OTHER, {ADMIN, DIRECTIE}, PROPOSER, False),
    (VP, OTHER, set(), PROPOSER, False),
    # Never the person the role is for, even when they hold it (or are bestuur) already.
    (VP, PERSON, {VP, BESTUUR}, PROPOSER, False),
    (BESTUUR, PERSON, {BESTUUR}, PROPOSER, False),
    # Never the proposer: an admin who is also VP cannot grant it alone.
    (VP, PROPOSER, {VP, ADMIN}, PROPOSER, False),
    (FG, PROPOSER, {BESTUUR, ADMIN}, PROPOSER, False),
    # An admin proposing for themself: someone else confirms, not them.
    (VP, PERSON, {VP, ADMIN}, PERSON, False),
    (VP, OTHER, {VP}, PERSON, True),
    # A proposal whose proposer's account was removed: still two people.
    (VP, OTHER, {VP}, None, True),
])
def test_who_may_confirm(role, confirmer, roles, proposer, expected):
    proposal = Proposal(role=role, person_id=PERSON, proposer_id=proposer)
    assert may_confirm(confirmer, frozenset(roles), proposal) is expected


@pytest.mark.parametrize(("role", "people", "expected"), [
    # A new school: only the admin who proposed and the person it is for.
    (VP, [(PROPOSER, {ADMIN, DIRECTIE}), (PERSON, {"leerkracht"})], False),
    # The person it is for being bestuur does not count, nor does an FG for a VP grant.
    (VP, [(PERSON, {BESTUUR}), (OTHER, {FG})], False),
    (VP, [(OTHER, {VP})], True),
    (FG, [(OTHER, {BESTUUR})], True),
    (BESTUUR, [], False),
])
def test_whether_anyone_in_the_school_may_confirm(role, people, expected):
    proposal = Proposal(role=role, person_id=PERSON, proposer_id=PROPOSER)
    assert someone_may_confirm(proposal, [(i, frozenset(r)) for i, r in people]) is expected


@pytest.mark.parametrize(("confirmer", "roles", "expected"), [
    (PERSON, {VP, BESTUUR}, "voor jezelf"),
    (PROPOSER, {VP, ADMIN}, "zelf voorgesteld"),
    (OTHER, {ADMIN, DIRECTIE}, "houder van deze rol of een bestuurslid"),
    (OTHER, {VP}, None),
])
def test_a_refusal_says_why(confirmer, roles, expected):
    proposal = Proposal(role=VP, person_id=PERSON, proposer_id=PROPOSER)
    found = refusal(confirmer, frozenset(roles), proposal)
    assert found is None if expected is None else expected in found
