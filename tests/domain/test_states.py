"""Case state machine per docs/DESIGN.md §5."""

from __future__ import annotations

import pytest

from tracker.domain.states import (
    MEELDCODE_STEPS,
    MELDCODE_STEPS,
    ActionNotAllowed,
    CaseAction,
    CaseState,
    allowed_actions,
    transition,
)

S, A = CaseState, CaseAction


@pytest.mark.parametrize(
    ("state", "action", "ctx", "expected"),
    [
        (S.NEW, A.ACKNOWLEDGE, {}, S.ACKNOWLEDGED),
        (S.REOPENED, A.ACKNOWLEDGE, {}, S.ACKNOWLEDGED),
        (S.ACKNOWLEDGED, A.START, {}, S.IN_PROGRESS),
        (S.REFERRED, A.START, {}, S.IN_PROGRESS),
        (S.ACKNOWLEDGED, A.ADD_ACTION, {}, S.IN_PROGRESS),  # work starts the case
        (S.ACKNOWLEDGED, A.MESSAGE, {}, S.IN_PROGRESS),
        (S.ACKNOWLEDGED, A.NOTE, {}, S.ACKNOWLEDGED),  # a note alone is not work
        (S.NEW, A.NOTE, {}, S.NEW),
        (S.NEW, A.MESSAGE, {}, S.NEW),  # messaging does not acknowledge
        (S.NEW, A.ASSIGN, {}, S.NEW),
        (S.IN_PROGRESS, A.ASSIGN, {}, S.IN_PROGRESS),
        (S.IN_PROGRESS, A.COMPLETE_ACTION, {}, S.IN_PROGRESS),
        (S.REFERRED, A.ADD_ACTION, {}, S.REFERRED),
        (S.ACKNOWLEDGED, A.REFER, {}, S.REFERRED),
        (S.IN_PROGRESS, A.REFER, {}, S.REFERRED),
        (S.ACKNOWLEDGED, A.RESOLVE, {}, S.RESOLVED),
        (S.IN_PROGRESS, A.RESOLVE, {}, S.RESOLVED),
        (S.REFERRED, A.RESOLVE, {}, S.RESOLVED),
        (S.REOPENED, A.RESOLVE, {}, S.RESOLVED),
        (S.RESOLVED, A.NOTE, {}, S.RESOLVED),
        (S.RESOLVED, A.SCHEDULE_CHECK, {"category": "bullying"}, S.RESOLVED),
        (S.RESOLVED, A.RECORD_CHECK,
         {"category": "bullying", "check_pending": True, "check_result": "stopped"}, S.RESOLVED),
        (S.RESOLVED, A.RECORD_CHECK,
         {"category": "bullying", "check_pending": True, "check_result": "not_stopped"},
         S.REOPENED),
        (S.RESOLVED, A.CLOSE, {"category": "other"}, S.CLOSED),
        (S.RESOLVED, A.CLOSE, {"category": "bullying", "check_result": "stopped"}, S.CLOSED),
        (S.RESOLVED, A.CLOSE, {"category": "cyberbullying", "check_result": "stopped"},
         S.CLOSED),
        (S.RESOLVED, A.REOPEN, {}, S.REOPENED),
        (S.CLOSED, A.REOPEN, {}, S.REOPENED),
        (S.CLOSED, A.LINK, {}, S.CLOSED),
        (S.NEW, A.LINK, {}, S.NEW),
    ],
)
def test_transition(state: CaseState, action: CaseAction, ctx: dict, expected: CaseState) -> None:
    assert transition(state, action, **ctx) == expected
    assert action in allowed_actions(state, **ctx)


@pytest.mark.parametrize(
    ("state", "action", "ctx", "message"),
    [
        (S.ACKNOWLEDGED, A.ACKNOWLEDGE, {}, "kan niet bij een casus met status 'opgepakt'"),
        (S.IN_PROGRESS, A.ACKNOWLEDGE, {}, "status 'in behandeling'"),
        (S.NEW, A.RESOLVE, {}, "Pak de melding eerst op"),
        (S.NEW, A.REFER, {}, "Pak de melding eerst op"),
        (S.NEW, A.CLOSE, {}, "status 'nieuw'"),
        (S.IN_PROGRESS, A.CLOSE, {}, "status 'in behandeling'"),
        (S.RESOLVED, A.RESOLVE, {}, "status 'afgerond'"),
        (S.IN_PROGRESS, A.REOPEN, {}, "Heropenen"),
        (S.CLOSED, A.NOTE, {}, "gesloten"),
        (S.CLOSED, A.MESSAGE, {}, "gesloten"),
        (S.CLOSED, A.ASSIGN, {}, "gesloten"),
        (S.RESOLVED, A.CLOSE, {"category": "bullying"}, "pesten is gestopt"),
        (S.RESOLVED, A.CLOSE, {"category": "bullying", "check_result": "not_stopped"},
         "pesten is gestopt"),
        (S.RESOLVED, A.CLOSE, {"category": "other", "check_pending": True},
         "Leg eerst de geplande controle vast"),
        (S.RESOLVED, A.SCHEDULE_CHECK, {"check_pending": True}, "al een controle gepland"),
        (S.RESOLVED, A.RECORD_CHECK, {"check_result": "stopped"}, "geen controle gepland"),
        (S.RESOLVED, A.RECORD_CHECK, {"check_pending": True}, "Kies of het gestopt is"),
        (S.IN_PROGRESS, A.SCHEDULE_CHECK, {}, "Controle plannen"),
    ],
)
def test_not_allowed(state: CaseState, action: CaseAction, ctx: dict, message: str) -> None:
    with pytest.raises(ActionNotAllowed, match=message) as err:
        transition(state, action, **ctx)
    assert err.value.state == state and err.value.action == action
    if action is not A.RECORD_CHECK or ctx.get("check_pending") is not True:
        assert action not in allowed_actions(state, **ctx)


@pytest.mark.parametrize(
    ("state", "ctx", "expected"),
    [
        (S.NEW, {}, {A.ACKNOWLEDGE, A.ASSIGN, A.ADD_ACTION, A.COMPLETE_ACTION, A.NOTE,
                     A.MESSAGE, A.LINK}),
        (S.CLOSED, {}, {A.REOPEN, A.LINK}),
        (S.RESOLVED, {"category": "bullying"},
         {A.ASSIGN, A.NOTE, A.MESSAGE, A.LINK, A.SCHEDULE_CHECK, A.REOPEN, A.COMPLETE_ACTION}),
        (S.RESOLVED, {"category": "bullying", "check_pending": True},
         {A.ASSIGN, A.NOTE, A.MESSAGE, A.LINK, A.RECORD_CHECK, A.REOPEN, A.COMPLETE_ACTION}),
        (S.RESOLVED, {"category": "bullying", "check_result": "stopped"},
         {A.ASSIGN, A.NOTE, A.MESSAGE, A.LINK, A.SCHEDULE_CHECK, A.CLOSE, A.REOPEN,
          A.COMPLETE_ACTION}),
        (S.RESOLVED, {"category": "phone_misuse"},
         {A.ASSIGN, A.NOTE, A.MESSAGE, A.LINK, A.SCHEDULE_CHECK, A.CLOSE, A.REOPEN,
          A.COMPLETE_ACTION}),
    ],
)
def test_allowed_actions(state: CaseState, ctx: dict, expected: set[CaseAction]) -> None:
    assert allowed_actions(state, **ctx) == frozenset(expected)


@pytest.mark.parametrize("bad", ["bogus", ""])
def test_unknown_state_or_action_is_an_error(bad: str) -> None:
    with pytest.raises(ValueError):
        transition(bad, "acknowledge")
    with pytest.raises(ValueError):
        transition("new", bad)


def test_meldcode_has_five_steps_in_order() -> None:
    assert MEELDCODE_STEPS is MELDCODE_STEPS
    assert [s.number for s in MELDCODE_STEPS] == [1, 2, 3, 4, 5]
    assert len({s.key for s in MELDCODE_STEPS}) == 5
    assert "Veilig Thuis" in MELDCODE_STEPS[4].title_nl
    assert all(s.gloss_en for s in MELDCODE_STEPS)
