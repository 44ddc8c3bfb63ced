"""`flask twofactor reset EMAIL`: a person lost their phone and their recovery codes."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from tracker.accounts import twofactor
from tracker.accounts.auth import find_user
from tracker.accounts.tokens import send_link
from tracker.core.db import transaction, utcnow

twofactor_cli = AppGroup("twofactor", help="Two-factor login of staff accounts.")


@twofactor_cli.command("reset")
@click.argument("email")
def twofactor_reset(email: str) -> None:
    """Remove a person's second factor; they set it up again through a mailed link."""
    with transaction() as session:
        user = find_user(session, email)
        if user is None:
            raise click.ClickException(f"No account with e-mail {email}.")
        twofactor.reset(session, None, user, utcnow())  # audited, the console as the actor
        # A second factor is set up again only through a link from their mailbox (issue 11.5).
        send_link(session, user, "invite", utcnow())
    click.echo(f"Two-factor login reset for {user.email}; their sessions have ended. They set "
               "it up again through the link mailed to them (valid 7 days).")


COMMANDS = [twofactor_cli]
