"""What a message from the reporter sets off (issue 12.1): a pure rule, no Flask, no session."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.categories import is_bullying
from tracker.domain.states import ALLOWED_FROM, CaseAction, CaseState


@dataclass(frozen=True)
class ReporterSignal:
    """What happens when a reporter's message arrives on a case."""

    mail_handlers: bool  # the handlers hear of it (once per stretch of unread messages)
    reopen: bool  # a settled case opens again
    inform_anti_pest: bool  # the anti-pestcoördinator hears that the bullying goes on


def on_reporter_message(state: str, category: str, *, still_happening: bool,
                        news_pending: bool, confidential: bool) -> ReporterSignal:
    """Return what a reporter's message does to a case in `state`.

    `still_happening` is a child's "Het gebeurt nog steeds" at the kiosk; `news_pending` says
    an earlier message is still unread (its mail already went). A confidential case reaches
    the vertrouwenspersoon only, never the anti-pestcoördinator.
    """
    reopen = still_happening and CaseState(state) in ALLOWED_FROM[CaseAction.REOPEN]
    return ReporterSignal(
        mail_handlers=reopen or not news_pending,
        reopen=reopen,
        inform_anti_pest=reopen and is_bullying(category) and not confidential)
