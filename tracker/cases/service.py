"""Acting on a case: each step checked by the state machine and written on the timeline.

Every action takes the case version the person's form was built from; when the case changed
meanwhile the action is refused (StaleCase), so nobody overwrites what they have not seen.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import orm

from tracker.core.calendar import load_calendar
from tracker.core.settings import followup_days
from tracker.core.timeline import add_event
from tracker.domain.calendar import add_school_days, local_date
from tracker.domain.categories import needs_follow_up_check
from tracker.domain.events import EventKind
from tracker.domain.lifecycle import check_moment, check_pending, followup_check_at
from tracker.domain.messages import Message
from tracker.domain.permissions import SEALED, SUBJECT, receive_refusal
from tracker.domain.states import ActionNotAllowed, CaseState, CheckResult, transition
from tracker.domain.states import CaseAction as Act
from tracker.models import (
    AccessLog,
    Case,
    CaseParticipant,
    CaseStatus,
    ParticipantKind,
    User,
)

STALE_MESSAGE = (
    "Iemand anders heeft deze melding intussen gewijzigd. Je ziet hieronder de nieuwe stand; "
    "kijk of je actie nog nodig is en probeer het dan opnieuw."
)


class ActionRefused(Exception):
    """The case's state (or the facts) do not allow this action; the message is for the user."""


class StaleCase(ActionRefused):
    """The case changed after the person's form was built."""

    def __init__(self, message: str = STALE_MESSAGE) -> None:
        super().__init__(message)


def allowed(case: Case) -> frozenset[Act]:
    """Return the actions the case's state allows now."""
    from tracker.domain.states import allowed_actions

    return allowed_actions(case.status.value, check_pending=check_pending(case),
                           category=case.category, check_result=case.followup_result)


def next_state(case: Case, action: Act, version: int | None, *,
                check_result: str | None = None) -> CaseState:
    """Return the state after action, or raise StaleCase / ActionRefused."""
    if version is not None and version != case.version:
        raise StaleCase()
    result = check_result if action is Act.RECORD_CHECK else case.followup_result
    try:
        return transition(case.status.value, action, category=case.category,
                          check_pending=check_pending(case), check_result=result)
    except ActionNotAllowed as refused:
        raise ActionRefused(refused.message) from None


def apply_state(case: Case, state: CaseState, now: datetime) -> None:
    """Move the case to state; always an UPDATE, so the version moves on."""
    case.status = CaseStatus(state.value)
    case.updated_at = now
    orm.attributes.flag_modified(case, "updated_at")


def record_step(session: orm.Session, case: Case, action: Act, actor: User, now: datetime,
          version: int | None, kind: EventKind, *, body: str | None = None,
          check_result: str | None = None, **data) -> None:
    """Check, move and record one action in one go."""
    apply_state(case, next_state(case, action, version, check_result=check_result), now)
    add_event(session, case, kind, now, actor=actor, body=body, **data)


def ack_deadline(session: orm.Session, now: datetime) -> datetime:
    return add_school_days(load_calendar(session), now, 1)


def acknowledge(session: orm.Session, case: Case, actor: User, now: datetime,
                version: int | None = None) -> None:
    """Take the case on ("Ik pak dit op"): stops the acknowledgement clock."""
    if version is not None and version != case.version:
        raise StaleCase()
    if case.status in (CaseStatus.ACKNOWLEDGED, CaseStatus.IN_PROGRESS, CaseStatus.REFERRED):
        raise ActionRefused("Deze melding is al opgepakt.")
    record_step(session, case, Act.ACKNOWLEDGE, actor, now, version, EventKind.ACKNOWLEDGED)
    case.acknowledged_at = now
    case.acknowledged_by_id = actor.id
    session.flush()


def start(session: orm.Session, case: Case, actor: User, now: datetime, version: int) -> None:
    """Mark the case as being worked on."""
    record_step(session, case, Act.START, actor, now, version, EventKind.STARTED)
    session.flush()


def add_note(session: orm.Session, case: Case, actor: User, now: datetime, version: int,
             body: str) -> None:
    """Write an internal note (never shown to the reporter)."""
    record_step(session, case, Act.NOTE, actor, now, version, EventKind.NOTE,
                body=required_text(body))
    session.flush()


def message_reporter(session: orm.Session, case: Case, actor: User, now: datetime,
                     version: int, body: str, *, follow_up_url: str) -> None:
    """Write to the reporter: shown at follow-up, mailed to a parent who left an address."""
    from tracker.reporting import receipts

    apply_state(case, next_state(case, Act.MESSAGE, version), now)
    receipts.message_reporter(session, case, actor, required_text(body), now,
                              follow_up_url=follow_up_url)
    session.flush()


def refer(session: orm.Session, case: Case, actor: User, now: datetime, version: int, *,
          to: str, on: date, note: str = "") -> None:
    """Record that the case was handed to an outside body on a date."""
    record_step(session, case, Act.REFER, actor, now, version, EventKind.REFERRED,
                body=note.strip() or None, to=to, on=on.isoformat())
    session.flush()


def resolve(session: orm.Session, case: Case, actor: User, now: datetime, version: int,
            outcome: str, *, closing_message: str = "", follow_up_url: str = "") -> None:
    """Resolve with an (internal) outcome and, if given, a closing message for the reporter;
    bullying gets its follow-up check planned at once.

    The check falls `followup_days` school days later (a school setting, default 10).
    """
    from tracker.reporting import receipts

    record_step(session, case, Act.RESOLVE, actor, now, version, EventKind.RESOLVED,
                body=required_text(outcome))
    if closing_message.strip():
        receipts.message_reporter(session, case, actor, closing_message, now,
                                  follow_up_url=follow_up_url, kind=EventKind.CLOSING_MESSAGE)
    case.resolved_at, case.outcome = now, required_text(outcome)
    case.followup_due = case.followup_result = None
    if needs_follow_up_check(case.category):
        at = followup_check_at(load_calendar(session), now, followup_days(session))
        _plan_check(session, case, None, now, local_date(at))
    session.flush()


def schedule_check(session: orm.Session, case: Case, actor: User, now: datetime,
                   version: int, on: date) -> None:
    """Plan the follow-up check ("is het gestopt?") for a day."""
    state = next_state(case, Act.SCHEDULE_CHECK, version)
    if on < local_date(now):
        raise ActionRefused("Kies een datum vanaf vandaag.")
    apply_state(case, state, now)
    _plan_check(session, case, actor, now, on)
    session.flush()


def _plan_check(session: orm.Session, case: Case, actor: User | None, now: datetime,
                on: date) -> None:
    case.followup_due, case.followup_result = check_moment(on), None
    add_event(session, case, EventKind.CHECK_SCHEDULED, now, actor=actor,
              actor_label=None if actor else "system", on=on.isoformat())


def record_check(session: orm.Session, case: Case, actor: User, now: datetime, version: int,
                 result: str, note: str = "") -> None:
    """Record whether it stopped; if not, the case opens again."""
    record_step(session, case, Act.RECORD_CHECK, actor, now, version, EventKind.CHECK_RECORDED,
          body=note.strip() or None, check_result=result, result=result)
    case.followup_result = result
    if result == CheckResult.NOT_STOPPED:
        case.ack_due = ack_deadline(session, now)
    session.flush()


def close(session: orm.Session, case: Case, actor: User, now: datetime, version: int) -> None:
    """Close a resolved case (after its follow-up check, where one is needed)."""
    record_step(session, case, Act.CLOSE, actor, now, version, EventKind.CLOSED)
    case.closed_at = now
    session.flush()


def reopen(session: orm.Session, case: Case, actor: User, now: datetime, version: int,
           reason: str) -> None:
    """Open a resolved or closed case again; someone must take it on anew."""
    record_step(session, case, Act.REOPEN, actor, now, version, EventKind.REOPENED,
                body=required_text(reason))
    _open_again(session, case, now)


def reopen_for_reporter(session: orm.Session, case: Case, now: datetime, *,
                        actor_label: str) -> None:
    """Open a settled case again because its reporter says it still happens (issue 12.1)."""
    apply_state(case, next_state(case, Act.REOPEN, None), now)
    add_event(session, case, "reopened_by_reporter", now, actor_label=actor_label)
    _open_again(session, case, now)


def _open_again(session: orm.Session, case: Case, now: datetime) -> None:
    case.closed_at = None
    case.ack_due = ack_deadline(session, now)
    session.flush()


def required_text(value: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ActionRefused("Vul de tekst in.")
    return value


def ensure_can_receive(case: Case, user: User) -> None:
    """Refuse a person who may not get this case (its subject; non-VP when confidential;
    switched off)."""
    why = receive_refusal(user.id, user.role_keys, case.about_user_id, case.confidential,
                          user.active)
    if why == SUBJECT:
        raise ActionRefused(Message("Deze melding gaat over %(name)s; die kan hem niet "
                                    "krijgen.", name=user.name))
    if why == SEALED:
        raise ActionRefused("Een vertrouwelijke melding kan alleen naar een vertrouwenspersoon.")
    if why is not None:
        raise ActionRefused(Message("%(name)s is niet meer actief.", name=user.name))


def add_participant(session: orm.Session, case: Case, user: User, kind: ParticipantKind,
                    now: datetime) -> None:
    """Let a person see the case (never lowering an assignee to informed)."""
    existing = next((p for p in case.participants if p.user_id == user.id), None)
    if existing is None:
        case.participants.append(CaseParticipant(user_id=user.id, kind=kind, added_at=now))
    elif kind is ParticipantKind.ASSIGNEE:
        existing.kind = kind


# Reads that open the case page: what the reporter wrote has then been seen (issue 12.1);
# an FG's look-up or export has not.
CASE_PAGES = ("case_page", "sealed")


def record_view(session: orm.Session, case: Case, viewer: User, now: datetime,
                via: str = "case_page") -> None:
    """Log that a person opened a case (docs/DESIGN.md §8: every read is logged)."""
    session.add(AccessLog(case_id=case.id, user_id=viewer.id, at=now, via=via))
    if via in CASE_PAGES and case.reporter_news_at is not None:
        case.reporter_news_at = None


def user_by_id(session: orm.Session, user_id: int | None) -> User:
    """Return a user, or refuse."""
    user = session.get(User, user_id) if user_id else None
    if user is None:
        raise ActionRefused("Deze persoon bestaat niet.")
    return user
