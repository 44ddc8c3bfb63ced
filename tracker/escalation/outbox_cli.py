"""`flask outbox list|retry`: see and resend queued, failed and dead mail."""

from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from tracker.core.db import get_session, transaction, utcnow
from tracker.escalation import outbox
from tracker.models import OutboxMail

outbox_cli = AppGroup("outbox", help="Queued mail: list and retry.")

STATUSES = (outbox.PENDING, outbox.SENDING, outbox.SENT, outbox.DEAD)


def shown_address(mail: OutboxMail) -> str:
    """A parent's address is theirs alone (it may belong to a confidential report): the
    listing shows its first letter and domain only, enough to spot a typo in the domain."""
    if mail.recipient_kind != "parent":
        return mail.to
    local, _sep, domain = (mail.to or "").rpartition("@")
    return f"{local[:1]}***@{domain}" if local else "***"


@outbox_cli.command("list")
@click.option("--status", type=click.Choice(STATUSES + ("all",)), default=None,
              help="Only this status (default: everything not yet sent).")
@click.option("--limit", default=50, show_default=True)
def outbox_list(status: str | None, limit: int) -> None:
    """List mail in the outbox, newest first."""
    stmt = sa.select(OutboxMail).order_by(OutboxMail.id.desc()).limit(limit)
    if status is None:
        stmt = stmt.where(OutboxMail.status != outbox.SENT)
    elif status != "all":
        stmt = stmt.where(OutboxMail.status == status)
    mails = list(get_session().scalars(stmt))
    if not mails:
        click.echo("Geen mail gevonden.")
        return
    click.echo(f"{'id':>6}  {'status':8} {'tries':>5}  {'next try (UTC)':16}  "
               f"{'template':16} to / last error")
    for m in mails:
        click.echo(f"{m.id:>6}  {m.status:8} {m.attempts:>5}  "
                   f"{m.next_attempt_at:%Y-%m-%d %H:%M}  {m.template:16} {shown_address(m)}")
        if m.last_error and m.status != outbox.SENT:
            click.echo(f"{'':>8}reason: {m.last_error}")


@outbox_cli.command("retry")
@click.argument("mail_id", type=int, required=False)
@click.option("--all-dead", is_flag=True, help="Queue every dead mail again.")
def outbox_retry(mail_id: int | None, all_dead: bool) -> None:
    """Queue a dead mail (or all of them) again; the next tick sends it."""
    if (mail_id is None) == (not all_dead):
        raise click.UsageError("give a mail ID or --all-dead (not both)")
    with transaction() as session:
        if mail_id is not None:
            mail = session.get(OutboxMail, mail_id)
            if mail is None:
                raise click.ClickException(f"Mail {mail_id} bestaat niet.")
            if mail.status != outbox.DEAD:
                raise click.ClickException(
                    f"Mail {mail_id} is '{mail.status}', niet 'dead': er valt niets opnieuw te "
                    "sturen.")
        count = outbox.retry(session, utcnow(), None if all_dead else [mail_id])
    click.echo(f"{count} mail(s) opnieuw in de wachtrij.")


COMMANDS = [outbox_cli]
