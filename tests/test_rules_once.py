"""Lists that several places used to keep by hand, each written once (issue 13.3)."""

from __future__ import annotations

from tracker.admin import rules
from tracker.cases import forms
from tracker.domain.roles import CASE_ROLES, Role


def test_the_roles_a_case_can_go_to_are_one_list():
    assert Role.ADMIN not in CASE_ROLES and set(CASE_ROLES) == {r.value for r in Role} - {"admin"}
    assert rules.RULE_ROLES == CASE_ROLES  # a routing rule may name them
    assert tuple(forms.ROLES) == CASE_ROLES  # the case page's "assign to a role" offers them
