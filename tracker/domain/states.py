"""A case's life: states, actions and the transitions between them (docs/DESIGN.md §5)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from tracker.domain.categories import needs_follow_up_check
from tracker.domain.messages import Message


class CaseState(StrEnum):
    """Where a case is in its life."""

    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    REFERRED = "referred"
    RESOLVED = "resolved"
    CLOSED = "closed"
    REOPENED = "reopened"


class CaseAction(StrEnum):
    """Things a person can do to a case."""

    ACKNOWLEDGE = "acknowledge"
    START = "start"
    ASSIGN = "assign"
    ADD_ACTION = "add_action"
    COMPLETE_ACTION = "complete_action"
    NOTE = "note"
    MESSAGE = "message"
    REFER = "refer"
    LINK = "link"
    RESOLVE = "resolve"
    SCHEDULE_CHECK = "schedule_check"
    RECORD_CHECK = "record_check"
    CLOSE = "close"
    REOPEN = "reopen"


class CheckResult(StrEnum):
    """Outcome of a follow-up check ("is het gestopt?")."""

    STOPPED = "stopped"
    NOT_STOPPED = "not_stopped"


STATE_LABELS_NL: dict[str, str] = {
    CaseState.NEW: "nieuw",
    CaseState.ACKNOWLEDGED: "opgepakt",
    CaseState.IN_PROGRESS: "in behandeling",
    CaseState.REFERRED: "doorverwezen",
    CaseState.RESOLVED: "afgerond",
    CaseState.CLOSED: "gesloten",
    CaseState.REOPENED: "heropend",
}

ACTION_LABELS_NL: dict[str, str] = {
    CaseAction.ACKNOWLEDGE: "oppakken",
    CaseAction.START: "in behandeling nemen",
    CaseAction.ASSIGN: "toewijzen",
    CaseAction.ADD_ACTION: "actie toevoegen",
    CaseAction.COMPLETE_ACTION: "actie afronden",
    CaseAction.NOTE: "interne notitie",
    CaseAction.MESSAGE: "bericht aan melder",
    CaseAction.REFER: "doorverwijzen",
    CaseAction.LINK: "koppelen",
    CaseAction.RESOLVE: "afronden",
    CaseAction.SCHEDULE_CHECK: "controle plannen",
    CaseAction.RECORD_CHECK: "controle vastleggen",
    CaseAction.CLOSE: "sluiten",
    CaseAction.REOPEN: "heropenen",
}

_S, _A = CaseState, CaseAction
OPEN_STATES = frozenset({_S.NEW, _S.ACKNOWLEDGED, _S.IN_PROGRESS, _S.REFERRED, _S.REOPENED})
NOT_CLOSED = frozenset(_S) - {_S.CLOSED}
WORKING = frozenset({_S.ACKNOWLEDGED, _S.IN_PROGRESS, _S.REFERRED, _S.REOPENED})

# action -> states it is allowed from (before context checks)
ALLOWED_FROM: dict[CaseAction, frozenset[CaseState]] = {
    _A.ACKNOWLEDGE: frozenset({_S.NEW, _S.REOPENED}),
    _A.START: frozenset({_S.ACKNOWLEDGED, _S.REFERRED}),
    _A.ASSIGN: NOT_CLOSED,
    _A.ADD_ACTION: OPEN_STATES,
    # An action planned before resolving ("gesprek met ouders") can still be ticked off.
    _A.COMPLETE_ACTION: NOT_CLOSED,
    _A.NOTE: NOT_CLOSED,
    _A.MESSAGE: NOT_CLOSED,
    _A.REFER: WORKING,
    _A.LINK: frozenset(_S),
    _A.RESOLVE: WORKING,
    _A.SCHEDULE_CHECK: frozenset({_S.RESOLVED}),
    _A.RECORD_CHECK: frozenset({_S.RESOLVED}),
    _A.CLOSE: frozenset({_S.RESOLVED}),
    _A.REOPEN: frozenset({_S.RESOLVED, _S.CLOSED}),
}

# Work on an acknowledged case starts it implicitly.
_IMPLICIT_START = frozenset({_A.ADD_ACTION, _A.COMPLETE_ACTION, _A.MESSAGE})


class ActionNotAllowed(Exception):
    """Raised when an action is not allowed; the message is Dutch and user-facing."""

    def __init__(self, message: str, *, state: str = "", action: str = "") -> None:
        """Store the Dutch message and what was attempted."""
        super().__init__(message)
        self.message, self.state, self.action = message, state, action


@dataclass(frozen=True)
class CaseContext:
    """Facts about a case that some transitions depend on."""

    category: str = ""
    check_pending: bool = False
    check_result: str | None = None


def _blocker(state: CaseState, action: CaseAction, ctx: CaseContext) -> str | None:
    """Return a Dutch reason why action cannot be done now, or None."""
    if state not in ALLOWED_FROM[action]:
        if state is _S.CLOSED:
            return "Deze casus is gesloten. Heropen hem eerst."
        if action in (_A.REFER, _A.RESOLVE) and state is _S.NEW:
            return "Pak de melding eerst op (ontvangst bevestigen)."
        return Message("'%(action)s' kan niet bij een casus met status '%(state)s'.",
                       action=ACTION_LABELS_NL[action].capitalize(),
                       state=STATE_LABELS_NL[state])
    if action is _A.SCHEDULE_CHECK and ctx.check_pending:
        return "Er staat al een controle gepland."
    if action is _A.RECORD_CHECK and not ctx.check_pending:
        return "Er staat geen controle gepland."
    if action is _A.CLOSE:
        if ctx.check_pending:
            return "Leg eerst de geplande controle vast."
        if needs_follow_up_check(ctx.category) and ctx.check_result != CheckResult.STOPPED:
            return (
                "Een pestmelding kan pas worden gesloten als bij de controle is vastgesteld "
                "dat het pesten is gestopt."
            )
    return None


def allowed_actions(state: str, *, check_pending: bool = False, category: str = "",
                    check_result: str | None = None) -> frozenset[CaseAction]:
    """Return the actions that may be done to a case in this state."""
    ctx = CaseContext(category, check_pending, check_result)
    st = CaseState(state)
    return frozenset(a for a in CaseAction if _blocker(st, a, ctx) is None)


def transition(state: str, action: str, *, category: str = "", check_pending: bool = False,
               check_result: str | None = None) -> CaseState:
    """Return the state after action, or raise ActionNotAllowed.

    For record_check, check_result is the outcome being recorded: 'not_stopped' reopens.
    For close, check_result is the outcome recorded earlier.
    """
    st, act = CaseState(state), CaseAction(action)
    ctx = CaseContext(category, check_pending, check_result)
    if act is _A.RECORD_CHECK and check_result not in (CheckResult.STOPPED,
                                                      CheckResult.NOT_STOPPED):
        raise ActionNotAllowed("Kies of het gestopt is of niet.", state=st, action=act)
    blocker = _blocker(st, act, ctx)
    if blocker:
        raise ActionNotAllowed(blocker, state=st, action=act)
    match act:
        case _A.ACKNOWLEDGE:
            return _S.ACKNOWLEDGED
        case _A.START:
            return _S.IN_PROGRESS
        case _A.REFER:
            return _S.REFERRED
        case _A.RESOLVE:
            return _S.RESOLVED
        case _A.CLOSE:
            return _S.CLOSED
        case _A.REOPEN:
            return _S.REOPENED
        case _A.RECORD_CHECK:
            return _S.REOPENED if check_result == CheckResult.NOT_STOPPED else _S.RESOLVED
    if act in _IMPLICIT_START and st is _S.ACKNOWLEDGED:
        return _S.IN_PROGRESS
    return st


@dataclass(frozen=True)
class MeldcodeStep:
    """One step of the meldcode huiselijk geweld en kindermishandeling."""

    number: int
    key: str
    title_nl: str
    gloss_en: str


MELDCODE_STEPS: tuple[MeldcodeStep, ...] = (
    MeldcodeStep(1, "signals", "Signalen in kaart brengen", "Map the signals"),
    MeldcodeStep(
        2, "consult", "Collegiale consultatie en zo nodig Veilig Thuis of een letselexpert "
        "raadplegen", "Consult a colleague and, if needed, Veilig Thuis or an injury expert",
    ),
    MeldcodeStep(3, "talk", "Gesprek met de ouders en/of het kind",
                 "Talk with the parents and/or the child"),
    MeldcodeStep(
        4, "weigh", "Wegen van het geweld of de kindermishandeling (met het afwegingskader)",
        "Weigh the violence or abuse using the assessment framework",
    ),
    MeldcodeStep(
        5, "decide", "Beslissen: hulp organiseren en/of melden bij Veilig Thuis",
        "Decide: organise help and/or report to Veilig Thuis",
    ),
)
MEELDCODE_STEPS = MELDCODE_STEPS  # alias for the spelling used in the brief
