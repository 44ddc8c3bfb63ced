"""Delivering queued mail with Flask-Mail: row claims, retries with backoff, dead letters.

A row goes pending -> sending (committed before SMTP) -> sent, or back to pending with a
later next_attempt_at, or to dead after the last try or a permanent error. A row left in
'sending' by a crash is never re-sent by itself (it may have gone out): once its lease ends it
becomes dead with a reason, and `flask outbox retry ID` sends it again with the same
Message-ID, so a receiving mail system can still recognise a duplicate.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlparse

import flask_mail
import jinja2
import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, format_datetime
from sqlalchemy import orm

from tracker.core.redact import redact
from tracker.core.school import school_name
from tracker.domain.addresses import AddressError, ascii_address
from tracker.escalation.notify import release_time
from tracker.models import OutboxMail

log = logging.getLogger(__name__)

PENDING, SENDING, SENT, DEAD = "pending", "sending", "sent", "dead"
# Context keys that are secrets for the recipient only: dropped once the mail went out.
SECRET_KEYS = frozenset({"code", "receipt_code", "token", "password"})
# Templates whose link carries a one-time token.
SECRET_LINK_TEMPLATES = frozenset({"invite", "password_reset", "reset"})
MAX_ATTEMPTS = 8  # 1+2+4+...+64 minutes: about two hours of trying
RETRY_BASE = timedelta(minutes=1)
LEASE = timedelta(minutes=10)
SMTP_TIMEOUT = 30


@dataclass
class SendResult:
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    dead: list[int] = field(default_factory=list)


class PermanentError(Exception):
    """Trying again cannot help (bad template, refused address)."""


def message_id(key: str) -> str:
    """Return the stable Message-ID of an outbox key (same on every retry)."""
    host = urlparse(current_app.config.get("TRACKER_BASE_URL") or "").hostname
    digest = hashlib.sha256(key.encode()).hexdigest()[:40]
    return f"<{digest}@{host or 'meldpunt.invalid'}>"


def retry_at(mail: OutboxMail, now: datetime) -> datetime:
    """Return the next try after a failure: exponential backoff, quiet hours respected."""
    base = current_app.config.get("OUTBOX_RETRY_BASE", RETRY_BASE)
    later = now + base * 2 ** max(mail.attempts - 1, 0)
    session = orm.object_session(mail)
    return release_time(session, later, recipient_kind=mail.recipient_kind, urgent=mail.urgent)


def _format_moment(value: str | datetime | None) -> str:
    if not value:
        return ""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return format_datetime(moment, "EEEE d MMMM y, HH:mm")


def render(mail: OutboxMail) -> tuple[str, str, str | None]:
    """Return (subject, text, html) of a mail in its language; PermanentError if broken."""
    lang = mail.language if mail.language in ("nl", "en") else "nl"
    app = current_app
    context = dict(mail.context, language=lang, dt=_format_moment,
                   school=school_name(orm.object_session(mail)))
    names = [f"email/{mail.template}.{lang}", f"email/{mail.template}"]
    try:
        with force_locale(lang):
            app.update_template_context(context)
            text_t = app.jinja_env.select_template([n + ".txt" for n in names])
            module = text_t.make_module(context)
            # One convention (docs/ARCHITECTURE.md): each language's words in the template
            # itself, under `{% if language == "en" %}`, and the .txt sets `subject`.
            subject = " ".join(str(getattr(module, "subject", "") or "").split())
            if not subject:
                raise PermanentError(f"template {text_t.name} sets no subject")
            try:
                html_t = app.jinja_env.select_template([n + ".html" for n in names])
            except jinja2.TemplatesNotFound:
                html = None
            else:
                html = html_t.render(context)
            return subject, str(module).strip() + "\n", html
    except jinja2.TemplateError as exc:
        raise PermanentError(f"template error: {exc}") from exc


def build_message(mail: OutboxMail) -> flask_mail.Message:
    try:
        # SMTP takes an ASCII domain: `ouder@bücher.nl` goes to `ouder@xn--bcher-kva.nl`.
        to = ascii_address(mail.to or "")
    except AddressError:
        raise PermanentError("ongeldig e-mailadres") from None  # never the address (11.7)
    subject, text, html = render(mail)
    message = flask_mail.Message(subject=subject, recipients=[to], body=text, html=html,
                                 extra_headers={"Auto-Submitted": "auto-generated"})
    message.msgId = message_id(mail.key)
    return message


class _Connection(flask_mail.Connection):
    """Flask-Mail's connection with a timeout, so a hanging server cannot stop the worker."""

    def configure_host(self) -> smtplib.SMTP:
        state = self.mail
        cls = smtplib.SMTP_SSL if state.use_ssl else smtplib.SMTP
        host = cls(state.server, state.port, timeout=SMTP_TIMEOUT)
        if state.use_tls:
            host.starttls()
        if state.username and state.password:
            host.login(state.username, state.password)
        return host


def _permanent(exc: Exception) -> bool:
    if isinstance(exc, PermanentError | flask_mail.BadHeaderError):
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def _claim(session: orm.Session, now: datetime, limit: int) -> list[int]:
    """Mark up to `limit` due rows 'sending' and commit; return their ids."""
    stmt = (sa.select(OutboxMail.id)
            .where(OutboxMail.status == PENDING, OutboxMail.next_attempt_at <= now)
            .order_by(OutboxMail.next_attempt_at, OutboxMail.id).limit(limit))
    if session.get_bind().dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    ids = list(session.scalars(stmt))
    if not ids:
        session.commit()
        return []
    # The status condition makes the claim safe where rows cannot be locked (SQLite).
    claimed = list(session.scalars(
        sa.update(OutboxMail)
        .where(OutboxMail.id.in_(ids), OutboxMail.status == PENDING)
        .values(status=SENDING, next_attempt_at=now + LEASE)
        .returning(OutboxMail.id)))
    session.commit()
    return sorted(claimed)


def expire_interrupted(session: orm.Session, now: datetime) -> int:
    """Dead-letter rows whose sender died mid-send (their lease ended); return how many."""
    stale = list(session.scalars(sa.select(OutboxMail).where(
        OutboxMail.status == SENDING, OutboxMail.next_attempt_at < now)))
    if not stale:
        return 0  # the common case: no write at all
    for mail in stale:
        mail.status = DEAD
        mail.last_error = ("onderbroken tijdens verzenden: mogelijk al afgeleverd; "
                           "controleer en verstuur opnieuw met `outbox retry`")
    session.commit()
    return len(stale)


def _record(mail: OutboxMail, now: datetime, result: SendResult,
            exc: Exception | None) -> None:
    mail.attempts += 1
    if exc is None:
        mail.status, mail.sent_at, mail.last_error = SENT, now, None
        secret = SECRET_KEYS | ({"link"} if mail.template in SECRET_LINK_TEMPLATES else set())
        mail.context = {k: v for k, v in mail.context.items() if k not in secret}
        result.sent.append(mail.id)
        return
    mail.last_error = error_text(exc, mail.to)
    max_attempts = current_app.config.get("OUTBOX_MAX_ATTEMPTS", MAX_ATTEMPTS)
    if _permanent(exc) or mail.attempts >= max_attempts:
        mail.status = DEAD
        result.dead.append(mail.id)
        log.warning("mail %s dead-lettered: %s", mail.id, mail.last_error)
    else:
        mail.status, mail.next_attempt_at = PENDING, retry_at(mail, now)
        result.retrying.append(mail.id)


def error_text(exc: Exception, to: str | None = None) -> str:
    """Return why a mail failed, for the row and the log: never an address or a code.

    Refused recipients carry the address twice (the key and the server's echo); only the
    server's replies are kept, redacted.
    """
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        detail = "; ".join(
            f"{code} {reply.decode('utf-8', 'replace') if isinstance(reply, bytes) else reply}"
            for code, reply in exc.recipients.values())
    else:
        detail = str(exc)
    return redact(f"{type(exc).__name__}: {detail}", to)[:1000]


def _deliver(session: orm.Session, ids: list[int], now: datetime, result: SendResult) -> None:
    connection: _Connection | None = None
    connect_error: Exception | None = None
    try:
        for mail_id in ids:
            mail = session.get(OutboxMail, mail_id)
            error: Exception | None = None
            try:
                message = build_message(mail)
                if connection is None and connect_error is None:
                    try:
                        connection = _Connection(current_app.extensions["mail"])
                        connection.__enter__()
                    except (OSError, smtplib.SMTPException) as exc:
                        connection, connect_error = None, exc
                if connect_error is not None:
                    raise connect_error
                connection.send(message)
            except (PermanentError, OSError, smtplib.SMTPException,
                    flask_mail.BadHeaderError) as exc:
                error = exc
                if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
                    connection = None  # reconnect for the next mail
            _record(mail, now, result, error)
            session.commit()
    finally:
        if connection is not None and connection.host is not None:
            try:
                connection.host.quit()
            except (OSError, smtplib.SMTPException):
                pass
            finally:
                connection.host.close()  # quit() may fail half-way: never leave a socket


def send_due(session: orm.Session, now: datetime, *, batch: int = 100) -> SendResult:
    """Send every mail due at `now`; commits. Needs an app context (Flask-Mail, templates)."""
    result = SendResult()
    expire_interrupted(session, now)
    while True:
        ids = _claim(session, now, batch)
        if not ids:
            break
        _deliver(session, ids, now, result)
        if len(ids) < batch:
            break
    return result


def retry(session: orm.Session, now: datetime, ids: list[int] | None = None) -> int:
    """Queue dead mails again (all dead ones when ids is None); return how many."""
    stmt = sa.update(OutboxMail).where(OutboxMail.status == DEAD)
    if ids is not None:
        stmt = stmt.where(OutboxMail.id.in_(ids))
    count = session.execute(stmt.values(status=PENDING, attempts=0, next_attempt_at=now)).rowcount
    session.flush()
    return count
