"""Receipt codes and the reporter's side of a case: look up, status, messages, replies.

Codes are stored only as keyed hashes (docs/DESIGN.md §8). A code is derived from the report's
one-time form key with a key made from SECRET_KEY, so a double click on send shows the same
code again instead of a second one; nobody can derive it without SECRET_KEY.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy import orm

from tracker.core.timeline import add_event
from tracker.domain.codes import (
    PARENT_ALPHABET,
    PARENT_CODE_LENGTH,
    PICTURE_CODE_LENGTH,
    PICTURES,
    code_hash,
    format_parent_code,
    is_valid_parent_code,
    normalize_code,
    parse_picture_code,
    picture_code_string,
)
from tracker.domain.events import REPORTER_VISIBLE, EventKind
from tracker.models import Case, CaseEvent, CaseStatus, User
from tracker.reporting.reporter_news import reporter_wrote

# How long a code keeps working after its case closed.
CODE_LIFETIME_AFTER_CLOSE = timedelta(weeks=8)
REPLY_MAX = 2000
# Events a reporter may see at follow-up; internal notes never are among them.
_MAX_TRIES = 50


def receipt_key(secret_key: str) -> bytes:
    """Return the key for code hashes, derived from the app's SECRET_KEY."""
    return hmac.new(secret_key.encode(), b"meldpunt receipt codes v1", hashlib.sha256).digest()


def _digits(key: bytes, kind: str, seed: str, attempt: int, base: int, length: int) -> list[int]:
    digest = hmac.new(key, f"{kind}:{seed}:{attempt}".encode(), hashlib.sha512).digest()
    number = int.from_bytes(digest, "big")
    out = []
    for _ in range(length):
        number, digit = divmod(number, base)
        out.append(digit)
    return out


def _candidate(key: bytes, kind: str, seed: str, attempt: int) -> tuple[str, str]:
    """Return (code as shown, canonical string hashed) for one attempt."""
    if kind == "picture":
        keys = [PICTURES[d].key for d in
                _digits(key, kind, seed, attempt, len(PICTURES), PICTURE_CODE_LENGTH)]
        canonical = picture_code_string(keys)
        return canonical, canonical
    raw = "".join(PARENT_ALPHABET[d] for d in
                  _digits(key, kind, seed, attempt, len(PARENT_ALPHABET), PARENT_CODE_LENGTH))
    return format_parent_code(raw), raw


def issue_code(session: orm.Session, case: Case, key: bytes, seed: str, kind: str) -> str:
    """Give the case a receipt code of `kind` ('picture' or 'text'); return it, once.

    When the case already has one (a second click on send), the same code is returned.
    """
    for attempt in range(_MAX_TRIES):
        shown, canonical = _candidate(key, kind, seed, attempt)
        digest = code_hash(key, canonical)
        if case.receipt_hash is not None:
            if hmac.compare_digest(case.receipt_hash, digest):
                return shown
            continue
        taken = session.scalar(sa.select(Case.id).where(Case.receipt_hash == digest))
        if taken is None:
            case.receipt_hash, case.receipt_kind = digest, kind
            session.flush()
            return shown
    raise RuntimeError("no free receipt code found")  # 24**5 codes: practically unreachable


@dataclass(frozen=True)
class Lookup:
    case: Case | None
    expired: bool = False


def canonical_code(text: str | tuple[str, ...]) -> str | None:
    """Return the hashed form of a typed or tapped code, or None when it cannot be one."""
    if isinstance(text, tuple):
        try:
            return picture_code_string(text)
        except ValueError:
            return None
    if is_valid_parent_code(text):
        return normalize_code(text)
    try:
        return picture_code_string(parse_picture_code(text))
    except ValueError:
        return None


def lookup(session: orm.Session, key: bytes, code: str | tuple[str, ...],
           now: datetime, *, kinds: tuple[str, ...]) -> Lookup:
    """Find the case a code of one of `kinds` belongs to; expired when its case closed long
    enough ago.

    `kinds` is where the code was entered: a picture code (5 of 24 pictures, about 8 million
    codes) only works at an enrolled kiosk ("picture"); the public /volgen asks for "text"
    only. A code of another kind is a wrong code: the same query, the same answer.
    """
    canonical = canonical_code(code)
    # Hash and query even malformed input: every wrong code costs the same and gets the
    # same answer ("-" is never a code's canonical form).
    digest = code_hash(key, canonical or "-")
    case = session.scalar(sa.select(Case).where(Case.receipt_hash == digest,
                                                Case.receipt_kind.in_(kinds)))
    if case is None or canonical is None:
        return Lookup(None)
    if case.closed_at is not None and now > case.closed_at + CODE_LIFETIME_AFTER_CLOSE:
        return Lookup(None, expired=True)
    return Lookup(case)


def mark_used(session: orm.Session, case: Case, now: datetime) -> None:
    """Remember that the reporter came back with the code (the first time only).

    A Core UPDATE, so the case's version stays: a member of staff with the case open is
    not told that someone changed it."""
    session.execute(sa.update(Case).where(Case.id == case.id, Case.receipt_used_at.is_(None))
                    .values(receipt_used_at=now)
                    .execution_options(synchronize_session=False))


def reporter_stage(case: Case) -> str:
    """Return where the case stands, in the words a reporter understands: a key."""
    if case.status == CaseStatus.CLOSED:
        return "closed"
    if case.status == CaseStatus.RESOLVED:
        return "resolved"
    if case.status == CaseStatus.NEW and case.acknowledged_at is None:
        return "received"
    return "in_progress"


def reporter_events(session: orm.Session, case: Case) -> list[CaseEvent]:
    """Return the messages between staff and the reporter, oldest first."""
    return list(session.scalars(
        sa.select(CaseEvent).where(CaseEvent.case_id == case.id,
                                   CaseEvent.kind.in_(REPORTER_VISIBLE))
        .order_by(CaseEvent.at, CaseEvent.id)))


def reply(session: orm.Session, case: Case, body: str, now: datetime, *,
          actor_label: str, taps: str | None = None, submission_key: str | None = None,
          still_happening: bool = False) -> CaseEvent:
    """Add the reporter's answer to the case's timeline, once per submission key (a second
    click on "send" returns the first answer), and let its handlers know (issue 12.1).
    A race between two clicks ends in an IntegrityError on the key for the second at commit:
    `store_reply` treats that as sent."""
    body = body.strip()
    if not body or len(body) > REPLY_MAX:
        raise ValueError("a reply is 1 to REPLY_MAX characters")
    if submission_key:
        earlier = session.scalar(sa.select(CaseEvent).where(
            CaseEvent.submission_key == submission_key))
        if earlier is not None and earlier.case_id == case.id and earlier.body == body:
            return earlier
        if earlier is not None:
            submission_key = None  # an old page sent again with other words: a new message
    case.updated_at = now
    data = {"taps": taps} if taps else {}
    event = add_event(session, case, EventKind.REPORTER_MESSAGE, now, actor_label=actor_label,
                      body=body, **data)
    event.submission_key = submission_key
    session.flush()
    reporter_wrote(session, case, event, now, still_happening=still_happening)
    return event


def reply_stored(session: orm.Session, submission_key: str | None) -> bool:
    """Return whether a reply with this form key is stored already (a second click)."""
    return bool(submission_key) and session.scalar(
        sa.select(CaseEvent.id).where(CaseEvent.submission_key == submission_key)) is not None


def store_reply(session: orm.Session, case: Case, body: str, now: datetime, *,
                actor_label: str, submission_key: str | None, taps: str | None = None,
                still_happening: bool = False) -> None:
    """Add and commit a reporter's reply; two clicks racing each other store it once."""
    try:
        reply(session, case, body, now, actor_label=actor_label, taps=taps,
              submission_key=submission_key, still_happening=still_happening)
        session.commit()
    except sa.exc.IntegrityError:
        session.rollback()
        stored = submission_key and session.scalar(sa.select(CaseEvent.id).where(
            CaseEvent.submission_key == submission_key))
        if not stored:
            raise  # not the other click: a real error


def message_reporter(session: orm.Session, case: Case, author: User, body: str,
                     now: datetime, *, follow_up_url: str,
                     kind: str = "message_to_reporter") -> CaseEvent:
    """Add a staff message for the reporter (`kind`: a message, or the closing message of a
    resolved case); a parent who left an address gets a mail."""
    from tracker.escalation.notify import enqueue_mail

    body = body.strip()
    if not body or len(body) > REPLY_MAX:
        raise ValueError("a message is 1 to REPLY_MAX characters")
    event = add_event(session, case, kind, now, actor=author, body=body)
    session.flush()
    if case.reporter_email:
        # The mail says only that there is news; the words stay behind the code.
        enqueue_mail(session, key=f"reporter-message:{event.id}", to=case.reporter_email,
                     recipient_kind="parent", template="reporter_message", now=now,
                     context={"follow_up_url": follow_up_url}, case=case,
                     language=case.reporter_language)
    return event
