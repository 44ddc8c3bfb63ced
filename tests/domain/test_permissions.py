"""Who may be given a case: one rule for assigning, an action's owner and a hand-over."""

from __future__ import annotations

import pytest

from tracker.domain.permissions import (
    INACTIVE,
    SEALED,
    SUBJECT,
    may_receive,
    receive_refusal,
    role_may_hold,
)

TEACHER = frozenset({"leerkracht"})
VP = frozenset({"vertrouwenspersoon"})
HEAD = frozenset({"directie", "admin"})


@pytest.mark.parametrize(("user_id", "roles", "about", "confidential", "active", "why"), [
    (1, TEACHER, None, False, True, None),  # an ordinary case, anyone active
    (1, HEAD, 2, False, True, None),  # about someone else
    (2, TEACHER, 2, False, True, SUBJECT),  # the report is about them
    (2, HEAD, 2, False, True, SUBJECT),  # even the directie
    (2, VP, 2, True, True, SUBJECT),  # even a VP, for a sealed case about them
    (1, HEAD, None, True, True, SEALED),  # sealed: the directie is no VP
    (1, frozenset({"admin"}), None, True, True, SEALED),  # nor is an admin
    (1, VP | HEAD, None, True, True, None),  # a VP who is also directie
    (1, VP, None, True, True, None),
    (1, TEACHER, None, False, False, INACTIVE),  # switched off
    (1, VP, None, True, False, INACTIVE),
    (2, TEACHER, 2, False, False, SUBJECT),  # the subject reason comes first
])
def test_who_may_receive_a_case(user_id, roles, about, confidential, active, why):
    assert receive_refusal(user_id, roles, about, confidential, active) == why
    assert may_receive(user_id, roles, about, confidential, active) is (why is None)


@pytest.mark.parametrize(("role", "confidential", "may"), [
    ("leerkracht", False, True),
    ("directie", False, True),
    ("vertrouwenspersoon", False, True),
    ("vertrouwenspersoon", True, True),  # a sealed case: the VP only
    ("leerkracht", True, False),
    ("directie", True, False),
    ("bestuur", True, False),
    ("fg", True, False),
])
def test_which_roles_may_hold_a_case(role, confidential, may):
    assert role_may_hold(role, confidential) is may
